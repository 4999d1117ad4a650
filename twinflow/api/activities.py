"""Activities of the work plan (missions, trainings, study visits ...) and the project team."""

from twinflow.activities import operations as activities
from twinflow.activities.models import Activity
from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.record_schemas import (
    ActivityCreateSchema,
    ActivitySchema,
    ActivityUpdateSchema,
    TeamMemberCreateSchema,
    TeamMemberSchema,
)
from twinflow.api.records import PROJECT, owned
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.services import get_engine
from twinflow.team import operations as team

blp = Blueprint(
    "activities",
    __name__,
    url_prefix="/api/v1/projects",
    description="Activities of the work plan and the project team",
)
STATES = "Only from the work plan until final reporting"


@blp.route(f"{PROJECT}/activities", methods=["GET"])
@authenticated
@blp.response(200, ActivitySchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_activities(project_id):
    """The activities in the order planned, with planned and actual dates."""
    found = activities.timeline(db.session, get_engine(), current_user(), project_id)
    return [bar.activity for bar in found.bars]


@blp.route(f"{PROJECT}/activities", methods=["POST"])
@authenticated
@blp.arguments(ActivityCreateSchema)
@blp.response(201, ActivitySchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description=STATES)
@blp.doc(parameters=[HEADER_DOC])
def plan(values, project_id):
    """Plan an activity; actual dates may not lie in the future."""
    user = current_user()

    def action(commit: bool):
        made = activities.plan_activity(
            db.session, get_engine(), user, project_id, values, commit=commit
        )
        return 201, ActivitySchema().dump(made), {}

    return run_once(user, action)


@blp.route(f"{PROJECT}/activities/<{ID}:activity_id>", methods=["PATCH"])
@authenticated
@blp.arguments(ActivityUpdateSchema)
@blp.response(200, ActivitySchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description=STATES)
def update(values, project_id, activity_id):
    """Change any field: dates reached, experts, participants, status (done needs both actual
    dates; ongoing needs actual_start)."""
    owned(Activity, activity_id, project_id, "activity")
    return activities.update_activity(db.session, get_engine(), current_user(), activity_id, values)


@blp.route(f"{PROJECT}/team", methods=["GET"])
@authenticated
@blp.response(200, TeamMemberSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_team(project_id):
    """Project leaders, the RTA with the secondment, the counterpart, junior partners."""
    return team.team(db.session, get_engine(), current_user(), project_id)


@blp.route(f"{PROJECT}/team", methods=["POST"])
@authenticated
@blp.arguments(TeamMemberCreateSchema)
@blp.response(201, TeamMemberSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(
    409, response="CONFLICT", description="The role is taken, or the project is past changes"
)
@blp.doc(parameters=[HEADER_DOC])
def add_member(values, project_id):
    """Add a team member. An RTA needs a secondment of 12 to 36 months on a Twinning and does
    not exist on a Twinning Light (422 with the reason)."""
    user = current_user()

    def action(commit: bool):
        made = team.add_team_member(
            db.session, get_engine(), user, project_id, values, commit=commit
        )
        return 201, TeamMemberSchema().dump(made), {}

    return run_once(user, action)
