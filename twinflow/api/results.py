"""Components, mandatory results and their indicators (from the fiche), the values reached
during implementation, and the project's progress."""

from twinflow.api.blueprint import Blueprint
from twinflow.api.common import ID
from twinflow.api.idempotency import HEADER_DOC, run_once
from twinflow.api.record_schemas import (
    ComponentCreateSchema,
    ComponentSchema,
    IndicatorCreateSchema,
    IndicatorSchema,
    IndicatorValueSchema,
    ProgressSchema,
    ResultCreateSchema,
    ResultSchema,
)
from twinflow.api.records import PROJECT, owned
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.results import operations as results
from twinflow.results.models import Component, Indicator, MandatoryResult
from twinflow.services import get_engine

blp = Blueprint(
    "results",
    __name__,
    url_prefix="/api/v1/projects",
    description="Components, mandatory results, indicators and progress",
)
DEFINING = (
    "Components, results and indicators are defined while the fiche, the work plan or the "
    "contract is drafted (409 afterwards: that is an addendum's business)."
)


def _created(operation, schema, *args):
    user = current_user()

    def action(commit: bool):
        made = operation(db.session, get_engine(), user, *args, commit=commit)
        return 201, schema().dump(made), {}

    return run_once(user, action)


@blp.route(f"{PROJECT}/components", methods=["GET"])
@authenticated
@blp.response(200, ComponentSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def list_components(project_id):
    """The components with their mandatory results and indicators (baseline, target, value
    reached and the share of the way done)."""
    return results.progress(db.session, get_engine(), current_user(), project_id).components


@blp.route(f"{PROJECT}/components", methods=["POST"])
@authenticated
@blp.arguments(ComponentCreateSchema)
@blp.response(201, ComponentSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description=DEFINING)
@blp.doc(parameters=[HEADER_DOC])
def add_component(values, project_id):
    """Add a component; it is numbered after the existing ones."""
    return _created(results.add_component, ComponentSchema, project_id, values)


@blp.route(f"{PROJECT}/components/<{ID}:component_id>/results", methods=["POST"])
@authenticated
@blp.arguments(ResultCreateSchema)
@blp.response(201, ResultSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description=DEFINING)
@blp.doc(parameters=[HEADER_DOC])
def add_result(values, project_id, component_id):
    """Add a mandatory result to a component."""
    owned(Component, component_id, project_id, "component")
    return _created(results.add_result, ResultSchema, component_id, values)


@blp.route(f"{PROJECT}/results/<{ID}:result_id>/indicators", methods=["POST"])
@authenticated
@blp.arguments(IndicatorCreateSchema)
@blp.response(201, IndicatorSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description=DEFINING)
@blp.doc(parameters=[HEADER_DOC])
def add_indicator(values, project_id, result_id):
    """Add an indicator (name, unit, baseline, target) to a mandatory result."""
    owned(MandatoryResult, result_id, project_id, "mandatory result")
    return _created(results.add_indicator, IndicatorSchema, result_id, values)


@blp.route(f"{PROJECT}/indicators/<{ID}:indicator_id>", methods=["PATCH"])
@authenticated
@blp.arguments(IndicatorValueSchema)
@blp.response(200, IndicatorSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Project leaders and coordinators")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Only during implementation")
def record_value(values, project_id, indicator_id):
    """Record the value an indicator has reached (during implementation); negative only for
    an indicator whose baseline or target is negative."""
    owned(Indicator, indicator_id, project_id, "indicator")
    return results.record_indicator_value(
        db.session, get_engine(), current_user(), indicator_id, values
    )


@blp.route(f"{PROJECT}/progress", methods=["GET"])
@authenticated
@blp.response(200, ProgressSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Not a party to this project")
@blp.alt_response(404, response="NOT_FOUND")
def progress(project_id):
    """How far the project is: indicators, reports approved, activities by status and the
    deadlines overdue (reports, steering committee meetings)."""
    found = results.progress(db.session, get_engine(), current_user(), project_id)
    return {
        "project_id": project_id,
        "percent": found.percent,
        "reports_approved": found.reports_approved,
        "reports": len(found.reports),
        "activities_by_status": found.activities_by_status,
        "overdue": found.overdue,
        "components": found.components,
    }
