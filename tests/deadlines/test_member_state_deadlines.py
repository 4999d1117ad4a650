"""Which deadlines a Member State sees of a project: those addressed to it (the call's proposal
deadline to every Member State; the work plan, contract and reports to the selected partner),
the same on the project page's Deadlines card and in the project's .ics. A Member State that
proposed and lost sees none of the winner's deadlines."""

import html
import re

import pytest
from icalendar import Calendar

from tests.api.conftest import ApiClient
from tests.factories import Cast
from tests.web.conftest import Browser
from twinflow.deadlines.reads import open_deadlines

# Each is numbered: "Interim (quarterly) report 3".
IMPLEMENTATION_DEADLINES = (
    "Interim (quarterly) report",
    "Project Steering Committee meeting",
    "End of the implementation period",
)


@pytest.fixture
def cast(make):
    """France and Germany both answer the call; France is the one chosen further on."""
    cast = Cast(make)
    project = cast.to("call_open")
    make.proposal(cast.germany, project, project_leader="Karl Weber", rta_name="Anna Schmidt")
    return cast


def _card(app, user, project) -> set[str]:
    """The titles in the Deadlines card of the project page, as this user sees them."""
    page = Browser(app).sign_in(user).text(f"/projects/{project.id}")
    card = re.search(r'aria-labelledby="deadlines-h">(.*?)</section>', page, re.DOTALL).group(1)
    titles = re.findall(r'<span class="what">([^<·]*)', card)
    return {html.unescape(t).strip() for t in titles}


def _ics(app, user, project) -> set[str]:
    """The titles of the events in the project's .ics, as this user downloads it."""
    response = Browser(app).sign_in(user).get(f"/projects/{project.id}/deadlines.ics")
    assert response.status_code == 200
    prefix = f"[{project.reference}] "
    return {
        str(event["SUMMARY"]).removeprefix("OVERDUE: ").removeprefix(prefix)
        for event in Calendar.from_ical(response.data).walk("VEVENT")
    }


def _api(app, user, project) -> set[str]:
    """The titles of the deadlines in the project's API representation."""
    client = ApiClient(app.test_client()).as_(user)
    response = client.get(f"/projects/{project.id}")
    assert response.status_code == 200, response.json
    return {d["title"] for d in response.json["deadlines"]}


def test_germany_not_selected_sees_none_of_frances_implementation_deadlines(app, cast, session):
    project = cast.to("implementation")
    assert _card(app, cast.germany, project) == set()
    assert _ics(app, cast.germany, project) == set()
    assert _api(app, cast.germany, project) == set()
    assert "No open deadline." in Browser(app).sign_in(cast.germany).text(f"/projects/{project.id}")

    everything = {d.title for d in open_deadlines(session, project.id)}
    assert len(everything) == 17 and all(t.startswith(IMPLEMENTATION_DEADLINES) for t in everything)
    for user in (cast.france, cast.beneficiary, cast.coordinator):
        assert _card(app, user, project) == _ics(app, user, project) == everything, user.email
        assert _api(app, user, project) == everything, user.email


def test_only_the_chosen_partner_sees_the_work_plan_deadline(app, cast):
    project = cast.to("work_plan")
    work_plan = {"Work plan and contract draft agreed"}
    assert _card(app, cast.germany, project) == _ics(app, cast.germany, project) == set()
    assert _card(app, cast.france, project) == _ics(app, cast.france, project) == work_plan
    assert _card(app, cast.beneficiary, project) == work_plan


def test_every_member_state_sees_the_calls_proposal_deadline(app, cast):
    project = cast.project
    assert project.state == "call_open"
    due = {"Member State proposals due"}
    for member_state in (cast.france, cast.germany):
        assert _card(app, member_state, project) == _ics(app, member_state, project) == due
