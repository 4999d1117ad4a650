"""The rows of the signed-in project list as they are shown, worded once a page in Python.

A page of 50 rows asked the template's filters 50 times each for the same few labels (the
state's badge, the country's name, the sector's, the lifecycle's) and `url_for` once a row:
about 75 microseconds a row. Here each label is looked up once per distinct value and page,
and the project links fill one URL pattern; the template only prints the values, so the
HTML is the same as when it asked for each one (bench/page_snapshots.py compares them).
"""

from typing import NamedTuple

from flask import url_for

from twinflow.i18n.formats import date_text, money_text
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


def list_rows(projects) -> list[ListRow]:
    """The rows of one page, in its order."""
    prefix, _, suffix = url_for("web_projects.detail", project_id=_MARK).partition(str(_MARK))
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
                f"{prefix}{p.id}{suffix}",
                p.reference,
                p.title,
                workflows[p.workflow],
                sectors[p.sector],
                countries[p.beneficiary_country],
                p.beneficiary_institution or "",
                badges[key],
                # date_text writes "—" for no date, as the template's `|date` did.
                p.start_display or date_text(p.implementation_start),
                p.end_display or date_text(p.implementation_end),
                money_text(p.budget_eur),
                date_text(p.state_changed_at),
            )
        )
    return rows
