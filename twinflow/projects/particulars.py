"""A project's particulars (the facts an import or a correction gives: reference, title,
beneficiary, sector, budget, months, dates, Member States, status note, source) read from and
written to the row, and `update_particulars`: one operation for every correction, with rules
per situation."""

from datetime import UTC, datetime, time

from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.i18n import gettext
from twinflow.partial_dates import PartialDate, stored
from twinflow.projects.fields import PARTICULARS, PUBLICATION, check_particulars, shown
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.projects.references import reference_key
from twinflow.reference import reference_for
from twinflow.workflow.errors import InvalidData, NotFound, NotPermitted, StaleVersion

# States whose project had its contract: its start and end are implementation's.
IMPLEMENTED_STATES = ("implementation", "suspended", "final_reporting", "closed")
REASON_MAX = 2000


def current_particulars(project: Project) -> dict:
    """The stored particulars, as check_particulars reads them."""
    return {
        "reference": project.reference,
        "title": project.title,
        "instrument": project.instrument,
        "beneficiary_country": project.beneficiary_country,
        "beneficiary_institution": project.beneficiary_institution,
        "sector": project.sector,
        "budget_eur": project.budget_eur,
        "implementation_months": project.implementation_months,
        "total_months": project.total_months,
        "start": stored(project.start_on, project.start_precision),
        "end": stored(project.end_on, project.end_precision),
        "lead_member_state": project.lead_member_state,
        "junior_member_states": list(project.junior_member_states or []),
        "status_note": project.status_note,
        "source_url": project.source_url,
        "priority_area": project.priority_area,
        "subsector": project.subsector,
        "topic": project.topic,
    }


def as_json(value):
    """A particular as an audit event or a report quotes it."""
    if isinstance(value, PartialDate):
        return value.text
    if isinstance(value, list):
        return list(value)
    return None if value is None else shown(value)


def apply_particulars(project: Project, values: dict) -> None:
    """Write clean values (check_particulars's) onto the row."""
    for name, value in values.items():
        if name in ("start", "end"):
            setattr(project, f"{name}_on", value.first if value else None)
            setattr(project, f"{name}_precision", value.precision if value else None)
        elif name == "reference":
            project.reference, project.reference_key = value, reference_key(value)
        elif name == "junior_member_states":
            project.junior_member_states = list(value or [])
        else:
            setattr(project, name, value)
    if project.state in IMPLEMENTED_STATES:
        start = stored(project.start_on, project.start_precision)
        end = stored(project.end_on, project.end_precision)
        # Deadlines anchored on implementation are counted from these: the period's first day
        # for a start stated as a month or a year, its last day for an end.
        project.implementation_start = _moment(start.first) if start else None
        project.implementation_end = _moment(end.last) if end else None


def _moment(day) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


# -- corrections -----------------------------------------------------------------------------


def correction_rule(user, project: Project, fields=()) -> str | None:
    """Who may change which project's particulars now, and why not: None when allowed.

    - an imported record: a coordinator or an administrator, with a reason (its values are
      what a source stated; a correction says why it departs from it);
    - where the public page files any project (PUBLICATION): a coordinator or an
      administrator;
    - a live project's other particulars come from creation and its lifecycle (fiche drafting
      has its own rule)."""
    if not can_view_project(user, project):
        return "not_found"
    editor = user.role in ("coordinator", "admin")
    if project.imported_at is not None or (fields and set(fields) <= set(PUBLICATION)):
        if editor:
            return None
        if project.imported_at is None:
            return "Only coordinators and administrators file a project for its public page."
        return "Only coordinators and administrators correct an imported record."
    return (
        "Only imported records are corrected here; "
        "a live project's particulars follow its lifecycle."
    )


def can_update_particulars(user, project: Project) -> bool:
    return (
        user is not None
        and getattr(user, "is_active", False)
        and (correction_rule(user, project) is None)
    )


def update_particulars(
    session: Session,
    engine,
    actor,
    project: Project,
    changes: dict,
    reason: str | None,
    *,
    expected_version: int | None = None,
) -> tuple[dict, list[tuple[str, str, str]]]:
    """Change some particulars of `project`: each field read as the import reads it, the rules
    of live steps reported as warnings. One `particulars_updated` audit event with before,
    after and the reason. Flushes; the caller commits. Returns (changed {field: {before,
    after}}, warnings)."""
    refusal = correction_rule(actor, project, tuple(changes))
    if refusal == "not_found":
        raise NotFound(gettext("No project %(id)s.", id=project.id))
    if refusal is not None:
        raise NotPermitted(refusal)
    if expected_version is not None and expected_version != project.version:
        raise StaleVersion(
            "The project changed since you read it; reload it and try again.",
            {"expected": expected_version, "current": project.version},
        )
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(changes) - set(PARTICULARS))
    for name in unknown:
        errors[name] = [
            f"is not a particular that can be changed; those are: {', '.join(PARTICULARS)}"
        ]
    reason = (reason or "").strip()
    if project.imported_at is not None and not reason:
        errors["reason"] = [
            "say why the recorded value is corrected (required for imported records)"
        ]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [f"must be at most {REASON_MAX} characters"]
    given = {k: v for k, v in changes.items() if k in PARTICULARS}
    if not given and not unknown:
        errors["changes"] = ["name at least one particular to change"]
    current = current_particulars(project)
    definition = engine.definition_of(session, project)
    checked = check_particulars(given, reference_for(engine), workflow=definition, current=current)
    for name, (_value, why) in checked.errors.items():
        errors.setdefault(name, []).append(why)
    if "reference" in checked.values and checked.values["reference"] is None:
        errors.setdefault("reference", []).append("cannot be emptied; give the right one")
    elif checked.values.get("reference"):
        from twinflow.projects.operations import reference_problem

        problem = reference_problem(session, checked.values["reference"], project.id)
        if problem:
            errors.setdefault("reference", []).append(problem)
    if errors:
        raise InvalidData(errors)
    changed = {
        name: {"before": as_json(current[name]), "after": as_json(value)}
        for name, value in checked.values.items()
        if as_json(current[name]) != as_json(value)
    }
    if not changed:
        return {}, checked.warnings
    apply_particulars(project, {k: checked.values[k] for k in changed})
    session.flush()
    append_event(
        session,
        action="particulars_updated",
        now=engine.clock.now(),
        actor=actor,
        project_id=project.id,
        data={
            "changes": changed,
            "reason": reason,
            "warnings": [{"column": c, "value": v, "reason": r} for c, v, r in checked.warnings],
        },
    )
    return changed, checked.warnings
