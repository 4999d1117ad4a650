"""What every implementation operation starts with: one transaction, a locked project, and
the checks of who may act on it and when; and the deadline a record meets (a submitted report,
a held steering committee)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from twinflow.deadlines import operations as deadlines
from twinflow.i18n import gettext
from twinflow.projects.permissions import can_view_project
from twinflow.records.permissions import can_manage_records, can_view_records
from twinflow.workflow.errors import Conflict, NotFound, NotPermitted
from twinflow.workflow.signoffs import FireResult
from twinflow.workflow.subjects import RecordTarget, check_project_state, stages

__all__ = ["Advanced", "advance", "check_project_state", "load_for_change", "unit_of_work"]

# What a step on a record did: applied, or a signature added (`owed` still must sign).
Advanced = FireResult


@contextmanager
def unit_of_work(session: Session, commit: bool = True) -> Iterator[None]:
    """Each operation is one transaction: committed at the end, rolled back on any error."""
    try:
        yield
        if commit:
            session.commit()
    except BaseException:
        session.rollback()
        raise


def open_project(
    session: Session, engine, actor, project_id: int, *, states=None, what: str = "This"
):
    """The locked project and the actor's parties on it, for a change to its records."""
    project = engine._lock(session, project_id)
    parties = check_view(session, engine, actor, project, project_id)
    if not can_manage_records(parties):
        raise NotPermitted(
            gettext(
                "%(what)s is done by the project leaders (beneficiary and lead Member State) or "
                "a coordinator.",
                what=what,
            )
        )
    if states is not None and project.state not in states:
        raise Conflict(
            gettext(
                "%(what)s is possible only while the project is at the stage %(stages)s; it is at "
                "the stage %(stage)s.",
                what=what,
                stages=stages(states),
                stage=stages([project.state]),
            ),
            {"project_state": project.state},
        )
    return project, parties


def readable_project(session: Session, engine, actor, project_id: int):
    """The project for reading its records, or NotFound for whoever may not see them."""
    from twinflow.projects.models import Project

    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(gettext("No project %(id)s.", id=project_id))
    return project, check_view(session, engine, actor, project, project_id)


def check_view(session, engine, actor, project, project_id) -> list[str]:
    if not can_view_project(actor, project):
        raise NotFound(gettext("No project %(id)s.", id=project_id))
    parties = engine.parties(session, actor, project)
    if not can_view_records(actor, project, parties):
        raise NotPermitted(
            gettext(
                "Implementation records are shown to the project's parties (its beneficiary, its "
                "lead Member State and the coordinators) only."
            )
        )
    return parties


def record_deadline_met(session: Session, project_id: int, key: str, now: datetime) -> int:
    """Meets the open deadline `key` (e.g. "interim_report#3"); returns 1, or 0 when none was
    open (already met by an earlier submission, or never scheduled)."""
    try:
        deadlines.record_deadline_met(session, project_id, key, now=now)
    except NotFound:
        return 0
    return 1


def advance(
    session: Session, engine, actor, model, record_id: int, trigger: str, comment=None, commit=True
) -> FireResult:
    """A step of a record's workflow, taken by the engine's one path (a co-signed step adds the
    actor's signature; the last one applies it)."""
    target = RecordTarget(model, record_id, check_view)
    return engine.fire(session, actor, target, trigger, comment=comment, commit=commit)


# Whole sentences per record type, so that each reads in French with its own gender; the
# English keeps the model's name ("No changerequest 3."), as the API has always said.
_NO_RECORD = {
    "report": lambda i: gettext("No report %(id)s.", id=i),
    "changerequest": lambda i: gettext("No changerequest %(id)s.", id=i),
    "reviewmission": lambda i: gettext("No reviewmission %(id)s.", id=i),
}


def no_record(model, record_id) -> NotFound:
    name = model.__name__.lower()
    said = _NO_RECORD.get(name)
    return NotFound(said(record_id) if said else f"No {name} {record_id}.")


def load_for_change(session: Session, engine, actor, model, record_id: int):
    """The record and its project, the project row locked so that changes to its records queue;
    a record on a project the user may not see does not exist for them."""
    record = session.get(model, record_id)
    if record is None:
        raise no_record(model, record_id)
    project = engine._lock(session, record.project_id)
    session.refresh(record)
    if not can_view_project(actor, project):
        raise no_record(model, record_id)
    return record, project, check_view(session, engine, actor, project, project.id)


def new_round_if_signed(session: Session, engine, record, now: datetime) -> None:
    """An edit after someone signed: those signatures were on the old text, so the round's
    sign-off is withdrawn and a new round begins."""
    open_ = engine.signoffs_of(
        session, record.record_type, record.id, record.signing_round, status="pending"
    )
    if any(s.decisions for s in open_):
        engine.withdraw_signoffs(session, record.record_type, record.id, now)
        record.signing_round += 1
