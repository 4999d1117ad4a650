"""WSGI entry point: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`."""

from twinflow import create_app
from twinflow.ops.logs import configure_logging

app = create_app()
configure_logging(app.config.get("LOG_FORMAT"), app.config.get("LOG_LEVEL"))
