"""Mounts the REST API (flask-smorest) on the app."""


def init_app(app) -> None:
    return None
