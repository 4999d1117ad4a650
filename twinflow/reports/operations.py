"""Interim (quarterly) reports and the final report: drafting, co-signing, approval."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.i18n import gettext
from twinflow.records.operations import (
    Advanced,
    advance,
    check_project_state,
    load_for_change,
    new_round_if_signed,
    open_project,
    readable_project,
    unit_of_work,
)
from twinflow.records.validation import Values
from twinflow.reports.models import REPORT_KINDS, Report
from twinflow.workflow.durations import add_months
from twinflow.workflow.errors import Conflict, InvalidData, NotPermitted

QUARTER = 3
# The last interim report falls due a month after implementation ends, hence final_reporting;
# the final report is written once implementation has ended.
DRAFTING_STATES = {
    "interim": ("implementation", "suspended", "final_reporting"),
    "final": ("final_reporting",),
}


def quarters(project) -> int:
    """How many full quarters the implementation period holds (each with a report due)."""
    start, end = project.implementation_start, project.implementation_end
    if start is None or end is None:
        return 0
    count = 0
    while add_months(start, QUARTER * (count + 1)) <= end:
        count += 1
    return count


def create_report(
    session: Session, engine, actor, project_id: int, values: dict, commit: bool = True
) -> Report:
    """values: kind (interim|final), number (the quarter, interim only), title, summary."""
    with unit_of_work(session, commit):
        v = Values(values, ("kind", "number", "title", "summary"))
        kind = v.choice("kind", REPORT_KINDS, required=True)
        number = v.integer("number", required=kind == "interim", minimum=1)
        title = v.text("title")
        summary = v.text("summary", max_length=20000, default="")
        v.done()
        project, parties = open_project(
            session,
            engine,
            actor,
            project_id,
            states=DRAFTING_STATES[kind],
            what=gettext("Drafting an interim report")
            if kind == "interim"
            else gettext("Drafting the final report"),
        )
        workflow = engine.registry.record("report")
        if not any(p in workflow.drafted_by for p in parties):
            raise NotPermitted(
                gettext("Reports are drafted by the project leaders or a coordinator.")
            )
        start, end = project.implementation_start, project.implementation_end
        if kind == "interim":
            if number > quarters(project):
                raise InvalidData(
                    {
                        "number": [
                            gettext(
                                "the implementation period has %(count)s quarters; there is no "
                                "quarter %(number)s",
                                count=quarters(project),
                                number=number,
                            )
                        ]
                    }
                )
            start = add_months(project.implementation_start, QUARTER * (number - 1))
            end = add_months(project.implementation_start, QUARTER * number)
        elif number not in (None, 1):
            raise InvalidData({"number": [gettext("a project has one final report")]})
        now = engine.clock.now()
        report = Report(
            project_id=project.id,
            kind=kind,
            number=number if kind == "interim" else 1,
            period_start=start,
            period_end=end,
            title=title or ("Final report" if kind == "final" else f"Interim report {number}"),
            summary=summary,
            state=workflow.initial,
            workflow_version=workflow.version,
            author_id=actor.id,
            created_at=now,
            updated_at=now,
        )
        savepoint = session.begin_nested()
        try:
            session.add(report)
            session.flush()
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()
            raise Conflict(
                gettext("%(report)s already exists for this project.", report=report.label)
            ) from None
        append_event(
            session,
            action="report_created",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"record_id": report.id, "kind": kind, "number": report.number},
        )
    return report


def update_report(
    session: Session, engine, actor, report_id: int, values: dict, commit: bool = True
) -> Report:
    """Edits title and summary while the report is a draft or returned; signatures already
    given in this round no longer count, since they were on the old text."""
    with unit_of_work(session, commit):
        report, project, parties = load_for_change(session, engine, actor, Report, report_id)
        workflow = engine.record_workflow(session, report)
        check_project_state(workflow, project, "Editing a report")
        if report.state not in workflow.editable:
            raise Conflict(
                gettext(
                    "%(report)s is %(state)s; it can no longer be edited.",
                    report=report.label,
                    state=workflow.label_of(report.state).lower(),
                )
            )
        if not any(p in workflow.drafted_by for p in parties):
            raise NotPermitted(
                gettext("Reports are edited by the project leaders or a coordinator.")
            )
        v = Values(values, ("title", "summary"))
        title = v.text("title", required=v.given("title"))
        summary = v.text("summary", max_length=20000)
        v.done()
        if title is not None:
            report.title = title
        if summary is not None:
            report.summary = summary
        report.updated_at = engine.clock.now()
        new_round_if_signed(session, engine, report, report.updated_at)
        append_event(
            session,
            action="report_updated",
            now=report.updated_at,
            actor=actor,
            project_id=project.id,
            data={"record_id": report.id, "fields": sorted(values)},
        )
    return report


def submit_report(session, engine, actor, report_id: int, comment=None) -> Advanced:
    """A project leader signs; with both leaders' signatures the report is submitted."""
    return advance(session, engine, actor, Report, report_id, "submit", comment)


def approve_report(session, engine, actor, report_id: int, comment=None) -> Advanced:
    return advance(session, engine, actor, Report, report_id, "approve", comment)


def return_report(session, engine, actor, report_id: int, comment: str) -> Advanced:
    return advance(session, engine, actor, Report, report_id, "return", comment)


def list_reports(session: Session, engine, actor, project_id: int) -> list[Report]:
    project, _ = readable_project(session, engine, actor, project_id)
    return list(
        session.scalars(
            select(Report)
            .where(Report.project_id == project.id)
            .order_by(Report.kind.desc(), Report.number)
        )
    )
