"""The engine and registry of the running app, for the adapters (web, API, CLI)."""

from flask import current_app

from twinflow.workflow.engine import Engine


def get_engine() -> Engine:
    return current_app.extensions["twinflow.engine"]
