"""Mounts the web UI on the app: its blueprints, sign-in, error pages and security headers."""

from flask import Flask, request

from twinflow.error_handling import register_renderer
from twinflow.extensions import login_manager
from twinflow.text import control_problem, shown

# Only the app's own origin: no CDN, no inline script; forms post back to us alone.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    from twinflow.activities.views import blueprint as activities
    from twinflow.approvals.views import blueprint as approvals
    from twinflow.audit.views import blueprint as audit
    from twinflow.auth.views import admin_blueprint
    from twinflow.auth.views import blueprint as auth
    from twinflow.calls.views import blueprint as calls
    from twinflow.changes.views import blueprint as changes
    from twinflow.deadlines.views import blueprint as deadlines
    from twinflow.documents.views import blueprint as documents
    from twinflow.gallery.views import blueprint as gallery
    from twinflow.imports.views import blueprint as imports
    from twinflow.notifications.views import blueprint as notifications
    from twinflow.organisations.views import blueprint as organisations
    from twinflow.portfolio.views import blueprint as portfolio
    from twinflow.projects.views import blueprint as projects
    from twinflow.proposals.views import blueprint as proposals
    from twinflow.records.views import blueprint as records
    from twinflow.reference.views import blueprint as reference
    from twinflow.reports.views import blueprint as reports
    from twinflow.results.views import blueprint as results
    from twinflow.steering.views import blueprint as steering
    from twinflow.team.views import blueprint as team
    from twinflow.web import assets, filters, jinja_imports, language
    from twinflow.web.errors import render_error_page
    from twinflow.web.views import blueprint as web

    # First, so every hook and message after it speaks the request's language.
    language.init_app(app)
    for blueprint in (web, auth, admin_blueprint, projects, proposals, approvals, audit):
        app.register_blueprint(blueprint)
    app.register_blueprint(notifications)
    app.register_blueprint(calls)
    app.register_blueprint(deadlines)
    app.register_blueprint(organisations)
    # The implementation records: the layout they share, then one blueprint per feature.
    app.register_blueprint(records)
    for blueprint in (results, activities, team, reports, steering, changes, documents):
        app.register_blueprint(blueprint)
    app.register_blueprint(imports)
    app.register_blueprint(reference)
    app.register_blueprint(portfolio)
    app.register_blueprint(gallery)

    login_manager.login_view = "web_auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    register_renderer(app, "/", render_error_page)
    filters.init_app(app)
    jinja_imports.init_app(app)
    assets.init_app(app, web.static_folder)

    @app.before_request
    def _refuse_control_characters_in_the_query():
        """The pages' filters (?q=, ?state= ...) are read by many views; none of them may see a
        control character (PostgreSQL refuses NUL: a 500). The API's schemas judge its own."""
        if request.path.startswith("/api/"):
            return None
        for name, value in request.args.items(multi=True):
            problem = control_problem(name) or control_problem(value)
            if problem:
                label = shown(name)
                return render_error_page(
                    422,
                    "invalid_query",
                    f"Nothing was done: the parameter “{label}” of the address {problem}.",
                    {label: [problem]},
                    None,
                )
        return None

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        for name, value in SECURITY_HEADERS.items():
            # setdefault, without Werkzeug's KeyError (an exception built) for a header not set
            if not headers.getlist(name):
                headers.add(name, value)
        return response
