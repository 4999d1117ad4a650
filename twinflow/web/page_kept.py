"""What the project page keeps from one request to the next: drawings and form classes
that depend only on what they are made from (each kept by all of it), so a page shown again
makes nothing new. Bounded. (The diagram's visited states are read at every page: one
statement; only the drawing is kept.)"""

from flask import current_app, request
from markupsafe import Markup
from sqlalchemy import bindparam, select

from twinflow.audit.models import AuditEvent
from twinflow.i18n import current_language, current_translations
from twinflow.projects.forms import trigger_form_class
from twinflow.web.page_rows import escaped_text
from twinflow.workflow.diagram_svg import svg

_VISITED = (
    select(AuditEvent.from_state, AuditEvent.to_state)
    .where(AuditEvent.project_id == bindparam("pid"), AuditEvent.to_state.is_not(None))
    .distinct()
)


def visited_states(session, project_id: int) -> list[str]:
    """The states the project has been in: a path, not a secret (the current state is shown)."""
    rows = session.execute(_VISITED, {"pid": project_id})
    return [s for pair in rows for s in pair if s]


# Diagrams drawn already, by what they are drawn from: the definition (each entry keeps it, so
# its id names no other while the entry lives), the language and its catalogue, the current
# and the visited states. Few combinations exist; bounded all the same.
_DRAWN: dict[tuple, tuple] = {}
_DRAWN_MAX = 512


def diagram_svg(session, definition, project) -> Markup:
    """The lifecycle drawn on the server (no diagram library shipped), built from escaped
    labels only, hence safe to mark up."""
    visited = visited_states(session, project.id)
    key = (
        id(definition),
        current_language(),
        current_translations(),
        project.state,
        frozenset(visited),
    )
    drawn = _DRAWN.get(key)
    if drawn is None or drawn[0] is not definition:
        if len(_DRAWN) >= _DRAWN_MAX:
            _DRAWN.clear()
        drawn = _DRAWN[key] = (definition, Markup(svg(definition, project.state, visited)))
    return drawn[1]


# Trigger form classes made already (a class per trigger, its labels in one language), by the
# spec and rules they were made from (each entry keeps them, so their ids name no others).
_FORMS: dict[tuple, tuple] = {}


def trigger_form(spec, rules):
    """projects.forms.trigger_form_class(spec, rules), made once per language."""
    key = (id(spec), id(rules), current_language(), current_translations())
    made = _FORMS.get(key)
    if made is None or made[0] is not spec or made[1] is not rules:
        if len(_FORMS) >= _DRAWN_MAX:
            _FORMS.clear()
        made = _FORMS[key] = (spec, rules, trigger_form_class(spec, rules))
    return made[2]


# The fields of fresh trigger forms written already, by the form class (one per spec, rules,
# language and catalogue, kept above; each entry keeps it) and prefix.
_FIELDS: dict[tuple, tuple] = {}


def trigger_fields(made, prefix: str) -> Markup:
    """The visible fields of a trigger form (class `made`) shown fresh (no data, no errors),
    as the page's macro writes them: they depend on the class and the prefix only (the
    per-request values, the token, version and seen seq, are hidden fields written apart)."""
    key = (id(made), prefix)
    kept = _FIELDS.get(key)
    if kept is None or kept[0] is not made:
        if len(_FIELDS) >= _DRAWN_MAX:
            _FIELDS.clear()
        template = current_app.jinja_env.get_template("projects/_trigger_fields.html")
        form = made(formdata=None, prefix=prefix)
        kept = _FIELDS[key] = (made, Markup(template.module.trigger_fields(form)))
    return kept[1]


class FreshForm:
    """A trigger form shown fresh (no data, no errors) without making its WTForms form: what
    the page prints of it, its three hidden fields, written as the form's hidden widget
    (web/forms.py: QuickHiddenInput) writes them, under WTForms' prefixed names. `token`: the
    request's CSRF token, the one every form of the request carries (generate_csrf)."""

    errors: dict = {}  # never written to: a fresh form has none

    def __init__(self, prefix: str, token: str, version, seen_seq):
        if prefix and prefix[-1] not in "-_;:/.":  # as wtforms.form.BaseForm joins them
            prefix += "-"
        self.csrf_token = _hidden(f"{prefix}csrf_token", token)
        self.version = _hidden(f"{prefix}version", version)
        self.seen_seq = _hidden(f"{prefix}seen_seq", seen_seq)


def _hidden(name: str, value) -> Markup:
    """QuickHiddenInput's text; its `_attr` (escape, then `"` as &quot;) is escape's text for a
    str: escape leaves no `"`."""
    name = escaped_text(name)
    value = escaped_text("" if value is None else str(value))  # a HiddenField's _value()
    return Markup(f'<input id="{name}" name="{name}" type="hidden" value="{value}">')


# The record tabs written already (records/_tabs.html: tabs_written), as the text around the
# project's id, by all they are written from but the id: the tab, whether the records are
# shown, the language and its catalogue, the request's root and host (the addresses). Bounded.
_TABS: dict[tuple, tuple] = {}
_MARKS = (987654321, 987654322)  # ids no row has; the two must write the same text around them


def record_tabs(project_id: int, tab: str, records_visible) -> Markup:
    """The tabs of a project's pages, as tabs_written writes them for this project."""
    shown = bool(records_visible)  # the macro only asks whether
    key = (tab, shown, current_language(), current_translations())
    key += (request.script_root, request.host)
    kept = _TABS.get(key)
    if kept is None:
        written = current_app.jinja_env.get_template("records/_tabs.html").module.tabs_written
        one, other = (str(written(mark, tab, shown)).split(str(mark)) for mark in _MARKS)
        if one != other:  # a mark's digits elsewhere in the text (never expected): not kept
            return Markup(written(project_id, tab, shown))
        if len(_TABS) >= _DRAWN_MAX:
            _TABS.clear()
        kept = _TABS[key] = tuple(one)
    return Markup(str(int(project_id)).join(kept))
