"""The administrators' pages: the organisations (with the countries they cover and their
members), a new organisation, and a user's organisation (a form on the user's page)."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from twinflow.auth.models import User
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.organisations import operations
from twinflow.organisations.forms import MembershipForm, OrganisationForm
from twinflow.organisations.models import Organisation
from twinflow.organisations.permissions import can_manage_organisations
from twinflow.services import get_engine
from twinflow.web.helpers import apply_engine_errors, choices, permission_required
from twinflow.workflow.errors import WorkflowError

blueprint = Blueprint(
    "web_organisations", __name__, template_folder="templates", url_prefix="/admin"
)


@blueprint.get("/organisations")
@permission_required(can_manage_organisations)
def index():
    members = dict(
        db.session.execute(
            select(User.organisation_id, func.count(User.id)).group_by(User.organisation_id)
        ).all()
    )
    rows = db.session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name))
    return render_template("organisations/index.html", organisations=rows, members=members)


@blueprint.route("/organisations/new", methods=["GET", "POST"])
@permission_required(can_manage_organisations)
def new():
    form = OrganisationForm()
    status = 200
    if form.validate_on_submit():
        try:
            organisation = operations.create_organisation(
                db.session,
                current_user,
                name=form.name.data,
                kind=form.kind.data,
                country=form.country.data,
                countries=re.split(r"[\s,;]+", form.countries.data or ""),
                covers_all=form.covers_all.data,
                now=get_engine().clock.now(),
            )
            db.session.commit()
        except WorkflowError as exc:
            db.session.rollback()
            _show(form, exc)
            status = 422
        else:
            flash(_("Organisation %(name)s created.", name=organisation.name), "success")
            return redirect(url_for("web_organisations.index"))
    elif form.is_submitted():
        status = 422
    return render_template("organisations/new.html", form=form), status


@blueprint.post("/users/<int:user_id>/organisation")
@permission_required(can_manage_organisations)
def set_membership(user_id: int):
    user = db.session.get(User, user_id) or abort(404, f"No user {user_id}.")
    form = membership_form(user)
    if form.validate_on_submit():
        try:
            operations.update_user(
                db.session,
                current_user,
                user_id,
                organisation_id=form.organisation_id.data,
                now=get_engine().clock.now(),
            )
            db.session.commit()
        except WorkflowError as exc:
            db.session.rollback()
            # Back on the user's page: every reason as a message, fields named.
            for name, reasons in exc.details.items():
                if isinstance(reasons, list):
                    flash(
                        f"{name.replace('_id', '').replace('_', ' ')}: {'; '.join(reasons)}",
                        "error",
                    )
            flash(exc.message, "error")
        else:
            if user.affiliation:
                said = _(
                    "%(user)s now belongs to %(organisation)s.",
                    user=user.email,
                    organisation=user.affiliation.name,
                )
                flash(said, "success")
            else:
                flash(_("%(user)s now belongs to no organisation.", user=user.email), "success")
    else:
        flash(_("The organisation was not changed: choose one from the list."), "error")
    return redirect(url_for("web_admin.detail", user_id=user_id))


def membership_form(user, submitted: bool = True) -> MembershipForm:
    """The form on the user's page (auth/templates/auth/user_detail.html)."""
    if submitted:
        form = MembershipForm()
    else:
        form = MembershipForm(formdata=None, organisation_id=user.organisation_id)
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    form.organisation_id.choices = choices(
        [("", _("— none"))] + [(o.id, f"{o.name} ({o.kind_label})") for o in organisations]
    )
    return form


def _show(form, exc: WorkflowError) -> None:
    for message in apply_engine_errors(
        form, {k: v for k, v in exc.details.items() if isinstance(v, list)}
    ):
        flash(message, "error")
    flash(exc.message, "error")


@blueprint.app_context_processor
def _membership_form():
    """The user's page shows its organisation form without auth/views.py knowing of it."""
    return {"organisation_form_for": membership_form}
