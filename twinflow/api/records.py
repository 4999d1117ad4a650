"""What the implementation resources share: finding a record under its project in the URL, and
records (reports, side letters, addenda) shown with the steps the caller may take."""

from twinflow.api.common import ID
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.records.steps import record_steps
from twinflow.results.models import Indicator, MandatoryResult
from twinflow.services import get_engine
from twinflow.workflow.errors import NotFound

PROJECT = f"/<{ID}:project_id>"


def _project_id_of(record) -> int:
    if isinstance(record, Indicator):
        return record.result.component.project_id
    if isinstance(record, MandatoryResult):
        return record.component.project_id
    return record.project_id


def owned(model, record_id: int, project_id: int, what: str):
    """The record if it belongs to the project named in the URL; whether the caller may see it
    is the operation's question."""
    record = db.session.get(model, record_id)
    if record is None or _project_id_of(record) != project_id:
        raise NotFound(f"No {what} {record_id} on project {project_id}.")
    return record


def record_views(user, project_id: int, records: list) -> list[dict]:
    """Each record as the API shows it, with `your_steps` (parties computed once)."""
    if not records:
        return []
    engine = get_engine()
    project = db.session.get(Project, project_id)
    parties = engine.parties(db.session, user, project)
    return [_view(engine, user, project, parties, r) for r in records]


def record_view(user, record) -> dict:
    return record_views(user, record.project_id, [record])[0]


def _view(engine, user, project, parties, record) -> dict:
    workflow = engine.record_workflow(db.session, record)
    view = {c.key: getattr(record, c.key) for c in record.__table__.columns}
    view["state_label"] = workflow.label_of(record.state)
    view["your_steps"] = [
        {
            "trigger": step.spec.trigger,
            "label": step.spec.label,
            "available": step.available,
            "blocked_by": step.blocked_by,
            "comment_required": step.spec.comment_required,
            "signed": list(step.signed),
            "owed": list(step.owed),
        }
        for step in record_steps(db.session, engine, user, project, record, parties)
    ]
    return view
