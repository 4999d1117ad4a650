"""Mounts the web UI blueprints on the app."""


def init_app(app) -> None:
    return None
