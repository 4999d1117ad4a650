"""Components and mandatory results from the fiche, their indicators, and the progress view."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from twinflow.activities.models import Activity
from twinflow.audit.operations import append_event
from twinflow.changes.models import ChangeRequest
from twinflow.deadlines.models import Deadline
from twinflow.i18n import gettext
from twinflow.records.operations import open_project, readable_project, unit_of_work
from twinflow.records.validation import Values
from twinflow.reports.models import Report
from twinflow.results.models import Component, Indicator, MandatoryResult, share_reached
from twinflow.workflow.errors import NotFound

# The fiche and the work plan define results; once the contract runs, changing them is an
# addendum's business, and only the values reached are updated.
DEFINING_STATES = ("fiche_drafting", "fiche_review", "work_plan", "contracting")
MEASURING_STATES = ("implementation", "suspended", "final_reporting")


def _audit(session, actor, project, action, now, **data) -> None:
    append_event(session, action=action, now=now, actor=actor, project_id=project.id, data=data)


def add_component(session: Session, engine, actor, project_id: int, values: dict, commit=True):
    with unit_of_work(session, commit):
        project, _ = open_project(
            session,
            engine,
            actor,
            project_id,
            states=DEFINING_STATES,
            what=gettext("Defining components"),
        )
        v = Values(values, ("title", "description"))
        title = v.text("title", required=True)
        description = v.text("description", max_length=5000, default="")
        v.done()
        number = 1 + session.scalar(
            select(func.count(Component.id)).where(Component.project_id == project.id)
        )
        component = Component(
            project_id=project.id,
            number=number,
            title=title,
            description=description,
            created_at=engine.clock.now(),
        )
        session.add(component)
        session.flush()
        _audit(
            session,
            actor,
            project,
            "component_added",
            engine.clock.now(),
            component_id=component.id,
            number=number,
            title=title,
        )
    return component


def add_result(session: Session, engine, actor, component_id: int, values: dict, commit=True):
    with unit_of_work(session, commit):
        component = session.get(Component, component_id)
        if component is None:
            raise NotFound(gettext("No component %(id)s.", id=component_id))
        project, _ = open_project(
            session,
            engine,
            actor,
            component.project_id,
            states=DEFINING_STATES,
            what=gettext("Defining mandatory results"),
        )
        v = Values(values, ("title", "description"))
        title = v.text("title", required=True)
        description = v.text("description", max_length=5000, default="")
        v.done()
        result = MandatoryResult(
            number=len(component.results) + 1, title=title, description=description
        )
        component.results.append(result)
        session.flush()
        _audit(
            session,
            actor,
            project,
            "result_added",
            engine.clock.now(),
            result_id=result.id,
            component=component.number,
            number=result.number,
            title=title,
        )
    return result


def add_indicator(session: Session, engine, actor, result_id: int, values: dict, commit=True):
    """values: name, unit, baseline, target (numbers)."""
    with unit_of_work(session, commit):
        result = session.get(MandatoryResult, result_id)
        if result is None:
            raise NotFound(gettext("No mandatory result %(id)s.", id=result_id))
        project, _ = open_project(
            session,
            engine,
            actor,
            result.component.project_id,
            states=DEFINING_STATES,
            what=gettext("Defining indicators"),
        )
        v = Values(values, ("name", "unit", "baseline", "target"))
        name = v.text("name", required=True)
        unit = v.text("unit", max_length=60, default="")
        baseline = v.number("baseline", required=True)
        target = v.number("target", required=True)
        if baseline is not None and target is not None and baseline == target:
            v.error("target", gettext("must differ from the baseline"))
        v.done()
        indicator = Indicator(name=name, unit=unit, baseline=baseline, target=target)
        result.indicators.append(indicator)
        session.flush()
        _audit(
            session,
            actor,
            project,
            "indicator_added",
            engine.clock.now(),
            indicator_id=indicator.id,
            name=name,
            baseline=str(baseline),
            target=str(target),
        )
    return indicator


def record_indicator_value(
    session: Session, engine, actor, indicator_id: int, values: dict, commit=True
) -> Indicator:
    """values: reached (a number): the value the indicator has reached now; negative only
    for an indicator whose baseline or target is negative."""
    with unit_of_work(session, commit):
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            raise NotFound(gettext("No indicator %(id)s.", id=indicator_id))
        project, _ = open_project(
            session,
            engine,
            actor,
            indicator.result.component.project_id,
            states=MEASURING_STATES,
            what=gettext("Reporting an indicator's value"),
        )
        v = Values(values, ("reached",))
        reached = v.number("reached", required=True)
        if reached is not None and reached < 0 <= min(indicator.baseline, indicator.target):
            # Negative only on a scale that has negatives (a balance, a change in %).
            v.error(
                "reached",
                gettext(
                    "must not be negative: this indicator counts from %(baseline)s to %(target)s",
                    baseline=indicator.baseline,
                    target=indicator.target,
                ),
            )
        v.done()
        now = engine.clock.now()
        before = indicator.reached
        indicator.reached, indicator.reached_at, indicator.updated_by_id = reached, now, actor.id
        session.flush()
        _audit(
            session,
            actor,
            project,
            "indicator_value_recorded",
            now,
            indicator_id=indicator.id,
            reached={"from": None if before is None else str(before), "to": str(reached)},
        )
    return indicator


@dataclass
class ProjectProgress:
    """What the progress view shows: results measured, reports, activities, overdue items."""

    project: object
    components: list[Component]
    reports: list[Report]
    changes: list[ChangeRequest]
    activities_by_status: dict[str, int]
    overdue: list[Deadline] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        """The mean of the indicators that have a value reached."""
        values = [
            i.percent
            for c in self.components
            for r in c.results
            for i in r.indicators
            if i.percent is not None
        ]
        return round(sum(values) / len(values)) if values else None

    @property
    def reports_approved(self) -> int:
        return sum(1 for r in self.reports if r.state == "approved")


def progress(
    session: Session, engine, actor, project_id: int, now: datetime | None = None, opened=None
):
    """opened: the project's open deadlines when the caller has read them already (the
    project page), so they are not read twice."""
    project, _ = readable_project(session, engine, actor, project_id)
    now = now or engine.clock.now()
    if opened is not None:
        overdue = [d for d in opened if d.is_overdue(now)]
    else:
        overdue = list(
            session.scalars(
                select(Deadline)
                .where(
                    Deadline.project_id == project.id,
                    Deadline.status == "open",
                    Deadline.due_at < now,
                )
                .order_by(Deadline.due_at)
            )
        )
    counts = dict(
        session.execute(
            select(Activity.status, func.count(Activity.id))
            .where(Activity.project_id == project.id)
            .group_by(Activity.status)
        ).all()
    )
    return ProjectProgress(
        project=project,
        components=list(
            session.scalars(
                select(Component)
                .where(Component.project_id == project.id)
                .order_by(Component.number)
                .execution_options(populate_existing=True)
            )
        ),
        reports=list(
            session.scalars(
                select(Report)
                .where(Report.project_id == project.id)
                .order_by(Report.kind.desc(), Report.number)
            )
        ),
        changes=list(
            session.scalars(
                select(ChangeRequest)
                .where(ChangeRequest.project_id == project.id)
                .order_by(ChangeRequest.id)
            )
        ),
        activities_by_status=counts,
        overdue=overdue,
    )


# The summary's statements, built once (their cache keys are worked out once).
_MEASURED = (
    select(Indicator.baseline, Indicator.target, Indicator.reached)
    .join(MandatoryResult, Indicator.result_id == MandatoryResult.id)
    .join(Component, MandatoryResult.component_id == Component.id)
    .where(Component.project_id == bindparam("pid"), Indicator.reached.is_not(None))
)
_REPORT_STATES = select(Report.state).where(Report.project_id == bindparam("pid"))


@dataclass
class ProgressSummary:
    """What the project page shows of the progress: the figures only, not the rows."""

    percent: int | None
    reports_approved: int
    reports_drafted: int
    overdue: list[Deadline]


def progress_summary(session: Session, project, now: datetime, opened) -> ProgressSummary:
    """ProjectProgress's percent, report counts and overdue deadlines for the project page, in
    two statements (the progress view reads every component, result, indicator, report, change
    and activity); opened: the project's open deadlines, read already. The caller has checked
    that the reader may see the project's records."""
    values = [
        share_reached(baseline, target, reached)
        for baseline, target, reached in session.execute(_MEASURED, {"pid": project.id})
    ]
    values = [v for v in values if v is not None]
    states = list(session.scalars(_REPORT_STATES, {"pid": project.id}))
    return ProgressSummary(
        percent=round(sum(values) / len(values)) if values else None,
        reports_approved=sum(1 for s in states if s == "approved"),
        reports_drafted=len(states),
        overdue=[d for d in opened if d.is_overdue(now)],
    )
