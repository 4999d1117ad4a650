"""Documents attached to a project at any stage: uploaded, listed and downloaded under the
project's permissions, each upload and download in the audit trail, tampering detected."""

from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.auth.models import User
from twinflow.changes.models import ChangeRequest
from twinflow.documents.models import CATEGORY_WORDS, DOCUMENT_CATEGORIES, Document
from twinflow.documents.permissions import can_upload_document, can_view_document, document_admitted
from twinflow.documents.storage import DocumentStore, UploadLimits, hash_of
from twinflow.i18n import gettext
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.records.operations import unit_of_work
from twinflow.reports.models import Report
from twinflow.steering.models import SteeringMeeting
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

LINKS = {"report_id": Report, "change_id": ChangeRequest, "meeting_id": SteeringMeeting}


def upload_document(
    session: Session,
    engine,
    storage: DocumentStore,
    actor,
    project_id: int,
    *,
    stream: BinaryIO,
    filename: str | None,
    content_type: str | None,
    category: str,
    limits: UploadLimits,
    links: dict | None = None,
    commit: bool = True,
) -> Document:
    """links: optionally one of report_id, change_id, meeting_id (a record of this project)."""
    stored = None
    try:
        with unit_of_work(session, commit):
            project = engine._lock(session, project_id)
            if not can_view_project(actor, project):
                raise NotFound(gettext("No project %(id)s.", id=project_id))
            errors: dict[str, list[str]] = {}
            if category not in DOCUMENT_CATEGORIES:
                listed = ", ".join(DOCUMENT_CATEGORIES)
                errors["category"] = [gettext("must be one of: %(options)s", options=listed)]
            link_values = _check_links(session, engine, project, links or {}, errors)
            if errors:
                raise InvalidData(errors)
            parties = engine.parties(session, actor, project)
            if not can_upload_document(project, parties, category):
                raise NotPermitted(
                    gettext(
                        "You may not attach a %(category)s document to this project.",
                        category=str(CATEGORY_WORDS.get(category, category)).lower(),
                    )
                )
            stored = storage.save(stream, filename, content_type, limits)
            now = engine.clock.now()
            document = Document(
                project_id=project.id,
                category=category,
                filename=stored.filename,
                content_type=stored.content_type,
                size_bytes=stored.size,
                sha256=stored.sha256,
                storage_key=stored.key,
                uploaded_by_id=actor.id,
                uploaded_at=now,
                **link_values,
            )
            session.add(document)
            session.flush()
            append_event(
                session,
                action="document_uploaded",
                now=now,
                actor=actor,
                project_id=project.id,
                data={
                    "document_id": document.id,
                    "category": category,
                    "filename": stored.filename,
                    "size_bytes": stored.size,
                    "sha256": stored.sha256,
                    **link_values,
                    **_whose(actor),
                },
            )
    except BaseException:
        if stored is not None:  # the row was not committed: the file must not linger
            storage.abandon(stored.key)
        raise
    return document


def _check_links(session, engine, project, links: dict, errors: dict) -> dict:
    out = {}
    for name, value in links.items():
        model = LINKS.get(name)
        if model is None:
            errors[name] = [f"unknown link (accepted: {', '.join(LINKS)})"]
            continue
        if value is None:
            continue
        record = session.get(model, value) if isinstance(value, int) else None
        if record is None or record.project_id != project.id:
            errors[name] = ["is not a record of this project"]
            continue
        workflow_name = getattr(record, "workflow_name", None)
        if workflow_name is not None:
            # A file joins a report or change while its text may change; once signed it would
            # slip in beside signatures given without it.
            workflow = engine.record_workflow(session, record)
            if record.state not in workflow.editable:
                state = workflow.label_of(record.state).lower()
                open_states = " or ".join(workflow.label_of(e).lower() for e in workflow.editable)
                errors[name] = [
                    f"{record.label} is {state}; files are attached while it is {open_states}"
                ]
                continue
        out[name] = value
    if len(out) > 1:
        errors["links"] = ["a document belongs to one record at most"]
    return out


@dataclass
class Download:
    """An open, verified file; the caller streams it and closes it."""

    document: Document
    handle: BinaryIO


def open_document(
    session: Session, engine, storage: DocumentStore, actor, document_id: int
) -> Download:
    """Checks the user may see it and that the file still has its recorded SHA-256; the
    download, and a failed integrity check, are written to the audit trail."""
    document = session.get(Document, document_id)
    project = session.get(Project, document.project_id) if document else None
    if document is None or not can_view_project(actor, project):
        raise NotFound(gettext("No document %(id)s.", id=document_id))
    parties = engine.parties(session, actor, project)
    uploader = session.get(User, document.uploaded_by_id)
    if not can_view_document(actor, project, parties, document, uploader):
        if not document_admitted(document):  # a bid's document: not even its existence
            raise NotFound(gettext("No document %(id)s.", id=document_id))
        raise NotPermitted(gettext("This document is not shared with you."))
    now = engine.clock.now()
    try:
        handle = storage.open(document.storage_key)
    except (OSError, ValueError):
        handle = None
    actual = hash_of(handle) if handle is not None else None
    if actual != document.sha256:
        if handle is not None:
            handle.close()
        with unit_of_work(session):
            append_event(
                session,
                action="document_integrity_failed",
                now=now,
                actor=actor,
                project_id=project.id,
                data={
                    "document_id": document.id,
                    "category": document.category,
                    "expected_sha256": document.sha256,
                    "found_sha256": actual,
                    **_whose(actor),
                },
            )
        raise Conflict(
            f"{document.filename} no longer matches the file uploaded (SHA-256 differs"
            + (")" if actual else "; the file is missing)")
            + ": it may have been tampered with; the attempt is in the audit trail.",
            {"document_id": document.id},
        )
    handle.seek(0)
    try:
        with unit_of_work(session):
            append_event(
                session,
                action="document_downloaded",
                now=now,
                actor=actor,
                project_id=project.id,
                data={
                    "document_id": document.id,
                    "category": document.category,
                    "sha256": document.sha256,
                    **_whose(actor),
                },
            )
    except BaseException:
        handle.close()
        raise
    return Download(document, handle)


def _whose(actor) -> dict:
    """A Member State actor's country goes into the event: the audit trail shows a Member
    State's document events to that Member State only (audit/permissions.py)."""
    return {"member_state": actor.country} if actor.role == "member_state" else {}


def list_documents(session: Session, engine, actor, project_id: int) -> list[Document]:
    project = session.get(Project, project_id)
    if project is None or not can_view_project(actor, project):
        raise NotFound(gettext("No project %(id)s.", id=project_id))
    parties = engine.parties(session, actor, project)
    documents = session.scalars(
        select(Document).where(Document.project_id == project.id).order_by(Document.uploaded_at)
    )
    uploaders: dict[int, User | None] = {}
    out = []
    for doc in documents:
        if doc.uploaded_by_id not in uploaders:
            uploaders[doc.uploaded_by_id] = session.get(User, doc.uploaded_by_id)
        if can_view_document(actor, project, parties, doc, uploaders[doc.uploaded_by_id]):
            out.append(doc)
    return out
