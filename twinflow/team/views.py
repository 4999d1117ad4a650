"""The team page of a project: its members, and a form to add one while the team may change."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.projects.views import visible_project
from twinflow.records.forms import values_of
from twinflow.records.views import PROJECT, attempt, page
from twinflow.services import get_engine
from twinflow.team import operations as team
from twinflow.team.forms import TEAM_ROLE_LABELS, TeamMemberForm

blueprint = Blueprint("web_team", __name__, template_folder="templates")


@blueprint.get(f"{PROJECT}/team")
@login_required
def team_page(project_id: int):
    return _team(visible_project(project_id))


def _team(project, form=None, status=200):
    members = team.team(db.session, get_engine(), current_user, project.id)
    return page(
        "team/team.html",
        project,
        "team",
        status,
        members=members,
        role_labels=TEAM_ROLE_LABELS,
        open_for_changes=project.state in team.TEAM_STATES,
        today=get_engine().clock.now().date(),
        form=form or TeamMemberForm(formdata=None),
    )


@blueprint.post(f"{PROJECT}/team")
@login_required
def add_member(project_id: int):
    project, form = visible_project(project_id), TeamMemberForm()
    if not form.validate_on_submit():
        return _team(project, form, 422)
    outcome = attempt(
        lambda: team.add_team_member(
            db.session, get_engine(), current_user, project_id, values_of(form)
        ),
        form,
        _("Team member added."),
    )
    if outcome is True:
        return redirect(url_for("web_team.team_page", project_id=project_id))
    return _team(project, form, outcome)
