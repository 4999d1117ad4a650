"""The rows of the signed-in project list as they are shown, worded once a page in Python.

A page of 50 rows asked the template's filters 50 times each for the same few labels (the
state's badge, the country's name, the sector's, the lifecycle's) and `url_for` once a row:
about 75 microseconds a row. Here each label is looked up once per distinct value and page,
and the project links fill one URL pattern; the template only prints the values, so the
HTML is the same as when it asked for each one (bench/page_snapshots.py compares them).
"""

from typing import NamedTuple
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import iter_multi_items

from twinflow.i18n.formats import date_text, money_text
from twinflow.partial_dates import format_partial
from twinflow.projects.models import Project
from twinflow.reference import default_reference
from twinflow.web.filters import state_badge, workflow_title
from twinflow.web.labels import country_name

# A project id no list holds, written into the detail address to find where ids go.
_MARK = 987654321012


class ListRow(NamedTuple):
    href: str
    reference: str
    title: str
    workflow: str
    sector: str
    country: str
    institution: str
    badge: object  # Markup
    start: str
    end: str
    budget: str
    changed: str


def project_link():
    """id -> the project page's address, as url_for writes it: built once, filled per row."""
    prefix, _, suffix = url_for("web_projects.detail", project_id=_MARK).partition(str(_MARK))
    return lambda project_id: f"{prefix}{project_id}{suffix}"


# What url_for leaves unescaped in a query string (werkzeug.urls._urlencode, the WHATWG set).
_QUERY_SAFE = "!$'()*,/:;?@"


def list_address(endpoint: str, **values):
    """args -> url_for(endpoint, **values, **args): the path built once, the query string
    appended as url_for writes it (in the order given, None left out). The list's sort links,
    state chips and exports were each a url_for (about twenty a page)."""
    base = url_for(endpoint, **values)

    def address(args) -> str:
        items = [(k, v) for k, v in iter_multi_items(args) if v is not None]
        return f"{base}?{urlencode(items, safe=_QUERY_SAFE)}" if items else base

    return address


# What the rows show: listing.page_rows reads these columns only, as plain rows.
COLUMNS = (
    Project.id,
    Project.reference,
    Project.title,
    Project.workflow,
    Project.workflow_version,
    Project.state,
    Project.sector,
    Project.beneficiary_country,
    Project.beneficiary_institution,
    Project.start_on,
    Project.start_precision,
    Project.end_on,
    Project.end_precision,
    Project.implementation_start,
    Project.implementation_end,
    Project.budget_eur,
    Project.state_changed_at,
)


def list_rows(projects) -> list[ListRow]:
    """The rows of one page, in its order: from rows of COLUMNS (or Projects)."""
    link = project_link()
    reference = default_reference()
    workflows, sectors, countries, badges = {}, {}, {}, {}
    rows = []
    for p in projects:
        if p.workflow not in workflows:
            workflows[p.workflow] = workflow_title(p.workflow)
        if p.sector not in sectors:
            sectors[p.sector] = reference.sector_label(p.sector) or "—"
        if p.beneficiary_country not in countries:
            countries[p.beneficiary_country] = country_name(p.beneficiary_country)
        # The label comes from the project's pinned definition: one per version and state.
        key = (p.workflow_version, p.state)
        if key not in badges:
            badges[key] = state_badge(p)
        rows.append(
            ListRow(
                link(p.id),
                p.reference,
                p.title,
                workflows[p.workflow],
                sectors[p.sector],
                countries[p.beneficiary_country],
                p.beneficiary_institution or "",
                badges[key],
                # As Project.start_display / end_display, else the implementation period;
                # date_text writes "—" for no date, as the template's `|date` did.
                format_partial(p.start_on, p.start_precision, empty=None)
                or date_text(p.implementation_start),
                format_partial(p.end_on, p.end_precision, empty=None)
                or date_text(p.implementation_end),
                money_text(p.budget_eur),
                date_text(p.state_changed_at),
            )
        )
    return rows
