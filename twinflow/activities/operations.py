"""Activities of the work plan (expert missions, trainings, study visits ...) and their
timeline, a Gantt-like picture of planned against actual dates."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from twinflow.activities.models import ACTIVITY_KINDS, ACTIVITY_STATUSES, Activity
from twinflow.audit.operations import append_event
from twinflow.i18n import gettext
from twinflow.records.operations import open_project, readable_project, unit_of_work
from twinflow.records.validation import Values
from twinflow.results.models import Component
from twinflow.workflow.errors import NotFound

FIELDS = (
    "kind",
    "title",
    "component_id",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "experts",
    "participants",
    "status",
)
DATES = ("planned_start", "planned_end", "actual_start", "actual_end")
ACTIVITY_STATES = ("work_plan", "contracting", "implementation", "suspended", "final_reporting")


def _read(session, project, values: dict, current: Activity | None, today: date) -> dict:
    v = Values(values, FIELDS)
    partial = current is not None
    out = {}
    if not partial or v.given("kind"):
        out["kind"] = v.choice("kind", ACTIVITY_KINDS, required=True)
    if not partial or v.given("title"):
        out["title"] = v.text("title", required=True)
    for name in DATES:
        if not partial or v.given(name):
            out[name] = v.day(name, required=name.startswith("planned"))
    if v.given("experts"):
        out["experts"] = v.names("experts")
    if v.given("participants"):
        out["participants"] = v.integer("participants", minimum=0)
    if v.given("status"):
        out["status"] = v.choice("status", ACTIVITY_STATUSES, required=True)
    if v.given("component_id"):
        component_id = v.raw["component_id"]
        component = session.get(Component, component_id) if isinstance(component_id, int) else None
        if component_id is not None and (component is None or component.project_id != project.id):
            v.error("component_id", gettext("is not a component of this project"))
        out["component_id"] = component_id
    start = project.implementation_start.date() if project.implementation_start else None
    for name in DATES:
        # Like steering meetings: nothing of the work plan happens before implementation starts
        # (a year-1901 date also squeezed every other bar of the timeline to nothing).
        if start and out.get(name) and out[name] < start:
            v.error(
                name,
                gettext("is before the implementation start (%(date)s)", date=start.isoformat()),
            )
    merged = {name: getattr(current, name, None) for name in FIELDS} | out
    for first, last in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if merged[first] and merged[last] and merged[last] < merged[first]:
            v.error(last, gettext("must not be before %(field)s", field=first))
    for name in ("actual_start", "actual_end"):
        if merged[name] and merged[name] > today:
            v.error(name, gettext("cannot be in the future: it records what happened"))
    status = merged["status"] or "planned"
    if status == "done" and not (merged["actual_start"] and merged["actual_end"]):
        v.error("status", gettext("an activity marked done needs its actual_start and actual_end"))
    if status == "ongoing" and not merged["actual_start"]:
        v.error("status", gettext("an ongoing activity needs its actual_start"))
    v.done()
    return out


def plan_activity(session: Session, engine, actor, project_id: int, values: dict, commit=True):
    with unit_of_work(session, commit):
        project, _ = open_project(
            session,
            engine,
            actor,
            project_id,
            states=ACTIVITY_STATES,
            what=gettext("Planning activities"),
        )
        now = engine.clock.now()
        clean = _read(session, project, values, None, now.date())
        activity = Activity(project_id=project.id, created_at=now, updated_at=now, **clean)
        session.add(activity)
        session.flush()
        append_event(
            session,
            action="activity_planned",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"activity_id": activity.id, **_jsonable(clean)},
        )
    return activity


def update_activity(session: Session, engine, actor, activity_id: int, values: dict, commit=True):
    """Any of the fields; dates reached and the status follow what actually happened."""
    with unit_of_work(session, commit):
        activity = session.get(Activity, activity_id)
        if activity is None:
            raise NotFound(gettext("No activity %(id)s.", id=activity_id))
        project, _ = open_project(
            session,
            engine,
            actor,
            activity.project_id,
            states=ACTIVITY_STATES,
            what=gettext("Updating activities"),
        )
        now = engine.clock.now()
        clean = _read(session, project, values, activity, now.date())
        changed = {
            k: {"from": _jsonable({k: getattr(activity, k)})[k], "to": _jsonable({k: v})[k]}
            for k, v in clean.items()
            if getattr(activity, k) != v
        }
        for key, value in clean.items():
            setattr(activity, key, value)
        activity.updated_at = now
        append_event(
            session,
            action="activity_updated",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"activity_id": activity.id, "changes": changed},
        )
    return activity


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


@dataclass(frozen=True)
class TimelineBar:
    """One activity as bars on a day axis starting at the timeline's first day."""

    activity: Activity
    planned_offset: int
    planned_days: int
    actual_offset: int | None
    actual_days: int | None


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    bars: list[TimelineBar]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# Built once: its cache key is worked out once, not at every project page.
_ACTIVITIES = (
    select(Activity)
    .where(Activity.project_id == bindparam("pid"))
    .order_by(Activity.planned_start, Activity.id)
)


def timeline(session: Session, engine, actor, project_id: int) -> Timeline:
    """From the implementation start (or the first activity) to the end (or the last one)."""
    project, _ = readable_project(session, engine, actor, project_id)
    activities = list(session.scalars(_ACTIVITIES, {"pid": project.id}))
    days = [d for a in activities for d in (a.planned_start, a.planned_end, a.actual_start,
                                             a.actual_end) if d]  # fmt: skip
    if project.implementation_start:
        days.append(project.implementation_start.date())
    if project.implementation_end:
        days.append(project.implementation_end.date())
    today = engine.clock.now().date()
    start, end = (min(days), max(days)) if days else (today, today)
    bars = [
        TimelineBar(
            activity=a,
            planned_offset=(a.planned_start - start).days,
            planned_days=(a.planned_end - a.planned_start).days + 1,
            actual_offset=(a.actual_start - start).days if a.actual_start else None,
            actual_days=((a.actual_end or today) - a.actual_start).days + 1
            if a.actual_start
            else None,
        )
        for a in activities
    ]
    return Timeline(start, end, bars)
