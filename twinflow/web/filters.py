"""Jinja filters and the values every page needs (navigation, unread count, labels)."""

import contextlib
from datetime import datetime

from flask import current_app, g
from flask_login import current_user
from markupsafe import Markup, escape

from twinflow.i18n.formats import date_text, datetime_text, money_text, number_text
from twinflow.partial_dates import format_partial
from twinflow.reference import default_reference
from twinflow.web.labels import ACTION_LABELS, PARTY_LABELS, ROLE_NAMES, country_name


# In the request's language (twinflow.i18n.formats): English exactly as it always read.
def fmt_datetime(value: datetime | None) -> str:
    return datetime_text(value)


def fmt_date(value: datetime | None) -> str:
    return date_text(value)


def fmt_money(value) -> str:
    return money_text(value)


def keep_lines(text: str | None) -> Markup:
    """Text a person typed on several lines: escaped, then each line break shown as one."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    return Markup("<br>\n").join(escape(line) for line in lines)


def deadline_title(deadline, project) -> str:
    """A deadline's title in the reader's language. The row keeps the English title its
    definition gave when it was set (and a hand-dated one keeps its own), so English reads the
    row; another language asks the project's pinned definition for its label of the key."""
    from twinflow.extensions import db
    from twinflow.i18n import DEFAULT_LANGUAGE, current_language

    if current_language() == DEFAULT_LANGUAGE or project is None:
        return deadline.title
    registry = current_app.extensions["twinflow.registry"]
    try:
        definition = registry.get(project.workflow_version, db.session)
    except Exception:  # a definition that no longer loads still has its English row
        return deadline.title
    return definition.deadline_label(deadline.key) or deadline.title


def state_label(project_or_version, state: str | None = None) -> str:
    """The label the project's own (pinned) definition gives its state."""
    from twinflow.extensions import db

    if state is None:
        version, state = project_or_version.workflow_version, project_or_version.state
    else:
        version = project_or_version
    registry = current_app.extensions["twinflow.registry"]
    if not version:  # a state across projects (the dashboard's counts): the current files'
        for name in registry.names():
            spec = registry.current(name).states.get(state)
            if spec is not None:
                return spec.label
    try:
        definition = registry.get(version, db.session)
        return definition.states[state].label
    except Exception:  # an unknown state name still deserves a readable label
        return (state or "").replace("_", " ").capitalize()


def trigger_label(trigger: str | None) -> str:
    """The label a lifecycle file gives a trigger ("Submit the fiche for review"), for events
    whose project definition is not at hand; the code in words if no file names it."""
    registry = current_app.extensions["twinflow.registry"]
    definitions = [registry.current(name) for name in registry.names()]
    with contextlib.suppress(Exception):  # the record types add their labels if they load
        definitions += [registry.record(t) for t in registry.record_types()]
    for definition in definitions:
        specs = definition.transitions_named(trigger or "")
        if specs:
            return specs[0].label
    return (trigger or "").replace("_", " ").capitalize()


def workflow_title(name: str) -> str:
    registry = current_app.extensions["twinflow.registry"]
    try:
        return registry.current(name).title
    except Exception:
        return name


def state_badge(project) -> Markup:
    # Escaped by hand: Markup.format parses its template on every call (once per list row).
    state, label = escape(project.state), escape(state_label(project))
    return Markup(f'<span class="badge state-{state}">{label}</span>')


def init_app(app) -> None:
    app.jinja_env.filters.update(
        datetime=fmt_datetime,
        date=fmt_date,
        money=fmt_money,
        number=number_text,
        country=country_name,
        sector=lambda code: default_reference().sector_label(code) or "—",
        instrument=lambda code: default_reference().instrument_label(code) or "—",
        partial=lambda project, name: format_partial(
            getattr(project, f"{name}_on"), getattr(project, f"{name}_precision")
        ),
        party=lambda p: PARTY_LABELS.get(p, p),
        role=lambda r: ROLE_NAMES.get(r) or (r or "").replace("_", " "),
        action=lambda a: ACTION_LABELS.get(a, a.replace("_", " ")),
        workflow=workflow_title,
        deadline_title=deadline_title,
        lines=keep_lines,
    )
    from twinflow.web.page_kept import record_tabs
    from twinflow.web.page_reads import project_url
    from twinflow.web.page_rows import deadline_row, deadline_rows, event_actor, event_text

    app.jinja_env.globals.update(
        state_label=state_label,
        state_badge=state_badge,
        trigger_label=trigger_label,
        event_text_html=event_text,
        event_actor_html=event_actor,
        deadline_row_html=deadline_row,
        deadline_rows=deadline_rows,
        project_url=project_url,
        record_tabs_kept=record_tabs,
    )

    @app.context_processor
    def _nav():
        unread = 0
        if current_user.is_authenticated and not g.get("skip_nav_queries"):
            from twinflow.extensions import db
            from twinflow.notifications.inbox import unread_count

            unread = unread_count(db.session, current_user)
        return {
            "unread_notifications": unread,
            "now": current_app.extensions["twinflow.engine"].clock.now(),
        }
