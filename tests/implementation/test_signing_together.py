"""Both project leaders signing at the same moment, and who hears about a submission."""

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.approvals.models import Signoff, SignoffDecision
from twinflow.audit.operations import verify_chain
from twinflow.notifications.models import Notification
from twinflow.reports import operations as reports
from twinflow.reports.models import Report
from twinflow.workflow.durations import add_months


def _draft_after_quarter_one(cast, session, engine, clock):
    report = reports.create_report(
        session, engine, cast.beneficiary, cast.project.id, {"kind": "interim", "number": 1}
    )
    clock.set(add_months(cast.project.implementation_start, 3) + timedelta(days=1))
    return report


def test_two_leaders_signing_at_once_submit_the_report_exactly_once(
    cast, session, engine, clock, sa_engine
):
    report = _draft_after_quarter_one(cast, session, engine, clock)
    barrier, outcomes = threading.Barrier(2), []

    def sign(user_id):
        with Session(sa_engine, expire_on_commit=False) as own:
            from twinflow.auth.models import User

            user = own.get(User, user_id)
            barrier.wait()
            outcomes.append(reports.submit_report(own, engine, user, report.id).applied)

    threads = [threading.Thread(target=sign, args=(u.id,)) for u in (cast.beneficiary, cast.france)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == [False, True]
    session.expire_all()
    assert session.get(Report, report.id).state == "submitted"
    signed = select(func.count(SignoffDecision.id)).join(Signoff)
    assert session.scalar(signed.where(Signoff.subject_type == "report")) == 2
    assert verify_chain(session).ok


def test_coordinators_are_told_of_a_submitted_report_and_leaders_of_its_approval(
    cast, session, engine, clock
):
    report = _draft_after_quarter_one(cast, session, engine, clock)
    reports.submit_report(session, engine, cast.beneficiary, report.id)

    def subjects(user):
        return list(
            session.scalars(
                select(Notification.subject)
                .where(Notification.user_id == user.id, Notification.kind == "record_changed")
                .order_by(Notification.id)
            )
        )

    ref = cast.project.reference
    assert subjects(cast.france) == [f"[{ref}] your signature is needed: Interim report 1"]
    reports.submit_report(session, engine, cast.france, report.id)
    assert subjects(cast.coordinator) == [f"[{ref}] Interim report 1: Submitted"]
    reports.approve_report(session, engine, cast.coordinator, report.id)
    assert subjects(cast.beneficiary)[-1] == f"[{ref}] Interim report 1: Approved"
    assert subjects(cast.germany) == []
