"""WSGI entry point: `gunicorn wsgi:app`."""

from twinflow import create_app

app = create_app()
