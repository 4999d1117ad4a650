"""Find anything: the one project-list query behind the web list, the API list, the public list
and their exports. Plain SQLAlchemy; each adapter passes the visibility clause it applies
(projects/permissions.py) and the filters it read, and gets the same search, filters and order.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    String,
    asc,
    cast,
    desc,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from twinflow.auth.models import User
from twinflow.i18n import lazy_gettext
from twinflow.projects.models import Project
from twinflow.projects.references import reference_key, reference_matches
from twinflow.proposals.models import Proposal

# The start and end a person means: the dates the source states (imported records) or else
# the implementation period of a live project. Partial dates are stored as their first day,
# so "2017-Q3" counts as 2017 in a year range.
start_date = func.coalesce(Project.start_on, Project.implementation_start)
end_date = func.coalesce(Project.end_on, Project.implementation_end)

SORTS = {
    "reference": Project.reference_key,
    "title": func.lower(Project.title),
    "start": start_date,
    "end": end_date,
    "budget": Project.budget_eur,
    "changed": Project.state_changed_at,
    "country": Project.beneficiary_country,
    "state": Project.state,
}
SORT_LABELS = {
    "reference": lazy_gettext("Reference"),
    "title": lazy_gettext("Title"),
    "start": lazy_gettext("Start"),
    "end": lazy_gettext("End"),
    "budget": lazy_gettext("Budget"),
    "changed": lazy_gettext("Last change"),
    "country": lazy_gettext("Beneficiary country"),
    "state": lazy_gettext("State"),
}
# Sort keys whose column is never NULL: no "empty values last" term to sort by first (it cost
# every row an expression, and kept an index on the column from serving the order).
NEVER_NULL = {"reference", "title", "changed", "country", "state"}
# Every sort key, ascending or descending ("-start"): the API's and the forms' vocabulary.
SORT_CHOICES = [f"{sign}{key}" for key in SORTS for sign in ("", "-")]
DEFAULT_SORT = "-changed"


@dataclass(frozen=True)
class ListQuery:
    """What a person asked of a project list; empty fields filter nothing."""

    q: str = ""
    types: tuple[str, ...] = ()  # lifecycle names, each required (the API's type, workflow)
    instrument: str | None = None
    country: str | None = None  # the beneficiary country
    sector: str | None = None
    state: str | None = None
    member_state: str | None = None  # lead or junior
    year_from: int | None = None
    year_to: int | None = None
    sort: str = DEFAULT_SORT
    countries_named: dict = field(default_factory=dict, compare=False)  # name -> code, for q

    def conditions(self) -> list:
        where = []
        where += [Project.workflow == name for name in self.types]
        if self.instrument:
            where.append(Project.instrument == self.instrument)
        if self.country:
            where.append(Project.beneficiary_country == self.country.upper())
        if self.sector:
            where.append(Project.sector == self.sector)
        if self.state:
            where.append(Project.state == self.state)
        if self.member_state:
            where.append(member_state_clause(self.member_state.upper()))
        if self.year_from is not None:
            where.append(start_date >= date(self.year_from, 1, 1))
        if self.year_to is not None:
            where.append(start_date < date(self.year_to + 1, 1, 1))
        where += text_clauses(self.q, self.countries_named)
        return where

    def order(self) -> list:
        key = self.sort.lstrip("-")
        key = key if key in SORTS else DEFAULT_SORT.lstrip("-")
        column = SORTS[key]
        direction = desc if self.sort.startswith("-") else asc
        # Nulls last both ways (SQLite and PostgreSQL differ by default); the id breaks ties
        # so that paging never shows a project twice or skips one.
        empty_last = [] if key in NEVER_NULL else [column.is_(None)]
        return [*empty_last, direction(column), direction(Project.id)]


def project_list(visibility, query: ListQuery):
    """SELECT of the projects `visibility` admits that match `query`, in its order."""
    return select(Project).where(visibility, *query.conditions()).order_by(*query.order())


def page_statement(listed, limit: int, offset: int, columns=()):
    """One page of a project list in its order: the page's ids are sorted on their own, then
    only their rows read. Sorting whole rows to keep fifty cost five times as much (SQLite,
    2,000 projects: 16 ms against 3 ms). `columns`: only those (a list that shows a dozen of
    the 43 columns need not build 50 Project objects)."""
    ids = listed.with_only_columns(Project.id).limit(limit).offset(offset)
    page = listed.where(Project.id.in_(ids))
    return page.with_only_columns(*columns) if columns else page


def page_rows(session, listed, limit: int, offset: int, columns=(), statement=None) -> list:
    """The page's Projects, or plain rows of `columns`; `statement`: page_statement's, kept."""
    statement = (
        statement if statement is not None else page_statement(listed, limit, offset, columns)
    )
    if columns:
        return list(session.execute(statement))
    return list(session.scalars(statement))


def _juniors_hold(column, code: str):
    # Junior lists are JSON arrays of two-letter codes: '["FR", "DE"]' holds '"FR"'.
    return cast(column, String).contains(f'"{code}"', autoescape=True)


def _selected_proposal(*clauses):
    """The partner of a project whose partner is known (the selection applied)."""
    return exists(
        select(Proposal.id).where(
            Proposal.project_id == Project.id, Proposal.is_selected.is_(True), *clauses
        )
    ).where(Project.lead_member_state.is_not(None))


def member_state_clause(code: str):
    """Projects whose lead or a junior Member State is `code`: an imported record names them
    on the row, a live project on its selected proposal."""
    return or_(
        Project.lead_member_state == code,
        _juniors_hold(Project.junior_member_states, code),
        _selected_proposal(_juniors_hold(Proposal.junior_member_states, code)),
    )


def text_clauses(text: str, countries_named: dict) -> list:
    """Every word must match somewhere: the reference with spacing and punctuation ignored,
    the title, the beneficiary institution, the Member State institution (the partner's
    organisation), a Member State or beneficiary country by code or name."""
    clauses = []
    for word in text.split():
        ors = [
            Project.title.icontains(word, autoescape=True),
            Project.beneficiary_institution.icontains(word, autoescape=True),
            _selected_proposal(
                Proposal.submitted_by_id.in_(
                    select(User.id).where(User.organisation.icontains(word, autoescape=True))
                )
            ),
        ]
        if reference_key(word):
            ors.append(reference_matches(word))
        codes = {c for name, c in countries_named.items() if word.lower() in name}
        if len(word) == 2 and word.isalpha():
            codes.add(word.upper())
        for code in sorted(codes):
            ors += [Project.beneficiary_country == code, member_state_clause(code)]
        clauses.append(or_(*ors))
    return clauses


def country_names(reference) -> dict[str, str]:
    """Country names in lower case -> EU code, so "georgia" or "france" finds by country.
    Once per reference data (about 250 names, every list asked for them)."""
    kept = _NAMES.get(id(reference))
    if kept is None or kept[0] is not reference:
        if len(_NAMES) > 8:  # reference data reloaded many times: forget the old
            _NAMES.clear()
        names = {country.name.lower(): code for code, country in reference.countries.items()}
        kept = _NAMES[id(reference)] = (reference, names)
    return kept[1]


_NAMES: dict[int, tuple] = {}  # id(reference) -> (reference, its names): held, so ids stay


def choices_statement(visibility):
    """The beneficiary countries and the Member States (lead or junior) of the projects
    `visibility` admits, the choices of the list's country and Member State filters (a list
    names no partner its reader may not know of), with the count of those projects by state.
    One pass over the projects (it took three, and the counts a fourth): their rows grouped by
    state, country, lead and junior list; then the juniors of the selected proposals. The
    junior lists come as their JSON text."""
    juniors = cast(Project.junior_member_states, String)
    grouped = (
        select(
            literal("r").label("kind"),
            Project.state,
            Project.beneficiary_country,
            Project.lead_member_state,
            juniors.label("juniors"),
            func.count().label("n"),
        )
        .where(visibility)
        .group_by(Project.state, Project.beneficiary_country, Project.lead_member_state, juniors)
    )
    partners = select(
        literal("p"),
        null(),
        null(),
        null(),
        cast(Proposal.junior_member_states, String),
        literal(0),
    ).where(
        Proposal.is_selected.is_(True),
        Proposal.project_id.in_(
            select(Project.id).where(visibility, Project.lead_member_state.is_not(None))
        ),
    )
    return union_all(grouped, partners)


@dataclass
class Choices:
    """What choices_statement's rows say, each list sorted; `counts`: {state: projects}."""

    countries: list[str]
    member_states: list[str]
    counts: dict[str, int]


def countries_and_member_states(session, statement) -> Choices:
    countries, member_states, counts = set(), set(), {}
    for kind, state, country, lead, juniors, n in session.execute(statement):
        if kind == "r":
            counts[state] = counts.get(state, 0) + n
            countries.add(country)
            if lead is not None:
                member_states.add(lead)
        member_states.update(json.loads(juniors) or [])
    # Upper-case two-letter codes: every collation sorts them as Python does.
    return Choices(sorted(countries), sorted(member_states), counts)
