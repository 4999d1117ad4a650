"""Project pages: the list, the project page with its actions, creation, public pages."""

from dataclasses import replace
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.organisations.operations import contracting_authorities
from twinflow.projects import public_page
from twinflow.projects.export import export_response
from twinflow.projects.forms import ProjectForm, engine_error_map, trigger_form_class
from twinflow.projects.list_forms import ProjectFilterForm, filters_html
from twinflow.projects.list_rows import COLUMNS as LIST_COLUMNS
from twinflow.projects.list_rows import list_address, list_rows
from twinflow.projects.listing import (
    SORT_LABELS,
    choices_statement,
    countries_and_member_states,
    page_rows,
    page_statement,
    project_list,
)
from twinflow.projects.models import Project
from twinflow.projects.operations import create_project
from twinflow.projects.permissions import (
    PUBLIC_STATES,
    can_create_project,
    can_view_project,
    is_public,
    public_clause,
    visible_projects_clause,
)
from twinflow.reference import reference_for
from twinflow.services import get_engine
from twinflow.web import page_timeline, project_page, queries
from twinflow.web.errors import render_error_page
from twinflow.web.helpers import Page, apply_engine_errors, choices, int_arg
from twinflow.web.labels import PARTY_LABELS
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData, WorkflowError

blueprint = Blueprint("web_projects", __name__, template_folder="templates")

FORMATS = ("csv", "xlsx")  # the list's exports

PER_PAGE = 25
# `per_page` in the address (like `page`): a longer page for those who scan a portfolio.
PAGE_SIZES = (25, 50, 100)


def lowered(label: str) -> str:
    """A label inside a sentence: its first letter in lower case, proper nouns kept
    ("select the Member State partner")."""
    return label[:1].lower() + label[1:]


def visible_project(project_id: int) -> Project:
    """The project, or 404 whether it does not exist or the user may not see it: a page must
    not tell a project that exists from one that does not (the API answers alike)."""
    project = db.session.get(Project, project_id)
    if project is None or not can_view_project(current_user, project):
        abort(404, _("There is no project %(id)s.", id=project_id))
    return project


@blueprint.get("/projects")
@login_required
def index():
    user = current_user._get_current_object()  # not the proxy, asked again and again
    visible = visible_projects_clause(user)
    # The list's statements are kept per kind of reader (web/queries.py: reader_key).
    key = ("web", queries.reader_key(user))
    states = _states()
    form, query, status, choices = _filters(visible, states, key)
    # Counts per state honour every filter but the state itself, so each chip shows its yield;
    # they hold the list's total too (its state's count, or their sum): no second count.
    # Filtered by nothing else, they came with the filters' choices (the same projects).
    unstated = replace(query, state=None)
    where = unstated.conditions()
    counts = choices.counts
    if where:
        counts = queries.count_by_state(db.session, user, where, unstated if not query.q else None)
    total = counts.get(query.state, 0) if query.state else sum(counts.values())
    context = _page_of(visible, query, total, columns=LIST_COLUMNS, key=key)
    context["rows"] = list_rows(context["page"].items)
    return render_template(
        "projects/list.html",
        form=form,
        filters=filters_html(form),
        counts=counts,
        sort=query.sort.lstrip("-"),
        direction="desc" if query.sort.startswith("-") else "asc",
        sort_labels=SORT_LABELS,
        states=states,
        can_create=can_create_project(user),
        # The list's links (sorts, state chips, exports): each path built once, not per link.
        list_url=list_address("web_projects.index"),
        export_url={f: list_address("web_projects.export", file_format=f) for f in FORMATS},
        **context,
    ), status


@blueprint.get("/projects/export.csv", defaults={"file_format": "csv"})
@blueprint.get("/projects/export.xlsx", defaults={"file_format": "xlsx"})
@login_required
def export(file_format: str):
    """The filtered list, every page, as a file (the filters of the list's address)."""
    visible = visible_projects_clause(current_user)
    _form, query, status, _choices = _filters(visible)
    if status != 200:
        abort(422, _("A filter of the list is not valid; correct it on the list first."))
    return export_response(project_list(visible, query), file_format, get_engine())


def _filters(visible, states=None, key=None):
    """The filter form read from the address, its choices from the lifecycles and the
    reference data; a refused field is shown with its reason (422) and filters nothing.
    `key`: what `visible` is built from, to keep the choices' statement under."""
    reference = reference_for(get_engine())
    form = ProjectFilterForm(request.args)
    build = partial(choices_statement, visible)
    statement = build() if key is None else queries.kept(("choices", key), build)
    choices = countries_and_member_states(db.session, statement)
    registry = get_engine().registry
    form.fill(reference, registry, states or _states(), choices.countries, choices.member_states)
    status = 200 if not request.args or form.validate() else 422
    return form, form.list_query(reference), status, choices


def _states():
    registry = get_engine().registry
    found = {}
    for name in registry.names():
        for state in registry.current(name).states.values():
            found.setdefault(state.name, state)
    return list(found.values())


def _page_of(visible, query, total: int | None = None, columns=(), key=None) -> dict:
    """One page of the list (25 a page unless `per_page` asks 50 or 100; any other size is
    the default; `page` past the end shows the last one); `total`: the caller counted it;
    `columns`: the page's items are rows of those columns only (listing.page_rows); `key`:
    what `visible` is built from, to keep the page's statement under (not for a search:
    its words are the reader's own)."""
    per_page = int_arg("per_page", PER_PAGE)
    per_page = per_page if per_page in PAGE_SIZES else PER_PAGE
    listed = project_list(visible, query)
    if total is None:
        total = db.session.scalar(
            select(func.count()).select_from(listed.order_by(None).subquery())
        )
    page = int_arg("page", 1, high=max(1, -(-total // per_page)))
    offset = (page - 1) * per_page
    statement = None
    if key is not None and not query.q:
        build = partial(page_statement, listed, per_page, offset, columns)
        statement = queries.kept(("page", key, query, per_page, offset, bool(columns)), build)
    rows = page_rows(db.session, listed, per_page, offset, columns, statement)
    return {"page": Page(rows, page, per_page, total), "q": query.q}


@blueprint.get("/projects/<int:project_id>")
@login_required
def detail(project_id: int):
    # ?events=N: the newest N timeline events ("Older events"); anything else is the first page.
    shown = request.args.get("events", type=int)
    return _detail(visible_project(project_id), events_shown=shown)


def _detail(project, forms=None, status=200, events_shown=None):
    # The user object itself, not Flask-Login's proxy: the page asks it hundreds of times
    # (every timeline event's visibility), each a proxy lookup otherwise.
    user = current_user._get_current_object()
    context = project_page.build(
        db.session, get_engine(), user, project, forms, events_shown=events_shown
    )
    return render_template("projects/detail.html", **context), status


@blueprint.post("/projects/<int:project_id>/actions/<trigger>")
@login_required
def fire(project_id: int, trigger: str):
    engine = get_engine()
    project = visible_project(project_id)
    definition = engine.definition_of(db.session, project)
    named = definition.transitions_named(trigger)
    if not named:
        abort(404, _("This project's lifecycle has no action '%(action)s'.", action=trigger))
    spec = definition.transition(trigger, project.state) or named[0]
    form = trigger_form_class(spec, definition.rules)(prefix=trigger)
    if not form.validate_on_submit():
        flash(_("“%(action)s” was not applied: see the form below.", action=spec.label), "error")
        return _detail(project, {trigger: form}, 422)
    seen = form.int_or_none(form.seen_seq) or 0
    try:
        result = engine.fire(
            db.session,
            current_user,
            project_id,
            trigger,
            comment=form.comment.data,
            data=form.trigger_data(),
            expected_version=form.int_or_none(form.version),
        )
    except Conflict as exc:
        return conflict_page(project_id, exc, seen)
    except (InvalidData, GuardFailed) as exc:
        db.session.refresh(project)
        leftover = []
        if isinstance(exc, InvalidData):
            leftover = apply_engine_errors(form, exc.details, engine_error_map(form))
        reason = exc.message if isinstance(exc, GuardFailed) else _("see the form below.")
        flash(
            _("“%(action)s” was not applied: %(reason)s", action=spec.label, reason=reason), "error"
        )
        for message in leftover:
            flash(message, "error")
        return _detail(project, {trigger: form}, 422)
    if result.applied:
        state = result.project.state
        flash(
            _(
                "Done: %(action)s. The project is now in “%(state)s”.",
                action=lowered(spec.label),
                state=definition.states[state].label,
            ),
            "success",
        )
    else:
        owed = result.approval.owed_parties if result.approval else []
        waiting = ", ".join(PARTY_LABELS.get(p, p) for p in owed)
        flash(
            _(
                "Approval requested: %(action)s. Now waiting for: %(parties)s.",
                action=lowered(spec.label),
                parties=waiting,
            ),
            "success",
        )
    return redirect(url_for("web_projects.detail", project_id=project_id))


def conflict_page(project_id: int, exc: WorkflowError, seen_seq: int):
    """A 409 that says what changed since the page was loaded, as far as this user may see."""
    db.session.rollback()
    project = db.session.get(Project, project_id)
    changes = []
    if project is not None and can_view_project(current_user, project):
        changes = page_timeline.timeline(db.session, current_user, project, seen_seq)
    return render_error_page(
        409,
        exc.code,
        exc.message,
        exc.details,
        exc,
        changes=changes,
        back_url=url_for("web_projects.detail", project_id=project_id),
    )


@blueprint.route("/projects/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_project(current_user):
        abort(403, _("Only beneficiary administrations and coordinators create projects."))
    engine = get_engine()
    form = ProjectForm()
    names = engine.registry.names()
    form.workflow.choices = choices((n, engine.registry.current(n).title) for n in names)
    form.contracting_authority_id.choices = choices(
        [("", _("— none (direct management)"))]
        + [(o.id, f"{o.name} ({o.country})") for o in contracting_authorities(db.session)]
    )
    reference = reference_for(engine)
    form.sector.choices = choices(
        (k, f"{k} — {v}") for k, v in reference.new_project_sectors().items()
    )
    form.instrument.choices = choices(
        (k, f"{k} — {v}") for k, v in reference.new_project_instruments().items()
    )
    if not form.is_submitted():  # the country's instrument in force today, not the first listed
        today = engine.clock.now().date()
        form.instrument.data = reference.default_instrument(current_user.country, today)
    status = 200
    if form.validate_on_submit():
        values = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            project = create_project(db.session, engine, current_user, values)
        except WorkflowError as exc:
            apply_engine_errors(form, {k: v for k, v in exc.details.items() if isinstance(v, list)})
            flash(exc.message, "error")
            status = 422
        else:
            flash(
                _("Project %(reference)s created in fiche drafting.", reference=project.reference),
                "success",
            )
            return redirect(url_for("web_projects.detail", project_id=project.id))
    elif form.is_submitted():
        status = 422
    return render_template("projects/new.html", form=form), status


# -- public pages (no sign-in) -----------------------------------------------------------------


@blueprint.get("/public/projects")
def public_index():
    """Every public project (nothing else), searched, filtered, sorted and paged like the
    signed-in list."""
    visible = public_clause()
    states = [s for s in _states() if s.name in PUBLIC_STATES]
    form, query, status, choices = _filters(visible, states, key=("public",))
    # Filtered by nothing, the list holds the projects its filters' choices were counted from.
    total = None if query.conditions() else sum(choices.counts.values())
    return render_template(
        "projects/public_list.html",
        form=form,
        filters=filters_html(form),
        sort=query.sort.lstrip("-"),
        direction="desc" if query.sort.startswith("-") else "asc",
        **_page_of(visible, query, total),
    ), status


@blueprint.get("/public/projects/<int:project_id>")
def public_detail(project_id: int):
    project = db.session.get(Project, project_id)
    if project is None or not is_public(project):
        abort(404, _("There is no public page for this project."))
    public = public_page.build(db.session, reference_for(get_engine()), project)
    return render_template("projects/public.html", project=project, public=public)
