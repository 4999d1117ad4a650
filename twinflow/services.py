"""The engine, registry and file storage of the running app, for the adapters (web, API, CLI)."""

from flask import current_app

from twinflow.implementation.storage import (
    LocalStorage,
    UploadLimits,
    limits_from_config,
    storage_from_config,
)
from twinflow.workflow.engine import Engine


def get_engine() -> Engine:
    return current_app.extensions["twinflow.engine"]


def get_storage() -> LocalStorage:
    """UPLOAD_DIR, or the instance folder's uploads/; built on first use, never at import."""
    storage = current_app.extensions.get("twinflow.storage")
    if storage is None:
        storage = storage_from_config(current_app.config, current_app.instance_path)
        current_app.extensions["twinflow.storage"] = storage
    return storage


def get_upload_limits() -> UploadLimits:
    return limits_from_config(current_app.config)
