"""GET /workflows and /workflows/<name>: the lifecycles as data, with their diagram; POST
/workflows/<name>/migrations: move running projects to another version (administrators)."""

from functools import wraps

from flask_smorest import abort

from twinflow.api.blueprint import Blueprint
from twinflow.api.migration_schemas import MigrationReportSchema, MigrationRequestSchema
from twinflow.api.security import authenticated, current_user
from twinflow.api.workflow_schemas import WorkflowSchema, WorkflowSummarySchema
from twinflow.extensions import db
from twinflow.services import get_engine
from twinflow.workflow.describe import describe
from twinflow.workflow.diagram import mermaid
from twinflow.workflow.migrate import can_migrate_workflows, migrate_projects

blp = Blueprint(
    "workflows", __name__, url_prefix="/api/v1/workflows", description="Lifecycle definitions"
)
NAME = "<string(maxlength=60):name>"


@blp.route("", methods=["GET"])
@authenticated
@blp.response(200, WorkflowSummarySchema(many=True))
def list_workflows():
    """The current version of every lifecycle projects can be created with."""
    registry = get_engine().registry
    return [describe(registry.current(name)) for name in registry.names()]


@blp.route(f"/{NAME}", methods=["GET"])
@authenticated
@blp.response(200, WorkflowSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_workflow(name):
    """States, transitions, parties, approvals, deadlines, version and a mermaid diagram."""
    definition = get_engine().registry.current(name)
    return describe(definition) | {"diagram": mermaid(definition)}


def administrators_only(view):
    """Refused before the body is read: who may not migrate learns nothing of the request."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not can_migrate_workflows(current_user()):
            abort(403, message="Only administrators move projects to another definition version.")
        return view(*args, **kwargs)

    return wrapper


@blp.route(f"/{NAME}/migrations", methods=["POST"])
@authenticated
@administrators_only
@blp.arguments(MigrationRequestSchema)
@blp.response(200, MigrationReportSchema, description="The report: planned, or applied")
@blp.alt_response(403, response="FORBIDDEN", description="Administrators only")
@blp.alt_response(404, response="NOT_FOUND", description="No such workflow, or version of it")
def migrate(args, name):
    """Move the workflow's running projects to another version of its definition.

    Per project: the state mapping (the same name by default, `map` otherwise), the deadlines
    added, dropped (superseded) and kept, the pending sign-offs that no longer fit (withdrawn),
    or why it is refused (its state cannot be mapped; it has ended). With `dry_run` nothing
    changes; otherwise each project moves in its own transaction, a refused one leaving the
    others to go on, and its audit trail gets a `workflow_migrated` event naming both
    versions. 422 names every bad field (an unknown state in `map`, a project not of this
    workflow) and changes nothing."""
    report = migrate_projects(
        db.session,
        get_engine(),
        current_user(),
        name,
        args["to_version"],
        projects=args["projects"],
        mapping=args["map"],
        dry_run=args["dry_run"],
    )
    return report.as_dict()
