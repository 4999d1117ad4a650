"""Migration 0008: a project whose bid was only marked loses the lead partner the marking gave it
under the earlier rule; a partner chosen through select_partner stays."""

from flask_migrate import downgrade, upgrade

from tests.factories import Cast
from twinflow.projects.models import Project


def test_upgrading_takes_the_lead_from_a_marked_bid_and_keeps_a_chosen_partner(app, make, session):
    chosen = Cast(make).to("work_plan")  # France chosen and approved
    marking = Cast(make)
    marked = marking.to("selection")
    make.select(marking.coordinator, marked, marking.proposal)
    session.refresh(marked)
    assert (chosen.lead_member_state, marked.lead_member_state) == ("FR", None)

    with app.app_context():
        downgrade(revision="0007")  # the earlier rule: the marking gives the lead
    session.expire_all()
    assert session.get(Project, marked.id).lead_member_state == "FR"
    version = session.get(Project, marked.id).version
    session.rollback()

    with app.app_context():
        upgrade()
    session.expire_all()
    after = session.get(Project, marked.id)
    assert after.lead_member_state is None and after.version == version + 1
    assert session.get(Project, chosen.id).lead_member_state == "FR"
