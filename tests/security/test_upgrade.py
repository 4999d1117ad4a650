"""Upgrading to lead rights that wait for select_partner: migration 0008 takes back the lead a
mere marking gave (a partner chosen through select_partner stays), and a project pinned to an
edition of the lifecycle written before `appoint_lead` still gets its partner."""

import re

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.factories import Cast
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal


def test_upgrading_takes_the_lead_from_a_marked_bid_and_keeps_a_chosen_partner(app, make, session):
    chosen = Cast(make).to("work_plan")  # France chosen and approved
    marking = Cast(make)
    marked = marking.to("selection")
    make.select(marking.coordinator, marked, marking.proposal)
    session.refresh(marked)
    assert (chosen.lead_member_state, marked.lead_member_state) == ("FR", None)
    marked_id = marked.id
    # End this session's read: downgrading drops columns of `projects`, which waits on
    # PostgreSQL for every open transaction that read it (this one would wait on the test).
    session.rollback()

    with app.app_context():
        downgrade(revision="0007")  # the earlier rule: the marking gives the lead
    # The row read column by column: at 0007 the model's later columns do not exist yet.
    lead, version = session.execute(
        select(Project.lead_member_state, Project.version).where(Project.id == marked_id)
    ).one()
    assert lead == "FR"
    session.rollback()

    with app.app_context():
        upgrade()
    session.expire_all()
    after = session.get(Project, marked_id)
    assert after.lead_member_state is None and after.version == version + 1
    assert session.get(Project, chosen.id).lead_member_state == "FR"


def test_selecting_the_partner_makes_the_marked_bid_the_lead_even_on_an_older_edition(
    cast, make, clock, session, tmp_path
):
    """A project pinned to a definition written before `appoint_lead` existed still gets its
    partner when select_partner applies (its lead used to come with the marking)."""
    from pathlib import Path

    from twinflow.workflow.engine import Engine
    from twinflow.workflow.registry import WorkflowRegistry

    workflows = Path(__file__).resolve().parents[2] / "workflows"
    older = tmp_path / "older"
    older.mkdir()
    for name in ("twinning.yaml", "twinning_light.yaml"):
        text = (workflows / name).read_text()
        text = re.sub(r"\n\s*# The lead partner's rights start here.*", "", text)
        text = text.replace("effects: [appoint_lead, ", "effects: [")
        assert "appoint_lead" not in text
        (older / name).write_text(text)
    make.engine = Engine(WorkflowRegistry(older), clock, base_url="http://twinflow.test")
    old_cast = type(cast)(make)  # its project is pinned to the older edition
    make.engine = Engine(WorkflowRegistry(), clock, base_url="http://twinflow.test")
    project = old_cast.to("selection")
    pinned = make.engine.definition_of(session, project)
    assert "appoint_lead" not in pinned.source_text  # the edition as it was written
    old_cast.to("work_plan")
    session.refresh(project)
    assert project.lead_member_state == "FR"
    marked = session.scalar(select(Proposal).where(Proposal.is_selected.is_(True)))
    assert marked.member_state == "FR"
