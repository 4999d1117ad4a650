"""Mounts the REST API (flask-smorest) on the app: blueprints, OpenAPI, docs page, JSON errors."""

from flask import Blueprint, render_template_string, url_for

from twinflow import error_handling
from twinflow.extensions import api, csrf

_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>twinflow API</title>
<link rel="stylesheet" href="{{ css }}"></head>
<body data-spec="{{ spec }}"><div id="swagger-ui"></div>
<script src="{{ bundle }}"></script><script src="{{ init }}"></script></body></html>
"""


def init_app(app) -> None:
    from twinflow import uploads
    from twinflow.api import (
        activities,
        approvals,
        audit,
        auth,
        changes,
        deadlines,
        documents,
        imports,
        notifications,
        portfolio,
        projects,
        proposals,
        record_types,
        reports,
        results,
        steering,
        transitions,
        workflows,
    )
    from twinflow.api.errors import render_api_error
    from twinflow.api.fields import DecimalString
    from twinflow.api.schemas import ErrorSchema
    from twinflow.api.security import BEARER, BEARER_SCHEME
    from twinflow.calls import api as calls_api
    from twinflow.fiche import api as fiche
    from twinflow.organisations import api as organisations_api
    from twinflow.selection import api as selection

    options = dict(app.config.get("API_SPEC_OPTIONS") or {})
    options.setdefault("security", BEARER)
    options.setdefault(
        "info",
        {
            "description": "Every lifecycle action of twinflow over HTTP. Sign in with "
            "`POST /api/v1/auth/token` and send `Authorization: Bearer <token>`."
            # Code spans: the docs page renders Markdown, where a bare <token> is eaten as HTML.
        },
    )
    app.config["API_SPEC_OPTIONS"] = options
    # Document errors in our one shape, not flask-smorest's default one.
    api.ERROR_SCHEMA = ErrorSchema
    api.init_app(app)
    # flask-smorest installs its own HTTPException handler; errors must keep one shape app-wide.
    error_handling.init_app(app)
    error_handling.register_renderer(app, "/api/", render_api_error)
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    if not any(f[0] is DecimalString for f in api._fields):
        api.register_field(DecimalString, "string", "decimal")

    uploads.init_app(app)
    resources = (
        auth,
        workflows,
        projects,
        fiche,
        transitions,
        approvals,
        proposals,
        calls_api,
        selection,
        audit,
        imports,
        notifications,
        portfolio,
    )
    implementation = (
        results,
        activities,
        reports,
        changes,
        steering,
        documents,
        record_types,
        deadlines,
    )
    administration = (organisations_api.organisations_blp, organisations_api.users_blp)
    # Inside the app: the document's enums are read from its lifecycles and reference data
    # (api/vocabularies.py) when each blueprint's operations are written into it.
    with app.app_context():
        for blp in [m.blp for m in resources + implementation] + list(administration):
            # Bearer tokens only, never the cookie session: cross-site requests carry no
            # credentials, so CSRF tokens have nothing to protect here.
            csrf.exempt(blp)
            api.register_blueprint(blp)
    app.register_blueprint(_docs_blueprint())


def _docs_blueprint() -> Blueprint:
    """Swagger UI, vendored from the npm package swagger-ui-dist (no CDN)."""
    docs = Blueprint(
        "api_docs_page",
        __name__,
        static_folder="api/static",
        static_url_path="/api/v1/docs/static",
    )

    @docs.get("/api/v1/docs")
    def page():
        static = "api_docs_page.static"
        return render_template_string(
            _DOCS_PAGE,
            css=url_for(static, filename="swagger-ui/swagger-ui.css"),
            bundle=url_for(static, filename="swagger-ui/swagger-ui-bundle.js"),
            init=url_for(static, filename="swagger-ui/init.js"),
            spec=url_for("api-docs.openapi_json"),
        )

    return docs
