"""WSGI entry point: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`."""

import gc

from twinflow import create_app
from twinflow.ops.logs import configure_logging

app = create_app()
configure_logging(app.config.get("LOG_FORMAT"), app.config.get("LOG_LEVEL"))

# The app, its modules and the lifecycle definitions live as long as the process: moved out of
# the collector's sight, they are no longer walked by every full collection, and with a larger
# first generation a page's short-lived objects (freed by reference counting anyway) trigger
# fewer collections. Measured 6-15% of a page's CPU (bench/results/s25-common.md). Here, not in
# create_app: a test process builds many apps and keeps Python's defaults.
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 20, 20)
