"""Project pages: the list, the project page with its actions, creation, public pages."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import asc, desc, func, or_, select

from twinflow.extensions import db
from twinflow.organisations.operations import contracting_authorities
from twinflow.projects.forms import ProjectForm, engine_error_map, trigger_form_class
from twinflow.projects.models import Project
from twinflow.projects.operations import create_project
from twinflow.projects.permissions import (
    PUBLIC_STATES,
    can_create_project,
    can_view_project,
    is_public,
    visible_projects_clause,
)
from twinflow.reference import reference_for
from twinflow.services import get_engine
from twinflow.web import project_page, queries
from twinflow.web.errors import render_error_page
from twinflow.web.helpers import Page, apply_engine_errors, choices, int_arg
from twinflow.web.labels import PARTY_LABELS
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData, WorkflowError

blueprint = Blueprint("web_projects", __name__, template_folder="templates")

PER_PAGE = 25
SORTS = {
    "reference": Project.reference,
    "title": Project.title,
    "country": Project.beneficiary_country,
    "state": Project.state,
    "budget": Project.budget_eur,
    "changed": Project.state_changed_at,
}


def lowered(label: str) -> str:
    """A label inside a sentence: its first letter in lower case, proper nouns kept
    ("select the Member State partner")."""
    return label[:1].lower() + label[1:]


def visible_project(project_id: int) -> Project:
    """The project, or 404 whether it does not exist or the user may not see it: a page must
    not tell a project that exists from one that does not (the API answers alike)."""
    project = db.session.get(Project, project_id)
    if project is None or not can_view_project(current_user, project):
        abort(404, f"There is no project {project_id}.")
    return project


@blueprint.get("/projects")
@login_required
def index():
    args = request.args
    filters = {k: (args.get(k) or "").strip() for k in ("state", "country", "sector", "workflow")}
    text = (args.get("q") or "").strip()
    where = []
    if filters["country"]:
        where.append(Project.beneficiary_country == filters["country"].upper())
    if filters["sector"]:
        where.append(Project.sector == filters["sector"])
    if filters["workflow"]:
        where.append(Project.workflow == filters["workflow"])
    if text:
        # autoescape: a % or _ typed in the search box matches itself, not "anything".
        where.append(
            or_(
                Project.title.icontains(text, autoescape=True),
                Project.reference.icontains(text, autoescape=True),
                Project.beneficiary_institution.icontains(text, autoescape=True),
            )
        )
    # Counts per state honour every filter but the state itself, so each chip shows its yield.
    counts = queries.count_by_state(db.session, current_user, where)
    if filters["state"]:
        where.append(Project.state == filters["state"])
    sort = args.get("sort") if args.get("sort") in SORTS else "changed"
    direction = "asc" if args.get("dir") == "asc" else "desc"
    order = (asc if direction == "asc" else desc)(SORTS[sort])
    base = select(Project).where(visible_projects_clause(current_user), *where)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    page = int_arg("page", 1, high=max(1, -(-total // PER_PAGE)))
    rows = db.session.scalars(
        base.order_by(order, Project.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    countries = db.session.scalars(
        select(Project.beneficiary_country)
        .where(visible_projects_clause(current_user))
        .distinct()
        .order_by(Project.beneficiary_country)
    ).all()
    registry = current_app.extensions["twinflow.registry"]
    return render_template(
        "projects/list.html",
        page=Page(list(rows), page, PER_PAGE, total),
        counts=counts,
        filters=filters,
        q=text,
        sort=sort,
        direction=direction,
        countries=countries,
        sectors={c: s.label for c, s in reference_for(get_engine()).sectors.items()},
        workflows=[(n, registry.current(n).title) for n in registry.names()],
        states=list(registry.current(registry.names()[0]).states.values()),
        can_create=can_create_project(current_user),
    )


@blueprint.get("/projects/<int:project_id>")
@login_required
def detail(project_id: int):
    return _detail(visible_project(project_id))


def _detail(project, forms=None, status=200):
    context = project_page.build(db.session, get_engine(), current_user, project, forms)
    return render_template("projects/detail.html", **context), status


@blueprint.post("/projects/<int:project_id>/actions/<trigger>")
@login_required
def fire(project_id: int, trigger: str):
    engine = get_engine()
    project = visible_project(project_id)
    definition = engine.definition_of(db.session, project)
    named = definition.transitions_named(trigger)
    if not named:
        abort(404, f"This project's lifecycle has no action {trigger!r}.")
    spec = definition.transition(trigger, project.state) or named[0]
    form = trigger_form_class(spec, definition.rules)(prefix=trigger)
    if not form.validate_on_submit():
        flash(f"“{spec.label}” was not applied: see the form below.", "error")
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
        reason = exc.message if isinstance(exc, GuardFailed) else "see the form below."
        flash(f"“{spec.label}” was not applied: {reason}", "error")
        for message in leftover:
            flash(message, "error")
        return _detail(project, {trigger: form}, 422)
    if result.applied:
        state = result.project.state
        flash(
            f"Done: {lowered(spec.label)}. The project is now in "
            f"“{definition.states[state].label}”.",
            "success",
        )
    else:
        owed = result.approval.owed_parties if result.approval else []
        waiting = ", ".join(PARTY_LABELS.get(p, p) for p in owed)
        flash(f"Approval requested: {lowered(spec.label)}. Now waiting for: {waiting}.", "success")
    return redirect(url_for("web_projects.detail", project_id=project_id))


def conflict_page(project_id: int, exc: WorkflowError, seen_seq: int):
    """A 409 that says what changed since the page was loaded, as far as this user may see."""
    db.session.rollback()
    project = db.session.get(Project, project_id)
    changes = []
    if project is not None and can_view_project(current_user, project):
        changes = project_page.timeline(db.session, current_user, project, seen_seq)
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
        abort(403, "Only beneficiary administrations and coordinators create projects.")
    engine = get_engine()
    form = ProjectForm()
    names = engine.registry.names()
    form.workflow.choices = choices((n, engine.registry.current(n).title) for n in names)
    form.contracting_authority_id.choices = choices(
        [("", "— none (direct management)")]
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
            flash(f"Project {project.reference} created in fiche drafting.", "success")
            return redirect(url_for("web_projects.detail", project_id=project.id))
    elif form.is_submitted():
        status = 422
    return render_template("projects/new.html", form=form), status


# -- public pages (no sign-in) -----------------------------------------------------------------


@blueprint.get("/public/projects")
def public_index():
    rows = db.session.scalars(
        select(Project)
        .where(Project.state.in_(PUBLIC_STATES))
        .order_by(Project.implementation_start.desc(), Project.id.desc())
        .limit(200)
    ).all()
    return render_template("projects/public_list.html", projects=rows)


@blueprint.get("/public/projects/<int:project_id>")
def public_detail(project_id: int):
    project = db.session.get(Project, project_id)
    if project is None or not is_public(project):
        abort(404, "There is no public page for this project.")
    selected = project_page.selected_proposal(db.session, project)
    return render_template("projects/public.html", project=project, partner=selected)
