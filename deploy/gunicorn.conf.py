"""gunicorn settings for twinflow: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Values come from the environment (below) and can be overridden on the command line. The
proxy's X-Forwarded-* headers are handled by the app (TWINFLOW_PROXY_HOPS, Werkzeug's
ProxyFix), not by gunicorn, so there is one place that decides whom to trust.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("TWINFLOW_BIND", "127.0.0.1:8000")
# Threads wait on the database most of the time: a few per worker, workers per core.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("TWINFLOW_THREADS", "4"))
# A worker silent this long is killed and replaced. The proxy buffers uploads, so a slow
# client never holds a worker; 60 s leaves room for a 20 MB document into the database.
timeout = int(os.environ.get("TWINFLOW_WORKER_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (with jitter, not all at once) against slow leaks.
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = ""
control_socket_disable = True
# Requests are logged by the app, as JSON lines with their request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("TWINFLOW_LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "twinflow": {
            "()": "twinflow.ops.logs.formatter",
            "fmt": os.environ.get("TWINFLOW_LOG_FORMAT", "json"),
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "twinflow",
            "stream": "ext://sys.stderr",
        }
    },
    # The app's own handler goes on the root logger (wsgi.py); gunicorn adds none there.
    "root": {"level": loglevel.upper(), "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}

# prometheus-client's multiprocess mode: each worker writes its counters to files in this
# folder and /metrics sums them. One folder per gunicorn master, emptied at start.
# (This file is read again on HUP: the folder made the first time is kept, and removed at exit.)
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="twinflow-metrics-")
    os.environ["TWINFLOW_OWN_METRICS_DIR"] = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    own = os.environ.get("TWINFLOW_OWN_METRICS_DIR")
    if own:
        shutil.rmtree(own, ignore_errors=True)
