"""The visibility rules themselves, over every object of the multi-bid world: each rule's Python
form and its SQL twin agree for every user, and every rule denies a deactivated user whatever
the role."""

import pytest
from sqlalchemy import select

from tests.security.scenario import PARTIES
from twinflow.approvals.models import Signoff
from twinflow.approvals.permissions import can_view_approval
from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import (
    can_read_full_audit,
    event_rule,
    event_visible,
    mark_withheld_actors,
    project_events_clause,
)
from twinflow.auth.models import User
from twinflow.auth.permissions import (
    can_read_directory,
    nobody_withheld_from,
    person_withheld,
    withheld_people_clause,
)
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.permissions import deadline_visible, visible_deadlines_clause
from twinflow.documents.models import DOCUMENT_CATEGORIES, Document
from twinflow.documents.permissions import can_view_document, can_view_document_of
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project, visible_projects_clause
from twinflow.proposals.models import Proposal
from twinflow.proposals.permissions import can_view_proposal, selection_known_to
from twinflow.records.permissions import can_view_records
from twinflow.workflow.parties import parties_on

pytestmark = pytest.mark.xdist_group("security-world")
ROLES = ("admin", "coordinator", "beneficiary", "member_state")


def _readers(world) -> dict:
    """Every user of the world, and a deactivated twin of each (same role, country,
    organisation) that is never stored."""
    readers = {party: user for party, user in world.users.items()}
    for party, user in world.users.items():
        readers[f"deactivated {party}"] = User(
            id=user.id,
            email=user.email,
            role=user.role,
            country=user.country,
            organisation=user.organisation,
            is_active=False,
        )
    return readers


def _fresh(world):
    session = world.make.session
    session.expire_all()
    return session


def test_the_project_rule_and_its_sql_twin_agree_for_every_user(world):
    session = _fresh(world)
    projects = session.scalars(select(Project).order_by(Project.id)).all()
    assert len(projects) >= 2  # the call and a draft
    for name, user in _readers(world).items():
        in_python = [p.id for p in projects if can_view_project(user, p)]
        in_sql = session.scalars(
            select(Project.id).where(visible_projects_clause(user)).order_by(Project.id)
        ).all()
        assert in_python == in_sql, name


def test_the_audit_rule_and_its_sql_twin_agree_for_every_user(world):
    session = _fresh(world)
    for project in session.scalars(select(Project)):
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
        ).all()
        for name, user in _readers(world).items():
            in_python = [e.seq for e in events if event_visible(user, project, e, load_data(e))]
            in_sql = session.scalars(
                select(AuditEvent.seq)
                .where(AuditEvent.project_id == project.id, project_events_clause(user, project))
                .order_by(AuditEvent.seq)
            ).all()
            assert in_python == in_sql, (name, project.title)


def test_the_timeline_asks_the_audit_rule_once_per_kind_and_answers_alike(world):
    # The page decides each kind of event once (event_rule): every event, in either order
    # (the first of a kind decides for the rest), gets event_visible's own answer.
    session = _fresh(world)
    owners = set()
    for project in session.scalars(select(Project)):
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
        ).all()
        owners |= {load_data(e).get("member_state") for e in events}
        for name, user in _readers(world).items():
            expected = [event_visible(user, project, e, load_data(e)) for e in events]
            for order in (events, events[::-1]):
                rule = event_rule(user, project)
                answers = {e.seq: rule(e, load_data(e)) for e in order}
                assert [answers[e.seq] for e in events] == expected, (name, project.title)
    assert len(owners - {None}) >= 2  # rival bids' events: the kinds differ by Member State


def test_the_deadline_rule_and_its_sql_twin_agree_for_every_user(world):
    session = _fresh(world)
    rows = session.execute(
        select(Deadline, Project).join(Project, Project.id == Deadline.project_id)
    ).all()
    assert rows
    for name, user in _readers(world).items():
        in_python = sorted(d.id for d, p in rows if deadline_visible(user, p, d))
        in_sql = sorted(
            session.scalars(
                select(Deadline.id)
                .join(Project, Project.id == Deadline.project_id)
                .where(visible_deadlines_clause(user))
            )
        )
        assert in_python == in_sql, name


def test_the_people_rule_and_its_sql_twin_agree_for_every_user(world):
    session = _fresh(world)
    people = session.scalars(select(User).order_by(User.id)).all()
    for name, viewer in _readers(world).items():
        in_python = [u.id for u in people if person_withheld(viewer, u.role, u.country)]
        in_sql = session.scalars(
            select(User.id).where(withheld_people_clause(viewer)).order_by(User.id)
        ).all()
        assert in_python == in_sql, name
        # The shortcut that skips the query (a timeline, an API answer) says "nobody" only
        # where the rule withholds nobody.
        if nobody_withheld_from(viewer):
            assert in_python == [], name
    spared = [n for n, v in _readers(world).items() if nobody_withheld_from(v)]
    assert spared and not any(n.startswith("deactivated") for n in spared)
    # A Member State user is told who acted, except users of another Member State.
    marked = world.users["marked"]
    withheld = {u.email for u in people if person_withheld(marked, u.role, u.country)}
    assert withheld == {world.users["rival_fr"].email, world.users["rival_it"].email}


def test_every_rule_denies_a_deactivated_user_whatever_the_role(world):
    session = _fresh(world)
    project = session.get(Project, world.project.id)
    proposals = session.scalars(select(Proposal)).all()
    documents = session.scalars(select(Document)).all()
    approvals = session.scalars(select(Signoff)).all()
    deadlines = session.scalars(select(Deadline)).all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.project_id == project.id)).all()
    uploaders = {u.id: u for u in session.scalars(select(User))}
    for party in PARTIES:
        if party == "anonymous":
            continue
        live = world.users[party]
        ghost = _readers(world)[f"deactivated {party}"]
        assert not can_view_project(ghost, project), party
        assert session.scalars(select(Project.id).where(visible_projects_clause(ghost))).all() == []
        assert not selection_known_to(ghost, project)
        assert not any(can_view_proposal(ghost, project, p) for p in proposals)
        assert not any(can_view_approval(ghost, project, a) for a in approvals)
        assert not any(
            can_view_document(ghost, project, [], d, uploaders[d.uploaded_by_id]) for d in documents
        )
        assert not any(
            can_view_document_of(ghost, project, ["coordinator"], c, owner)
            for c in DOCUMENT_CATEGORIES
            for owner in (None, ghost.country)
        )
        assert not can_view_records(ghost, project, ["beneficiary", "coordinator"])
        assert not any(event_visible(ghost, project, e, load_data(e)) for e in events)
        assert not can_read_full_audit(ghost) and not can_read_directory(ghost)
        assert not any(deadline_visible(ghost, project, d) for d in deadlines)
        assert parties_on(ghost, project) == []
        # Everyone is withheld from them, themselves included.
        assert person_withheld(ghost, live.role, live.country)
        # The same user, active, sees the project (but the outsider, and Ivo who has left).
        outsiders = ("other_institution", "inactive", "other_delegation")
        assert can_view_project(live, project) == (party not in outsiders)


def test_a_deactivated_users_timeline_names_nobody(world):
    session = _fresh(world)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == world.project.id)
    ).all()
    pairs = [(e, load_data(e)) for e in events]
    mark_withheld_actors(session, _readers(world)["deactivated admin"], pairs)
    assert all(data["actor_withheld"] for event, data in pairs if event.actor_id)


def test_a_beneficiary_of_the_same_country_but_another_administration_never_sees_a_draft(world):
    other = world.users["other_institution"]
    draft = world.draft
    assert other.country == draft.beneficiary_country == "GE"
    assert not can_view_project(other, draft)
    assert can_view_project(world.users["beneficiary"], draft)
    assert world.apis["other_institution"].get(f"/projects/{draft.id}").status_code == 404
    assert world.browsers["other_institution"].get(f"/projects/{draft.id}").status_code == 404
    listed = world.apis["other_institution"].get("/projects").json
    assert listed == []
    page = world.browsers["other_institution"].get("/projects?q=Narwhal")
    assert page.status_code == 200 and draft.reference not in page.get_data(as_text=True)
    own = world.browsers["beneficiary"].get("/projects?q=Narwhal").get_data(as_text=True)
    assert draft.reference in own


def test_a_suspended_project_keeps_its_public_page(cast, make, browser):
    project = cast.to("implementation")
    make.fire(cast.coordinator, project, "suspend", comment="Audit of the procurement.")
    visitor = browser()
    assert visitor.get(f"/public/projects/{project.id}").status_code == 200
    assert project.title in visitor.text("/public/projects")


def test_an_awarded_project_suspended_before_its_contract_has_no_public_page(cast, make, browser):
    project = cast.to("work_plan")
    make.fire(cast.coordinator, project, "suspend", comment="Suspended for political reasons.")
    visitor = browser()
    assert visitor.get(f"/public/projects/{project.id}").status_code == 404
    assert project.title not in visitor.text("/public/projects")


def test_a_project_keeps_its_public_page_through_final_reporting_and_once_closed(cast, browser):
    project = cast.to("final_reporting")
    visitor = browser()
    assert visitor.get(f"/public/projects/{project.id}").status_code == 200
    assert project.title in visitor.text("/public/projects")
    cast.to("closed")
    assert visitor.get(f"/public/projects/{project.id}").status_code == 200
    assert project.title in visitor.text("/public/projects")
