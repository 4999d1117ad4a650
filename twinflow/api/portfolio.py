"""GET /reports/portfolio: the portfolio's figures, the ones the portfolio page draws."""

from dataclasses import asdict

from flask_smorest import abort
from marshmallow import Schema, fields

from twinflow.api.blueprint import Blueprint
from twinflow.api.security import authenticated, current_user
from twinflow.extensions import db
from twinflow.portfolio.figures import DIMENSIONS, portfolio_figures
from twinflow.portfolio.permissions import can_view_portfolio
from twinflow.services import get_engine

blp = Blueprint(
    "portfolio",
    __name__,
    url_prefix="/api/v1/reports",
    description="Portfolio figures (coordinators and administrators)",
)


class StageCountSchema(Schema):
    state = fields.String(metadata={"description": "a lifecycle state"})
    label = fields.String()
    projects = fields.Integer(metadata={"description": "projects in this stage now"})


class StageTimeSchema(Schema):
    dimension = fields.String(
        metadata={"enum": list(DIMENSIONS), "description": "what the stays are grouped by"}
    )
    group = fields.String(
        metadata={
            "description": "empty for all; else the year the stay began, the country or the sector"
        }
    )
    state = fields.String()
    label = fields.String()
    stays = fields.Integer(metadata={"description": "ended stays counted"})
    median_days = fields.Float()
    p90_days = fields.Float(metadata={"description": "90th percentile, interpolated"})


class OverdueSchema(Schema):
    kind = fields.String(metadata={"description": "the deadline's key"})
    title = fields.String()
    organisation = fields.String(
        metadata={"description": "an organisation covering the beneficiary country"}
    )
    deadlines = fields.Integer()


class BarSchema(Schema):
    project_id = fields.Integer()
    reference = fields.String()
    title = fields.String()
    country = fields.String()
    state = fields.String()
    label = fields.String()
    start = fields.Date()
    end = fields.Date(allow_none=True, metadata={"description": "null: not known yet"})
    start_text = fields.String(metadata={"description": "at its precision, e.g. Q3 2017"})
    end_text = fields.String()


class PortfolioSchema(Schema):
    now = fields.DateTime(metadata={"description": "the moment the figures describe"})
    stages = fields.List(fields.Nested(StageCountSchema))
    stage_times = fields.List(fields.Nested(StageTimeSchema))
    overdue = fields.List(fields.Nested(OverdueSchema))
    timeline = fields.List(fields.Nested(BarSchema))


@blp.route("/portfolio", methods=["GET"])
@authenticated
@blp.response(200, PortfolioSchema)
@blp.alt_response(403, response="FORBIDDEN", description="Coordinators and administrators")
def portfolio():
    """Projects by stage, days in each stage (median and 90th percentile over ended stays, for
    all and by year, country and sector), overdue deadlines by kind and organisation, and the
    timeline; a coordinator's figures count the countries their organisation covers."""
    user = current_user()
    if not can_view_portfolio(user):
        abort(403, message="Only coordinators and administrators read the portfolio.")
    engine = get_engine()
    figures = portfolio_figures(db.session, engine.registry, user, engine.clock.now())
    db.session.commit()  # the events folded into the kept stays, and the figures kept
    return asdict(figures)
