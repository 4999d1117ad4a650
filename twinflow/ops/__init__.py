"""Running twinflow on several machines: request ids and JSON logs, /healthz, /readyz and
/metrics, the proxy's forwarded headers, and (in cli.py) backup, restore and moving documents
between stores. Configured by create_app through init_app."""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from twinflow.documents.storage import store_name
from twinflow.ops import health, logs, metrics


def init_app(app: Flask) -> None:
    # Settings checked at start-up: a typo stops the process with the variable's name rather
    # than failing the first upload or scrape.
    store_name(app.config)
    logs.check_format(app.config.get("LOG_FORMAT"))
    metrics.networks(app.config)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops < 0:
        raise ValueError(f"TWINFLOW_PROXY_HOPS={hops} must be 0 or more")
    if hops:
        # Trust exactly this many proxies' X-Forwarded-For/-Proto/-Host/-Port: the client's
        # address (sessions, throttling, /metrics), https links and Secure cookies follow them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    # First of the before_request hooks: everything logged afterwards has the request id.
    app.before_request_funcs.setdefault(None, []).insert(0, logs.start)
    app.after_request(_after)
    app.teardown_request(logs.forget)
    metrics.listen_for_transitions()
    app.register_blueprint(health.blueprint)
    app.register_blueprint(metrics.blueprint)


def _after(response):
    seconds = logs.finish(response)
    metrics.observe_request(request.method, logs.route(), response.status_code, seconds)
    return response
