"""Editing the fiche, freezing its revisions, returning it with comments on its sections, and
correcting the project particulars until the call opens.

Like the proposals' operations, each public one locks the project row, checks, writes and
commits once (rolling back on any refusal); freeze_revision runs inside a transition.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from twinflow.audit.operations import append_event
from twinflow.fiche.models import Fiche, FicheComment, FicheRevision
from twinflow.fiche.permissions import (
    FULL,
    acts_for_beneficiary,
    fiche_access,
    may_comment,
    may_edit_particulars,
    may_edit_text,
)
from twinflow.fiche.sections import check_content, template
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.reference import default_reference
from twinflow.text import control_problem
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted, StaleVersion
from twinflow.workflow.state_write import loaded

PARTICULARS = (
    "title",
    "beneficiary_institution",
    "sector",
    "instrument",
    "budget_eur",
    "implementation_months",
)
MAX_COMMENT = 5000


# -- reading ------------------------------------------------------------------------------


def particulars_of(project: Project) -> dict:
    """The particulars as JSON-ready values (the budget as a decimal string)."""
    values = {name: getattr(project, name) for name in PARTICULARS}
    if values["budget_eur"] is not None:  # an imported record may not state its budget
        values["budget_eur"] = f"{Decimal(values['budget_eur']):.2f}"
    return values


def current_text(session: Session, project: Project) -> tuple[dict, int]:
    """(every section of the template, the fiche's version: 0 before its first save)."""
    fiche = session.get(Fiche, project.id)
    sections = template().empty()
    if fiche is not None:
        sections.update({k: v for k, v in fiche.sections.items() if k in sections})
    return sections, fiche.version if fiche is not None else 0


def revisions_of(session: Session, project_id: int) -> list[FicheRevision]:
    return list(
        session.scalars(
            select(FicheRevision)
            .where(FicheRevision.project_id == project_id)
            .order_by(FicheRevision.number)
        )
    )


def approved_number(project: Project, revisions: list[FicheRevision]) -> int | None:
    """The revision the call circulated: the last one submitted before the call opened (no
    submission can follow it: the lifecycle never returns to drafting from the call)."""
    if project.circulated_at is None or not revisions:
        return None
    if project.state in template().editable_states + template().particulars_states:
        return None
    return revisions[-1].number


def status_of(project: Project, revision: FicheRevision, revisions: list, approved) -> str:
    if revision.number == approved:
        return "approved"
    if revision.returned_at is not None or revision.number != revisions[-1].number:
        return "returned"
    return "in_review" if project.state not in template().editable_states else "returned"


def readable_revisions(session: Session, user, project: Project) -> list[FicheRevision]:
    """The revisions this user may read: all of them, or the approved one alone."""
    access = fiche_access(user, project)
    if access is None:
        return []
    revisions = revisions_of(session, project.id)
    if access == FULL:
        return revisions
    approved = approved_number(project, revisions)
    return [r for r in revisions if r.number == approved]


# -- the text -----------------------------------------------------------------------------


def _locked(session: Session, engine, actor, project_id: int) -> tuple[Project, list[str]]:
    project = engine._lock(session, project_id)
    if fiche_access(actor, project) is None:
        raise NotFound(_("No project %(id)s.", id=project_id))
    return project, engine.parties(session, actor, project)


def save_text(
    session: Session, engine, actor, project_id: int, values, expected_version: int | None
) -> Fiche:
    """Replaces the fiche's text (a section not sent becomes empty); refused outside drafting."""
    try:
        project, parties = _locked(session, engine, actor, project_id)
        if not acts_for_beneficiary(actor, parties):
            raise NotPermitted(_("Only the beneficiary (or a coordinator for it) edits the fiche."))
        if not may_edit_text(actor, project, parties):
            raise Conflict(
                _(
                    "The fiche can be edited only while it is being drafted; it is read-only "
                    "now (%(state)s).",
                    state=project.state.replace("_", " "),
                ),
                {"state": project.state},
            )
        fiche = session.get(Fiche, project.id)
        version = fiche.version if fiche is not None else 0
        if expected_version is not None and expected_version != version:
            raise StaleVersion(
                _(
                    "The fiche changed since you loaded it (version %(expected)s, now "
                    "%(current)s); reload and try again.",
                    expected=expected_version,
                    current=version,
                ),
                {"expected_version": expected_version, "current_version": version},
            )
        clean, errors = check_content(values)
        if errors:
            named = {k if k == "sections" else f"sections.{k}": v for k, v in errors.items()}
            raise InvalidData(named, _("The fiche was not saved; see the reason for each field."))
        sections = template().empty() | clean
        now = engine.clock.now()
        created = fiche is None
        if created:
            fiche = Fiche(project_id=project.id, sections={}, updated_at=now)
            session.add(fiche)
        before = template().empty() | fiche.sections
        changed = [k for k in template().keys if before[k] != sections[k]]
        if changed or created:
            fiche.sections = sections
            fiche.updated_at = now
            fiche.updated_by_id = actor.id
            append_event(
                session,
                action="fiche_edited",
                now=now,
                actor=actor,
                project_id=project.id,
                data={"sections": changed},
            )
        session.commit()
        return fiche
    except BaseException:
        session.rollback()
        raise


def freeze_revision(session: Session, project: Project, now: datetime) -> FicheRevision:
    """The text as it stands becomes the next numbered revision (inside submit_fiche)."""
    sections, _version = current_text(session, project)
    values = {
        "project_id": project.id,
        "sections": sections,
        "particulars": particulars_of(project),
        "submitted_at": now,
        "returned_at": None,
    }
    row_id, number = (
        session.connection().execute(_FREEZE, {"of_project": project.id, **values}).one()
    )
    # Persistent as if loaded: the same INSERT the ORM's flush sent, without the unit of
    # work (whose flush also sent the moved project: about 1,300 Python calls a submission).
    revision = loaded(FicheRevision, id=row_id, number=number, **values)
    session.add(revision)
    set_committed_value(revision, "comments", [])  # a new revision has none: no query
    return revision


def _freeze_statement():
    # The next number is counted inside the INSERT (the project row is locked): one statement.
    table = FicheRevision.__table__
    number = (
        select(func.coalesce(func.max(table.c.number), 0) + 1)
        .where(table.c.project_id == bindparam("of_project"))
        .scalar_subquery()
    )
    return table.insert().values(number=number).returning(table.c.id, table.c.number)


# freeze_revision's INSERT, built once (it runs at every submission).
_FREEZE = _freeze_statement()


def return_with_comments(
    session: Session,
    engine,
    actor,
    project_id: int,
    comment: str | None,
    section_comments: dict[str, str],
) -> FicheRevision | None:
    """The coordinator's return: comments attach to the sections of the revision in review,
    then return_fiche applies, all in one transaction."""
    try:
        errors: dict[str, list[str]] = {}
        clean = {}
        for key, body in (section_comments or {}).items():
            body = (body or "").strip()
            if template().section(key) is None:
                errors[f"comments.{key}"] = [_("is not a section of the fiche")]
            elif len(body) > MAX_COMMENT:
                errors[f"comments.{key}"] = [
                    _("must be at most %(limit)s characters", limit=MAX_COMMENT)
                ]
            elif problem := control_problem(body, multiline=True):
                errors[f"comments.{key}"] = [problem]
            elif body:
                clean[key] = body
        if errors:
            raise InvalidData(
                errors, _("The fiche was not returned; see the reason for each field.")
            )
        project, _parties = _locked(session, engine, actor, project_id)
        revisions = revisions_of(session, project.id)
        latest = revisions[-1] if revisions else None
        if clean and not may_comment(actor, project):
            raise Conflict(_("Comments on sections go with a return, during the fiche's review."))
        now = engine.clock.now()
        if latest is not None and project.state == "fiche_review":
            for key in template().keys:
                if key in clean:
                    session.add(
                        FicheComment(
                            revision_id=latest.id,
                            section=key,
                            body=clean[key],
                            author_id=actor.id,
                            created_at=now,
                        )
                    )
            latest.returned_at = now
        # The engine checks who may return, from which state, and that a comment is given.
        engine.fire(session, actor, project.id, "return_fiche", comment=comment, commit=False)
        session.commit()
        return latest
    except BaseException:
        session.rollback()
        raise


# -- the particulars ----------------------------------------------------------------------


def _check_particulars(actor, project, definition, values: dict) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    unknown = sorted(set(values) - set(PARTICULARS))
    for name in unknown:
        errors[name] = [f"is not a particular; the particulars are: {', '.join(PARTICULARS)}"]
    for name in ("title", "beneficiary_institution"):
        if name in values:
            text = values[name] if isinstance(values[name], str) else None
            limit = 300 if name == "title" else 200
            if text is None or not text.strip():
                errors[name] = [_("must not be blank")]
            elif len(text.strip()) > limit:
                errors[name] = [_("must be at most %(limit)s characters", limit=limit)]
            elif problem := control_problem(text):
                errors[name] = [problem]
            else:
                clean[name] = text.strip()
    institution = clean.get("beneficiary_institution")
    # The institution decides who sees the project: a beneficiary renaming it would hand the
    # project to another administration, or lose it.
    moved = institution is not None and institution != project.beneficiary_institution
    if moved and actor.role != "coordinator":
        errors["beneficiary_institution"] = [_("only a coordinator may change the institution")]
    reference = default_reference()
    sectors, instruments = reference.new_project_sectors(), reference.new_project_instruments()
    if "sector" in values and values["sector"] not in sectors:
        errors["sector"] = [f"must be one of: {', '.join(sectors)}"]
    elif "sector" in values:
        clean["sector"] = values["sector"]
    if "instrument" in values and values["instrument"] not in instruments:
        errors["instrument"] = [f"must be one of: {', '.join(instruments)}"]
    elif "instrument" in values:
        clean["instrument"] = values["instrument"]
    if "budget_eur" in values:
        try:
            budget = Decimal(str(values["budget_eur"]))
            if not budget.is_finite() or budget < 0 or budget >= Decimal("1e12"):
                raise InvalidOperation
            clean["budget_eur"] = budget.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["budget_eur"] = [_("must be an amount in euros, at least 0")]
    if "implementation_months" in values:
        months = values["implementation_months"]
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 600:
            errors["implementation_months"] = [_("must be a whole number of months")]
        else:
            clean["implementation_months"] = months
    budget = clean.get("budget_eur", project.budget_eur)
    months = clean.get("implementation_months", project.implementation_months)
    for key, reason in definition.rules.project_problems(budget, months).items():
        if key in clean:
            errors.setdefault(key, []).append(f"{reason} for {definition.title}")
    return clean, errors


def update_particulars(
    session: Session, engine, actor, project_id: int, values: dict, expected_version: int | None
) -> Project:
    """Corrects the particulars until the call opens; each change is audited with its before
    and after values. After the contract, side letters and addenda change them."""
    try:
        project, parties = _locked(session, engine, actor, project_id)
        if not acts_for_beneficiary(actor, parties):
            raise NotPermitted(
                _("Only the beneficiary (or a coordinator) corrects the particulars.")
            )
        if not may_edit_particulars(actor, project, parties):
            raise Conflict(
                _(
                    "The particulars can be changed only until the call opens; once it is "
                    "circulated they are fixed (after the contract, by side letter or addendum)."
                ),
                {"state": project.state},
            )
        if expected_version is not None and project.version != expected_version:
            raise StaleVersion(
                _(
                    "The project changed since you loaded it (version %(expected)s, now "
                    "%(current)s); reload and try again.",
                    expected=expected_version,
                    current=project.version,
                ),
                {"expected_version": expected_version, "current_version": project.version},
            )
        definition = engine.definition_of(session, project)
        clean, errors = _check_particulars(actor, project, definition, values)
        if errors:
            raise InvalidData(errors, _("Nothing was changed; see the reason for each field."))
        before = particulars_of(project)
        for name, value in clean.items():
            setattr(project, name, value)
        after = particulars_of(project)
        changes = {
            k: {"from": before[k], "to": after[k]} for k in PARTICULARS if before[k] != after[k]
        }
        if changes:
            append_event(
                session,
                action="particulars_changed",
                now=engine.clock.now(),
                actor=actor,
                project_id=project.id,
                data={"changes": changes},
            )
        session.commit()
        return project
    except BaseException:
        session.rollback()
        raise
