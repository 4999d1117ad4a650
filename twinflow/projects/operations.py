"""Creating projects and generating their Twinning references."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.i18n import gettext as _
from twinflow.projects.management import management_problems
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_create_project, covers_country
from twinflow.projects.references import reference_key
from twinflow.reference import reference_for
from twinflow.text import control_problem
from twinflow.workflow.errors import InvalidData, NotPermitted

REFERENCE_MAX = 60


def create_project(session: Session, engine, actor, values: dict, commit: bool = True) -> Project:
    """values: title, workflow, sector, instrument, budget_eur, implementation_months, and
    optionally description, programme_year, reference (kept as written; generated in today's
    form when none is given), management_mode (direct by default) and, under indirect
    management, contracting_authority_id; a coordinator also names beneficiary_country and
    beneficiary_institution (a beneficiary always creates for its own administration)."""
    if not can_create_project(actor):
        raise NotPermitted(_("Only beneficiary administrations and coordinators create projects."))
    now = engine.clock.now()
    values = dict(values)
    errors: dict[str, list[str]] = {}
    if actor.role == "beneficiary":
        for key in ("beneficiary_country", "beneficiary_institution"):
            given = values.get(key)
            own = actor.country if key == "beneficiary_country" else actor.organisation
            if given and given.casefold() != (own or "").casefold():
                errors[key] = [_("a beneficiary creates projects for its own administration only")]
        values["beneficiary_country"] = actor.country
        values["beneficiary_institution"] = actor.organisation
    for key in ("beneficiary_country", "beneficiary_institution"):
        if not values.get(key):
            errors.setdefault(key, [_("is required")])
    country = (values.get("beneficiary_country") or "").upper()
    if actor.role == "coordinator" and country and not covers_country(actor, country):
        errors.setdefault("beneficiary_country", []).append(
            _("is not a country your organisation covers")
        )
    mode, authority = management_problems(session, values, country, errors)
    try:
        definition = engine.registry.current(values.get("workflow") or "")
    except Exception:
        errors["workflow"] = [
            _("must be one of: %(values)s", values=", ".join(engine.registry.names()))
        ]
        definition = None
    # A new project chooses among today's codes; imported history may hold older ones.
    reference = reference_for(engine)
    sectors, instruments = reference.new_project_sectors(), reference.new_project_instruments()
    if values.get("sector") not in sectors:
        errors["sector"] = [_("must be one of: %(values)s", values=", ".join(sectors))]
    if values.get("instrument") not in instruments:
        errors["instrument"] = [_("must be one of: %(values)s", values=", ".join(instruments))]
    given = (values.get("reference") or "").strip() or None
    if given is not None:
        problem = reference_problem(session, given)
        if problem:
            errors["reference"] = [problem]
    if definition is not None:
        for key, reason in definition.rules.project_problems(
            values.get("budget_eur"), values.get("implementation_months")
        ).items():
            errors.setdefault(key, []).append(
                _("%(reason)s for %(type)s", reason=reason, type=definition.title)
            )
    if errors:
        raise InvalidData(errors)

    engine.registry.store_current(session)
    year = values.get("programme_year") or now.year
    project = Project(
        title=values["title"].strip(),
        description=(values.get("description") or "").strip(),
        workflow=definition.name,
        workflow_version=definition.version,
        state=definition.initial,
        beneficiary_country=values["beneficiary_country"].upper(),
        beneficiary_institution=values["beneficiary_institution"].strip(),
        sector=values["sector"],
        instrument=values["instrument"],
        programme_year=year,
        budget_eur=Decimal(str(values["budget_eur"])),
        implementation_months=values["implementation_months"],
        management_mode=mode,
        contracting_authority=authority,
        created_at=now,
        created_by_id=actor.id,
        state_changed_at=now,
    )
    try:
        if given is not None:
            project.reference, project.reference_key = given, reference_key(given)
            session.add(project)
            session.flush()
        else:
            _insert_with_reference(session, project, now)
        append_event(
            session,
            action="project_created",
            now=now,
            actor=actor,
            project_id=project.id,
            to_state=project.state,
            data={
                "reference": project.reference,
                "title": project.title,
                "workflow": project.workflow,
                "workflow_version": project.workflow_version,
                "management_mode": mode,
                "contracting_authority": authority and authority.name,
                "reference_given": given is not None,
            },
        )
        if commit:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return project


def _insert_with_reference(session: Session, project: Project, now: datetime) -> None:
    """CC YY INSTR SS NN ZZ: the serial NN counts projects with the same prefix. Two creators
    racing for one serial collide on the unique reference; the loser retries with the next."""
    prefix = (
        f"{project.beneficiary_country} {project.programme_year % 100:02d} "
        f"{project.instrument} {project.sector}"
    )
    for _attempt in range(5):
        serial = (
            session.scalar(
                select(func.count(Project.id)).where(Project.reference.like(f"{prefix} %"))
            )
            + 1
        )
        project.reference = f"{prefix} {serial:02d} {now.year % 100:02d}"
        project.reference_key = reference_key(project.reference)
        savepoint = session.begin_nested()
        try:
            session.add(project)
            session.flush()
            savepoint.commit()
            return
        except IntegrityError:
            savepoint.rollback()
    raise InvalidData({"reference": [_("could not allocate a unique reference; try again")]})


def reference_problem(session: Session, reference: str, project_id: int | None = None) -> str:
    """Why a given reference cannot be a project's, or "" if it can: it is kept verbatim, so
    it must be one line of reasonable length, and no other project may have it, however
    spaced or punctuated (search could not tell the two apart)."""
    problem = control_problem(reference)
    if problem:
        return problem
    if len(reference) > REFERENCE_MAX:
        return _("must be at most %(max)s characters", max=REFERENCE_MAX)
    key = reference_key(reference)
    if not key:
        return _("must contain a letter or a digit")
    other = session.scalar(
        select(Project).where(Project.reference_key == key, Project.id != (project_id or 0))
    )
    if other is not None:
        return _(
            "is already the reference of project %(id)s (%(reference)s)",
            id=other.id,
            reference=other.reference,
        )
    return ""
