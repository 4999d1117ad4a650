from datetime import timedelta

import pytest

from tests.factories import Cast
from tests.implementation.conftest import deadlines
from twinflow.reports import operations as reports
from twinflow.reports.models import Report
from twinflow.workflow.durations import add_months
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData, NotPermitted


def _quarter_over(cast, number):
    start = cast.project.implementation_start
    cast.make.clock.set(add_months(start, 3 * number) + timedelta(days=3))


def test_a_report_is_submitted_only_when_both_project_leaders_have_signed(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)

    first = reports.submit_report(session, engine, cast.beneficiary, report.id)
    assert not first.applied and first.owed == ["lead_member_state"]
    assert report.state == "draft"

    second = reports.submit_report(session, engine, cast.france, report.id)
    assert second.applied and report.state == "submitted"
    assert report.submitted_at == cast.make.clock.now()
    (deadline,) = deadlines(session, cast.project.id, "interim_report#1")
    assert deadline.status == "met"


def test_a_project_leader_cannot_sign_twice(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    with pytest.raises(Conflict, match="already signed"):
        reports.submit_report(session, engine, cast.beneficiary, report.id)


def test_a_report_is_not_submitted_before_its_quarter_is_over(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 2}
    )
    _quarter_over(cast, 1)
    with pytest.raises(GuardFailed, match="once that quarter is over") as refused:
        reports.submit_report(session, engine, cast.beneficiary, report.id)
    assert refused.value.guard == "report_period_ended"


def test_a_report_cannot_be_approved_by_its_own_author(make, cast, session, engine):
    # A coordinator may enter a report on the leaders' behalf, but then not approve it.
    author = cast.coordinator
    report = reports.create_report(
        session, engine, author, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)

    with pytest.raises(NotPermitted, match="may not be approved by one who wrote"):
        reports.approve_report(session, engine, author, report.id)
    assert session.get(Report, report.id).state == "submitted"

    other = make.user("coordinator")
    assert reports.approve_report(session, engine, other, report.id).applied
    assert report.state == "approved" and report.decided_by_id == other.id


def test_a_coordinator_who_rewrote_a_report_may_not_approve_it(make, cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    editor = cast.coordinator
    reports.update_report(session, engine, editor, report.id, {"summary": "All on track."})
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)

    with pytest.raises(NotPermitted, match="one who wrote, edited or signed it"):
        reports.approve_report(session, engine, editor, report.id)
    assert session.get(Report, report.id).state == "submitted"
    assert reports.approve_report(session, engine, make.user("coordinator"), report.id).applied


def test_a_project_leader_may_not_approve_a_report(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.france, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)
    with pytest.raises(NotPermitted, match="approved by one who wrote"):
        reports.approve_report(session, engine, cast.france, report.id)
    with pytest.raises(NotPermitted, match="one who wrote, edited or signed it"):
        reports.approve_report(session, engine, cast.beneficiary, report.id)


def test_a_returned_report_must_be_signed_again_by_both_leaders(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)

    with pytest.raises(InvalidData) as refused:
        reports.return_report(session, engine, cast.coordinator, report.id, "  ")
    assert "comment" in refused.value.errors
    reports.return_report(session, engine, cast.coordinator, report.id, "Add the budget table.")
    assert report.state == "returned" and report.decision_comment == "Add the budget table."

    reports.update_report(session, engine, cast.beneficiary, report.id, {"summary": "With table"})
    assert not reports.submit_report(session, engine, cast.france, report.id).applied
    assert reports.submit_report(session, engine, cast.beneficiary, report.id).applied
    assert report.state == "submitted" and report.signing_round == 2


def test_editing_a_signed_draft_voids_the_signature_given(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.update_report(session, engine, cast.france, report.id, {"summary": "Changed"})
    # France's signature alone is not enough: the beneficiary signed the old text.
    assert not reports.submit_report(session, engine, cast.france, report.id).applied
    assert report.state == "draft"


def test_an_approved_report_can_no_longer_be_edited(cast, session, engine):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    _quarter_over(cast, 1)
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)
    reports.approve_report(session, engine, cast.coordinator, report.id)
    with pytest.raises(Conflict, match="can no longer be edited"):
        reports.update_report(session, engine, cast.beneficiary, report.id, {"title": "New"})
    with pytest.raises(Conflict, match="not possible: Interim report 1 is approved"):
        reports.approve_report(session, engine, cast.coordinator, report.id)


def test_interim_report_numbers_follow_the_quarters_of_the_implementation(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        reports.create_report(
            session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 9}
        )
    assert refused.value.errors == {
        "number": ["the implementation period has 8 quarters; there is no quarter 9"]
    }
    with pytest.raises(InvalidData) as refused:
        reports.create_report(session, engine, cast.beneficiary, cast.project.id, {"kind": "x"})
    assert set(refused.value.errors) == {"kind"}
    reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 8}
    )
    with pytest.raises(Conflict, match="Interim report 8 already exists"):
        reports.create_report(
            session, engine, cast.france, cast.project.id, {"kind": "interim", "number": 8}
        )


def test_the_final_report_is_drafted_only_once_implementation_has_ended(cast, session, engine):
    with pytest.raises(Conflict, match="only while the project is at the stage “Final reporting”"):
        reports.create_report(session, engine, cast.beneficiary, cast.project.id, {"kind": "final"})


def test_the_project_closes_only_after_the_final_report_is_approved(make, session, engine):
    cast = Cast(make)
    project = cast.to("final_reporting")
    with pytest.raises(GuardFailed, match="No final report has been drafted"):
        make.fire(cast.coordinator, project, "approve_final_report")

    report = reports.create_report(session, engine, cast.beneficiary, project.id, {"kind": "final"})
    reports.submit_report(session, engine, cast.beneficiary, report.id)
    reports.submit_report(session, engine, cast.france, report.id)
    (due,) = deadlines(session, project.id, "final_report")
    assert due.status == "met"
    with pytest.raises(GuardFailed, match="The final report is submitted"):
        make.fire(cast.coordinator, project, "approve_final_report")

    reports.approve_report(session, engine, cast.coordinator, report.id)
    cast.approve_interim_reports()  # closing also waits for those (tests/deadlines)
    make.fire(cast.coordinator, project, "approve_final_report")
    assert project.state == "closed"


def test_a_member_state_that_was_not_selected_sees_no_reports(cast, session, engine):
    with pytest.raises(NotPermitted, match="shown to the project's parties"):
        reports.list_reports(session, engine, cast.germany, cast.project.id)
    with pytest.raises(NotPermitted):
        reports.create_report(
            session, engine, cast.germany, cast.project.id, {"kind": "interim", "number": 1}
        )
