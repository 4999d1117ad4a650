"""A Member State that proposed but was not selected follows the project's lifecycle like any
reader: its timeline shows the step into the work plan that its status already names. What was
said while choosing the partner (the approvals' comments, a comment on the request, which may
weigh the proposals) stays with those who may know the partner: on the page, the dashboard and
in the API alike."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.api.conftest import ApiClient
from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_visible, project_events_clause
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal

REQUEST_COMMENT = "France scored 87 points, Germany 61: its RTA lacks customs experience."
DECISION_COMMENT = "Agreed with the evaluation committee."


def _timeline(page: str) -> str:
    """The text of the page's timeline card, tags dropped."""
    found = re.search(r'data-testid="timeline">(.*?)</ol>', page, re.DOTALL)
    assert found, "no timeline on the page"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))))


def _status(page: str) -> str:
    return re.search(r'data-testid="project-state">([^<]*)<', page).group(1)


def _france_chosen_over_germany(cast, make, clock, comment=None):
    """France and Germany propose; France is chosen; the work plan starts."""
    project = cast.to("call_open")
    make.proposal(cast.france, project)
    make.proposal(cast.germany, project, project_leader="Karl Weber", rta_name="Anna Schmidt")
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    france = make.session.scalar(select(Proposal).where(Proposal.member_state == "FR"))
    make.select(cast.coordinator, project, france)
    approval = make.fire(cast.beneficiary, project, "select_partner", comment=comment).approval
    make.engine.decide(make.session, cast.coordinator, approval.id, "approve", DECISION_COMMENT)
    make.session.refresh(project)
    assert project.state == "work_plan"
    cast.name_team()  # the project leaders and the RTA who sign the contract
    return project


def test_germany_not_selected_sees_the_step_into_the_work_plan_on_its_timeline(
    cast, make, clock, as_user
):
    project = _france_chosen_over_germany(cast, make, clock)
    page = as_user(cast.germany).text(f"/projects/{project.id}")
    assert _status(page) == "Work plan"
    assert "Selection → Work plan" in _timeline(page)
    # The lifecycle before it is there too, in order.
    timeline = _timeline(page)
    assert timeline.index("Selection → Work plan") < timeline.index("Call open → Selection")


def test_what_was_said_while_choosing_the_partner_reaches_no_rival_member_state(
    app, cast, make, clock, as_user
):
    project = _france_chosen_over_germany(cast, make, clock, comment=REQUEST_COMMENT)
    germany = as_user(cast.germany)
    for path in (f"/projects/{project.id}", "/"):
        page = germany.text(path)
        assert "87 points" not in page and DECISION_COMMENT not in page, path
    api = ApiClient(app.test_client()).as_(cast.germany)
    trail = api.get(f"/projects/{project.id}/audit?per_page=100").json
    assert trail and not [e for e in trail if "87 points" in str(e["data"])]

    france = _timeline(as_user(cast.france).text(f"/projects/{project.id}"))
    assert REQUEST_COMMENT in france and DECISION_COMMENT in france
    coordinator = _timeline(as_user(cast.coordinator).text(f"/projects/{project.id}"))
    assert REQUEST_COMMENT in coordinator


@pytest.mark.parametrize("comment", [None, REQUEST_COMMENT], ids=["uncommented", "commented"])
def test_the_page_and_the_api_rule_show_every_user_the_same_events_after_the_choice(
    cast, make, clock, session, comment
):
    project = _france_chosen_over_germany(cast, make, clock, comment=comment)
    session.expire_all()
    project = session.get(Project, project.id)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
    ).all()
    for user in (cast.coordinator, cast.beneficiary, cast.france, cast.germany, cast.admin):
        in_python = [e.seq for e in events if event_visible(user, project, e, load_data(e))]
        in_sql = session.scalars(
            select(AuditEvent.seq)
            .where(AuditEvent.project_id == project.id, project_events_clause(user, project))
            .order_by(AuditEvent.seq)
        ).all()
        assert in_python == in_sql, user.email
    germany = {
        (e.action, e.trigger)
        for e in events
        if event_visible(cast.germany, project, e, load_data(e)) and e.trigger == "select_partner"
    }
    assert germany == ({("transition", "select_partner")} if comment is None else set())


def test_a_rival_member_state_reads_the_partners_steps_without_learning_who_took_them(
    cast, make, clock, as_user
):
    project = _france_chosen_over_germany(cast, make, clock)
    cast.to("implementation")  # France's approval is the one that signs the contract
    germany = as_user(cast.germany)
    timeline = _timeline(germany.text(f"/projects/{project.id}"))
    assert "Contracting → Implementation" in timeline
    assert cast.france.email not in timeline
    assert "a user of another Member State" in timeline
    assert cast.france.email not in germany.text("/")  # the dashboard's recent activity
    # The partner itself and the project's other parties still see who it was.
    for user in (cast.france, cast.coordinator, cast.beneficiary):
        assert cast.france.email in _timeline(as_user(user).text(f"/projects/{project.id}"))


def test_a_rival_member_state_sees_the_partners_pending_sign_off_without_learning_who_gave_it(
    cast, make, as_user
):
    project = cast.to("contracting")  # France is the lead partner
    make.fire(cast.france, project, "sign_contract")  # France's sign-off given, the EU's owed
    page = as_user(cast.germany).text(f"/projects/{project.id}")
    decisions = page[page.index('class="decisions"') :].split("</ul>")[0]
    assert "approved" in decisions and "a user of another Member State" in decisions
    assert cast.france.display_name not in page and cast.france.email not in page
    coordinator = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert cast.france.display_name in coordinator.split('class="decisions"')[1].split("</ul>")[0]
