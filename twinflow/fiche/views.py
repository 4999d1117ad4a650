"""The fiche's pages: the editor (or the text, read-only), the revisions with the comments they
were returned with, what changed between two of them, and a print view and PDF of each."""

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from twinflow.extensions import db
from twinflow.fiche import operations as ops
from twinflow.fiche.diff import revision_diff
from twinflow.fiche.forms import (
    FicheReturnForm,
    FicheTextForm,
    ParticularsForm,
    outline,
    parse_outline,
)
from twinflow.fiche.pdf import revision_pdf
from twinflow.fiche.permissions import (
    FULL,
    acts_for_beneficiary,
    fiche_access,
    may_comment,
    may_edit_particulars,
    may_edit_text,
)
from twinflow.fiche.sections import template
from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext
from twinflow.projects.models import Project
from twinflow.records.views import attempt
from twinflow.services import get_engine
from twinflow.web.helpers import int_arg

blueprint = Blueprint("web_fiche", __name__, template_folder="templates")
FICHE = "/projects/<int:project_id>/fiche"
# A revision's status in words (the codes are the API's).
STATUS_LABELS = {
    "approved": lazy_gettext("approved"),
    "returned": lazy_gettext("returned"),
    "in_review": lazy_gettext("in review"),
}


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or fiche_access(current_user, project) is None:
        abort(404, _("There is no fiche of project %(id)s for you to read.", id=project_id))
    return project


def _page(project, text_form=None, particulars_form=None, return_form=None, status=200):
    engine = get_engine()
    parties = engine.parties(db.session, current_user, project)
    access = fiche_access(current_user, project)
    revisions = ops.revisions_of(db.session, project.id)
    approved = ops.approved_number(project, revisions)
    readable = ops.readable_revisions(db.session, current_user, project)
    sections, version = ops.current_text(db.session, project)
    shown = None  # what a Member State reads: the circulated revision
    if access != FULL:
        shown = readable[-1] if readable else None
    editable = may_edit_text(current_user, project, parties)
    if text_form is None and editable:
        text_form = FicheTextForm(
            formdata=None,
            data={
                s.key: outline(sections[s.key]) if s.kind == "components" else sections[s.key]
                for s in template().sections
            }
            | {"version": str(version)},
        )
    if particulars_form is None and may_edit_particulars(current_user, project, parties):
        particulars_form = ParticularsForm(formdata=None, obj=project)
    if return_form is None and may_comment(current_user, project):
        return_form = FicheReturnForm(formdata=None)
    # The comments of the last returned revision sit beside the sections they are about.
    last = revisions[-1] if revisions and access == FULL else None
    comments: dict[str, list] = {}
    for c in last.comments if last else []:
        comments.setdefault(c.section, []).append(c)
    body = render_template(
        "fiche/fiche.html",
        project=project,
        state_name=engine.definition_of(db.session, project).states[project.state].label,
        template=template(),
        sections=sections,
        version=version,
        shown=shown,
        full=access == FULL,
        revisions=readable,
        status_labels=STATUS_LABELS,
        statuses={r.number: ops.status_of(project, r, revisions, approved) for r in readable},
        comments=comments,
        commented_revision=last,
        text_form=text_form if editable else None,
        particulars_form=particulars_form,
        return_form=return_form,
        outline=outline,
        acts_for_beneficiary=acts_for_beneficiary(current_user, parties),
    )
    return body, status


@blueprint.get(FICHE)
@login_required
def fiche_page(project_id: int):
    return _page(_project(project_id))


@blueprint.post(FICHE)
@login_required
def save_text(project_id: int):
    project, form = _project(project_id), FicheTextForm()
    if not form.validate_on_submit():
        return _page(project, text_form=form, status=422)
    values = {}
    for s in template().sections:
        raw = form[s.key].data or ""
        if s.kind == "components":
            values[s.key], problem = parse_outline(raw)
            if problem:
                form[s.key].errors = [problem]
                return _page(project, text_form=form, status=422)
        else:
            values[s.key] = raw.replace("\r\n", "\n")
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    outcome = attempt(
        lambda: ops.save_text(db.session, get_engine(), current_user, project_id, values, version),
        form,
        _("Fiche saved."),
        error_map={f"sections.{k}": k for k in template().keys},
    )
    if outcome is True:
        return redirect(url_for("web_fiche.fiche_page", project_id=project_id))
    return _page(project, text_form=form, status=outcome)


@blueprint.post(f"{FICHE}/particulars")
@login_required
def save_particulars(project_id: int):
    project, form = _project(project_id), ParticularsForm()
    if not form.validate_on_submit():
        return _page(project, particulars_form=form, status=422)
    values = {name: form[name].data for name in ops.PARTICULARS}
    outcome = attempt(
        lambda: ops.update_particulars(
            db.session, get_engine(), current_user, project_id, values, None
        ),
        form,
        _("Particulars saved."),
    )
    if outcome is True:
        return redirect(url_for("web_fiche.fiche_page", project_id=project_id))
    return _page(project, particulars_form=form, status=outcome)


@blueprint.post(f"{FICHE}/return")
@login_required
def return_fiche(project_id: int):
    project, form = _project(project_id), FicheReturnForm()
    if not form.validate_on_submit():
        return _page(project, return_form=form, status=422)
    comments = {s.key: form[f"comment_{s.key}"].data or "" for s in template().sections}
    outcome = attempt(
        lambda: ops.return_with_comments(
            db.session, get_engine(), current_user, project_id, form.comment.data, comments
        ),
        form,
        _("The fiche went back to the beneficiary with your comments."),
        error_map={f"comments.{k}": f"comment_{k}" for k in template().keys},
    )
    if outcome is True:
        return redirect(url_for("web_fiche.fiche_page", project_id=project_id))
    return _page(project, return_form=form, status=outcome)


def _revision(project, number: int):
    readable = ops.readable_revisions(db.session, current_user, project)
    found = next((r for r in readable if r.number == number), None)
    if found is None:
        abort(
            404, _("There is no revision %(number)s of this fiche for you to read.", number=number)
        )
    return found


@blueprint.get(f"{FICHE}/diff")
@login_required
def diff_page(project_id: int):
    project = _project(project_id)
    readable = ops.readable_revisions(db.session, current_user, project)
    if len(readable) < 2:
        abort(404, _("There are not two revisions of this fiche to compare."))
    new = _revision(project, int_arg("to", readable[-1].number))
    old = _revision(project, int_arg("from", max(1, new.number - 1)))
    return render_template(
        "fiche/diff.html",
        project=project,
        old=old,
        new=new,
        revisions=readable,
        diffs=revision_diff(old, new),
    )


@blueprint.get(f"{FICHE}/revisions/<int:number>")
@login_required
def print_view(project_id: int, number: int):
    project = _project(project_id)
    revision = _revision(project, number)
    return render_template(
        "fiche/print.html",
        project=project,
        revision=revision,
        template=template(),
        outline=outline,
        full=fiche_access(current_user, project) == FULL,
    )


@blueprint.get(f"{FICHE}/revisions/<int:number>.pdf")
@login_required
def pdf(project_id: int, number: int):
    project = _project(project_id)
    revision = _revision(project, number)
    name = f"{project.reference.replace(' ', '-')}-fiche-r{number}.pdf"
    return Response(
        revision_pdf(project, revision),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
