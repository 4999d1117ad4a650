"""/portfolio: the figures as charts with their tables, and each figure as a CSV download."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from twinflow.extensions import db
from twinflow.portfolio.figures import portfolio_figures
from twinflow.portfolio.permissions import can_view_portfolio, portfolio_clause
from twinflow.portfolio.tables import FIGURES, figure_csv, figure_rows
from twinflow.services import get_engine
from twinflow.web.helpers import permission_required

blueprint = Blueprint("web_portfolio", __name__, template_folder="templates")


def _figures():
    engine = get_engine()
    return portfolio_figures(
        db.session, engine.registry, portfolio_clause(current_user), engine.clock.now()
    )


@blueprint.get("/portfolio")
@permission_required(can_view_portfolio)
def page():
    portfolio = _figures()
    tables = {name: (FIGURES[name], figure_rows(portfolio, name)) for name in FIGURES}
    return render_template(
        "portfolio/portfolio.html",
        portfolio=portfolio,
        tables=tables,
        chart_data={name: [list(head), *map(list, rows)] for name, (head, rows) in tables.items()},
    )


@blueprint.get("/portfolio/<figure>.csv")
@permission_required(can_view_portfolio)
def download(figure: str):
    if figure not in FIGURES:
        abort(404, f"There is no figure {figure!r}; the figures are: {', '.join(FIGURES)}.")
    body = figure_csv(_figures(), figure)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="portfolio-{figure}.csv"'},
    )
