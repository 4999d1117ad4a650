"""What the project page writes in Python or keeps (web/page_rows.py, web/page_kept.py,
web/jinja_imports.py) is exactly what the plain way writes: each shortcut against the way it
stands for, with the values that could tell them apart."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask_wtf.csrf import generate_csrf
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from twinflow.i18n import speaking
from twinflow.projects.forms import trigger_form_class
from twinflow.web.jinja_imports import ImportingTemplate
from twinflow.web.page_kept import FreshForm, record_tabs
from twinflow.web.page_rows import (
    deadline_row,
    deadline_rows,
    decide_forms,
    escaped_text,
    event_actor,
    event_rows,
    event_text,
)
from twinflow.workflow.registry import WorkflowRegistry

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
AWKWARD = "<b>&'\"</b> & more"


def test_a_plain_text_is_escaped_as_markupsafe_escapes_it():
    for text in ("", "plain", AWKWARD, "&amp; already", "ü → ∅", '"quoted"'):
        assert escaped_text(text) == str(escape(text))


def test_a_fresh_trigger_forms_hidden_fields_are_the_forms_own(app):
    spec = WorkflowRegistry().current("twinning").transitions_named("approve_fiche")[0]
    made = trigger_form_class(spec)
    with app.test_request_context("/"):
        token = generate_csrf()
        for prefix in ("approve_fiche", "odd_", "x"):  # WTForms adds "-" after all but "_"
            for version, seen in ((3, 17), (None, 0)):
                form = made(formdata=None, prefix=prefix, version=version, seen_seq=seen)
                fresh = FreshForm(prefix, token, version, seen)
                assert fresh.errors == {} and form.errors == {}
                for name in ("csrf_token", "version", "seen_seq"):
                    assert str(getattr(fresh, name)) == str(getattr(form, name)), (prefix, name)


def _event(action, trigger=None, from_state=None, to_state=None, actor_email=None, minute=0):
    at = NOW - timedelta(minutes=minute)
    fields = dict(action=action, trigger=trigger, from_state=from_state, to_state=to_state)
    return SimpleNamespace(**fields, actor_email=actor_email, occurred_at=at)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_timeline_writes_each_event_as_event_text_and_event_actor_do(app, language):
    events = [
        (_event("transition", "submit_fiche", "fiche_drafting", "fiche_review", "a@x.eu"), {}),
        (_event("transition", "submit_fiche", "fiche_drafting", "fiche_review"), {"comment": "1"}),
        (_event("transition", "return_fiche", "fiche_review", "fiche_drafting", "a@x.eu"), {}),
        (_event("proposal_submitted", minute=1), {"member_state": "FR", "actor_withheld": True}),
        (_event("proposal_submitted", minute=2), {"member_state": "DE", "actor_withheld": True}),
        (_event("proposal_submitted", minute=3), {"member_state": []}),  # unhashable
        (_event("document_uploaded", "x", actor_email=AWKWARD), {"comment": AWKWARD + "\nbis"}),
        (_event("approval_requested", "select_partner"), {"comment": None}),
        (_event("approval_requested", "sign_contract"), {}),
    ]
    with app.test_request_context("/"), speaking(language):
        written = str(event_rows(events))
        one_by_one = "".join(
            f'\n      <li class="ev-{escape(e.action)}">\n        '
            f'<time datetime="{escape(e.occurred_at.isoformat())}">'
            f"{escape(app.jinja_env.filters['datetime'](e.occurred_at))}</time>\n        "
            f"<div>{event_text(e, data)}</div>\n        "
            f'<div class="muted small">{event_actor(e, data)}</div>\n      </li>\n      '
            for e, data in events
        )
    assert written == one_by_one
    assert "(Allemagne)" in written or "(Germany)" in written  # the second owner's own name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_project_pages_deadlines_are_deadline_row_each(app, make, language):
    project = make.project(make.user("beneficiary"))
    rows = [
        SimpleNamespace(
            id=n,
            key=key,
            title=title,
            due_at=NOW + timedelta(days=days),
            status="open",
            decision_reason=reason,
            is_overdue=lambda now, days=days: days < 0,
        )
        for n, (key, title, days, reason) in enumerate(
            [
                ("proposals_due", "Proposals due", 3, None),
                ("interim_report#2", "Interim report 2", -2, AWKWARD),
                (AWKWARD, AWKWARD, 0, "moved"),
            ],
            start=7,
        )
    ]
    with app.test_request_context("/"), speaking(language):
        forms = decide_forms(lambda i: f"/d/{i}/waive?a=1&b=2", lambda i: f"/d/{i}/move", AWKWARD)
        for given in (None, forms):
            written = str(deadline_rows(rows, project, NOW, given))
            alone = "".join(
                str(deadline_row(d, project, NOW, False, Markup(given(d)) if given else ""))
                for d in rows
            )
            assert written == alone
        assert "&lt;b&gt;" in written and "a=1&amp;b=2" in written


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_record_tabs_kept_are_the_tabs_written_for_each_project(app, language):
    with app.test_request_context("/", base_url="http://twinflow.test/root"), speaking(language):
        written = app.jinja_env.get_template("records/_tabs.html").module.tabs_written
        for tab in ("overview", "progress", "gallery"):
            for shown in (True, False):
                for project_id in (1, 42, 987654321):
                    kept = str(record_tabs(project_id, tab, shown))
                    assert kept == str(written(project_id, tab, shown)), (tab, shown)
                    assert f"/root/projects/{project_id}/" in kept


def test_an_imported_macro_reads_the_globals_of_the_template_importing_it():
    env = Environment(
        loader=DictLoader(
            {
                "m.html": "{% macro hi() %}{{ greeting }} {{ only_here }}{% endmacro %}",
                "page.html": '{% from "m.html" import hi %}{{ hi() }}',
            }
        )
    )
    env.template_class = ImportingTemplate
    env.globals["greeting"] = "hello"
    assert env.get_template("page.html").render() == "hello "  # the module Jinja keeps
    page = env.get_template("page.html", globals={"only_here": "there"})
    assert page.render() == "hello there"  # a global m.html lacks: a module of its own
    assert env.get_template("m.html").module.hi() == "hello "  # the kept one untouched
