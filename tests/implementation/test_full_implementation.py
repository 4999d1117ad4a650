"""A full Twinning through 24 months of implementation, on the injected clock."""

import io
from datetime import timedelta

from sqlalchemy import select

from tests.factories import Cast
from tests.implementation.conftest import PDF, deadlines
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import verify_chain
from twinflow.changes import operations as changes
from twinflow.documents import operations as documents
from twinflow.reports import operations as reports
from twinflow.results import operations as results
from twinflow.steering import operations as steering
from twinflow.workflow.durations import add_months


def test_a_twinning_runs_24_months_with_its_reports_changes_and_closure(
    make, session, engine, clock, storage, limits
):
    cast = Cast(make)
    # A 21-month contract that an addendum extends by 3 months: 24 months, 8 quarters.
    cast.project = project = make.project(cast.beneficiary, implementation_months=21)
    cast.to("work_plan")  # names both project leaders and an RTA seconded for 36 months
    bc, fr, coordinator = cast.beneficiary, cast.france, cast.coordinator

    component = results.add_component(session, engine, bc, project.id, {"title": "Prisons"})
    result = results.add_result(session, engine, bc, component.id, {"title": "Law adopted"})
    indicator = results.add_indicator(
        session, engine, bc, result.id, {"name": "Staff trained", "baseline": 0, "target": 400}
    )
    make.fire(bc, project, "submit_contract")
    signing = make.fire(coordinator, project, "sign_contract")
    engine.decide(session, fr, signing.approval.id, "approve")
    start, end = project.implementation_start, project.implementation_end
    assert end == add_months(start, 21)
    assert len(deadlines(session, project.id, "interim_report#")) == 7

    for quarter in range(1, 9):
        quarter_start = add_months(start, 3 * (quarter - 1))
        clock.set(quarter_start + timedelta(days=45))
        steering.record_meeting(
            session,
            engine,
            bc,
            project.id,
            {"held_on": clock.now().date(), "attendees": ["BC leader", "MS leader", "EUD"]},
        )
        if quarter == 3:
            letter = changes.create_change(
                session, engine, bc, project.id, "side_letter",
                {"title": "Swap two expert missions", "justification": "Expert availability",
                 "changes": {"reallocation_eur": 50_000}},
            )  # fmt: skip
            changes.act_on_change(session, engine, bc, letter.id, "submit")
            changes.act_on_change(session, engine, fr, letter.id, "submit")
            assert changes.act_on_change(session, engine, coordinator, letter.id, "approve").applied
        if quarter == 6:
            addendum = changes.create_change(
                session, engine, bc, project.id, "addendum",
                {"title": "Three more months", "justification": "Law adoption delayed",
                 "changes": {"extend_months": 3}},
            )  # fmt: skip
            changes.act_on_change(session, engine, bc, addendum.id, "submit")
            assert not changes.act_on_change(
                session, engine, coordinator, addendum.id, "approve"
            ).applied
            assert changes.act_on_change(session, engine, fr, addendum.id, "approve").applied
            session.refresh(project)
            assert project.implementation_end == add_months(end, 3)
            assert project.implementation_months == 24
            # The deadlines follow the new end date: an eighth quarter, a later end.
            assert len(deadlines(session, project.id, "interim_report#")) == 8
            (ends,) = [d for d in deadlines(session, project.id, "implementation_ends")
                       if d.status == "open"]  # fmt: skip
            assert ends.due_at == project.implementation_end
        results.record_indicator_value(session, engine, bc, indicator.id, {"reached": 50 * quarter})

        if quarter == 8:  # the period ends; its last quarterly report is still to come
            clock.set(project.implementation_end)
            make.fire(coordinator, project, "end_implementation")
            assert project.state == "final_reporting"
        clock.set(add_months(start, 3 * quarter) + timedelta(days=10))
        report = reports.create_report(
            session, engine, bc, project.id, {"kind": "interim", "number": quarter}
        )
        documents.upload_document(
            session, engine, storage, bc, project.id,
            stream=io.BytesIO(PDF), filename=f"Interim report {quarter}.pdf",
            content_type="application/pdf", category="interim_report", limits=limits,
            links={"report_id": report.id},
        )  # fmt: skip
        reports.submit_report(session, engine, bc, report.id)
        assert reports.submit_report(session, engine, fr, report.id).applied
        assert reports.approve_report(session, engine, coordinator, report.id).applied

    interim = deadlines(session, project.id, "interim_report#")
    assert [(d.key, d.status) for d in interim] == [(f"interim_report#{q}", "met") for q in
                                                     range(1, 9)]  # fmt: skip
    assert all(d.closed_at <= d.due_at for d in interim), "every report was on time"
    assert all(d.status == "met" for d in deadlines(session, project.id, "steering_committee#"))
    assert steering.overdue_meetings(session, engine, coordinator, project.id) == []

    clock.advance(days=30)
    final = reports.create_report(session, engine, bc, project.id, {"kind": "final"})
    reports.submit_report(session, engine, fr, final.id)
    reports.submit_report(session, engine, bc, final.id)
    reports.approve_report(session, engine, coordinator, final.id)
    make.fire(coordinator, project, "approve_final_report")

    assert project.state == "closed"
    view = results.progress(session, engine, coordinator, project.id)
    assert view.reports_approved == 9 and view.percent == 100
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions.count("report_approve") == 9
    assert actions.count("report_signed") == 18
    assert actions.count("document_uploaded") == 8
    assert "project_figures_changed" in actions and "side_letter_approve" in actions
    check = verify_chain(session)
    assert check.ok, check.as_dict()
