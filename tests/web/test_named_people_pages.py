"""The pages say who takes a step the Manual gives to a person, instead of offering it to
every user of the party: the project page, the approvals inbox and the reports tab."""

import html
from datetime import timedelta

from twinflow.reports.operations import create_report
from twinflow.workflow.durations import add_months

WHO = "Only the Member State project leader, Jeanne Martin, or their deputy can sign the contract."


def test_the_project_page_tells_a_colleague_of_the_leader_who_signs_the_contract(
    as_user, cast, make
):
    cast.to("contracting")
    colleague = make.user("member_state", country="FR")
    page = html.unescape(as_user(colleague).text(f"/projects/{cast.project.id}"))
    assert WHO in page
    assert 'data-trigger="sign_contract"' not in page
    leader_page = as_user(cast.france).text(f"/projects/{cast.project.id}")
    assert 'data-trigger="sign_contract"' in leader_page


def test_the_inbox_shows_who_signs_in_place_of_the_buttons(as_user, cast, make):
    cast.to("contracting")
    colleague = make.user("member_state", country="FR")
    request = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    page = html.unescape(as_user(colleague).text("/approvals"))
    card = page[page.index(f'data-testid="approval-{request.id}"') :]
    assert WHO in card
    assert f"/approvals/{request.id}/decide" not in page
    assert f"/approvals/{request.id}/decide" in as_user(cast.france).text("/approvals")


def test_the_reports_tab_tells_another_official_who_co_signs(as_user, cast, make, clock):
    cast.to("implementation")
    official = make.user("beneficiary")
    values = {"kind": "interim", "number": 1}
    create_report(make.session, make.engine, cast.beneficiary, cast.project.id, values)
    clock.set(add_months(cast.project.implementation_start, 3) + timedelta(days=2))
    page = html.unescape(as_user(official).text(f"/projects/{cast.project.id}/reports"))
    assert (
        "Only the beneficiary's project leader, Giorgi Beridze, or their deputy can sign and "
        "submit the report." in page
    )
