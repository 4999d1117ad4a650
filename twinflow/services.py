"""The engine, registry and file storage of the running app, for the adapters (web, API, CLI)."""

from flask import current_app

from twinflow.documents.storage import (
    DocumentStore,
    UploadLimits,
    limits_from_config,
    storage_from_config,
)
from twinflow.workflow.engine import Engine


def get_engine() -> Engine:
    return current_app.extensions["twinflow.engine"]


def get_storage() -> DocumentStore:
    """The store TWINFLOW_DOCUMENT_STORE names: UPLOAD_DIR (or the instance folder's uploads/),
    or the database, whose chunks join the request's transaction. Built on first use."""
    storage = current_app.extensions.get("twinflow.storage")
    if storage is None:
        from twinflow.extensions import db

        storage = storage_from_config(
            current_app.config, current_app.instance_path, session=lambda: db.session
        )
        current_app.extensions["twinflow.storage"] = storage
    return storage


def get_upload_limits() -> UploadLimits:
    return limits_from_config(current_app.config)
