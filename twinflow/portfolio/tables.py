"""Each figure as a table (a header and rows): what the CSV downloads hold, and what the page
shows under each chart for readers without the chart."""

import csv
import io

from twinflow.portfolio.figures import Portfolio

FIGURES = {
    "stages": ("state", "label", "projects"),
    "stage_times": ("dimension", "group", "state", "label", "stays", "median_days", "p90_days"),
    "overdue": ("kind", "title", "organisation", "deadlines"),
    "timeline": (
        "project_id",
        "reference",
        "title",
        "country",
        "state",
        "label",
        "start",
        "end",
        "start_text",
        "end_text",
    ),
}


def figure_rows(portfolio: Portfolio, name: str) -> list[tuple]:
    columns = FIGURES[name]
    rows = []
    for item in getattr(portfolio, name):
        rows.append(tuple(_cell(getattr(item, column)) for column in columns))
    return rows


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def figure_csv(portfolio: Portfolio, name: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIGURES[name])
    for row in figure_rows(portfolio, name):
        # A cell opening with = + - @ would run as a formula in a spreadsheet: quote it.
        writer.writerow([_defused(c) for c in row])
    return out.getvalue()


def _defused(cell):
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
