"""GET /workflows and /workflows/<name>: the lifecycles as data, with their diagram."""

from twinflow.api.blueprint import Blueprint
from twinflow.api.schemas import WorkflowSchema, WorkflowSummarySchema
from twinflow.api.security import authenticated
from twinflow.services import get_engine
from twinflow.workflow.definition import describe
from twinflow.workflow.diagram import mermaid

blp = Blueprint(
    "workflows", __name__, url_prefix="/api/v1/workflows", description="Lifecycle definitions"
)


@blp.route("", methods=["GET"])
@authenticated
@blp.response(200, WorkflowSummarySchema(many=True))
def list_workflows():
    """The current version of every lifecycle projects can be created with."""
    registry = get_engine().registry
    return [describe(registry.current(name)) for name in registry.names()]


@blp.route("/<string(maxlength=60):name>", methods=["GET"])
@authenticated
@blp.response(200, WorkflowSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_workflow(name):
    """States, transitions, parties, approvals, deadlines, version and a mermaid diagram."""
    definition = get_engine().registry.current(name)
    return describe(definition) | {"diagram": mermaid(definition)}
