"""/portfolio: the figures as charts with their tables, and each figure as a CSV download."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from twinflow.extensions import db
from twinflow.i18n import current_language, gettext
from twinflow.i18n import lazy_gettext as _
from twinflow.portfolio import figures
from twinflow.portfolio.figures import portfolio_figures
from twinflow.portfolio.permissions import can_view_portfolio
from twinflow.portfolio.tables import FIGURES, figure_csv, figure_rows
from twinflow.services import get_engine
from twinflow.web.helpers import Page, int_arg, permission_required

blueprint = Blueprint("web_portfolio", __name__, template_folder="templates")

# The tables' headings on the page (the CSV keeps the column names: a program reads them).
# In English, the column name in words, as the page always showed it.
COLUMN_LABELS = {
    "state": _("state"),
    "projects": _("projects"),
    "dimension": _("dimension"),
    "group": _("group"),
    "stays": _("stays"),
    "median_days": _("median days"),
    "p90_days": _("p90 days"),
    "kind": _("kind"),
    "title": _("title"),
    "organisation": _("organisation"),
    "deadlines": _("deadlines"),
    "project_id": _("project id"),
    "reference": _("reference"),
    "country": _("country"),
    "start": _("start"),
    "end": _("end"),
    "start_text": _("start text"),
    "end_text": _("end text"),
}

# The groups of the time-in-stage table, in words (the CSV and the API keep the codes).
DIMENSION_LABELS = {
    "all": _("all"),
    "year": _("year"),
    "country": _("country"),
    "sector": _("sector"),
}


def _chart_words() -> dict[str, str]:
    """What portfolio.js writes on the charts, in the reader's language."""
    return {
        "projects": gettext("Projects"),
        "median": gettext("Median (days)"),
        "p90": gettext("90th percentile (days)"),
        "days": gettext("days"),
        "span": gettext("Start to end"),
        "open": gettext("open"),
        # The axis' month names, by the browser (en-GB: "Sep 2017", as before).
        "locale": "en-GB" if current_language() == "en" else current_language(),
    }


def _figures(timeline_page: int | None = None):
    engine = get_engine()
    portfolio = portfolio_figures(
        db.session, engine.registry, current_user, engine.clock.now(), timeline_page
    )
    db.session.commit()  # the events folded into the kept stays, and the figures kept
    return portfolio


@blueprint.get("/portfolio")
@permission_required(can_view_portfolio)
def page():
    # The timeline a page of bars at a time (the CSV has them all): one bar per project.
    portfolio = _figures(timeline_page=int_arg("page", 1))
    timeline = Page(
        portfolio.timeline,
        portfolio.timeline_page,
        figures.TIMELINE_PAGE,
        portfolio.timeline_total,
    )
    tables = {name: (FIGURES[name], figure_rows(portfolio, name)) for name in FIGURES}
    return render_template(
        "portfolio/portfolio.html",
        portfolio=portfolio,
        tables=tables,
        chart_data={name: [list(head), *map(list, rows)] for name, (head, rows) in tables.items()},
        column_labels=COLUMN_LABELS,
        dimension_labels=DIMENSION_LABELS,
        chart_words=_chart_words(),
        timeline=timeline,
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
