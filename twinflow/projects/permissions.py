"""Who may see and create projects: one rule for the API, the pages, the calendars and queries.

The rule is `project_scope(user)`: which projects a user sees, as data. Its two forms read that
data and nothing else, `can_view_project` for one project in Python and
`visible_projects_clause` as a WHERE for SQL paging, so they cannot disagree (and
tests/security/test_rules.py checks it for every user of a scenario). Every other visibility
rule (proposals, approvals, documents, audit events, deadlines) starts from this one.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, false, func, or_, select, true

from twinflow.auth.models import User
from twinflow.organisations.models import CoveredCountry, Organisation
from twinflow.projects.models import Project

# Projects past contracting have a public page, like the EU Neighbours project pages; a
# project suspended during implementation keeps its page (it is still a running contract),
# one suspended before its contract has none (public_clause, is_public).
PUBLIC_STATES = ("implementation", "suspended", "final_reporting", "closed")
CONTRACTED_STATES = ("implementation", "final_reporting")
# An imported record in any other state (but cancelled) had its call: Member States see it as
# they see a circulated fiche, though the day it was circulated is not known.
UNCIRCULATED_STATES = ("fiche_drafting", "fiche_review", "cancelled")


@dataclass(frozen=True)
class Scope:
    """The projects a user sees: those matching every field that is set (None: any)."""

    countries: frozenset[str] | None = None  # the beneficiary countries covered
    institution: str | None = None  # the beneficiary administration, in lower case
    circulated: bool = False  # only fiches circulated to the Member States

    def admits(self, project: Project) -> bool:
        if self.countries is not None and project.beneficiary_country not in self.countries:
            return False
        if self.institution is not None and (
            project.beneficiary_institution is None
            or project.beneficiary_institution.lower() != self.institution
        ):
            return False
        return not self.circulated or is_circulated(project)

    def clause(self):
        clauses = []
        if self.countries is not None:
            clauses.append(Project.beneficiary_country.in_(sorted(self.countries)))
        if self.institution is not None:
            clauses.append(func.lower(Project.beneficiary_institution) == self.institution)
        if self.circulated:
            clauses.append(
                or_(
                    Project.circulated_at.is_not(None),
                    and_(
                        Project.imported_at.is_not(None),
                        Project.state.not_in(UNCIRCULATED_STATES),
                    ),
                )
            )
        return and_(*clauses) if clauses else true()


def is_circulated(project: Project) -> bool:
    """Whether the fiche went out to the Member States (an imported record past its call)."""
    return project.circulated_at is not None or (
        project.imported_at is not None and project.state not in UNCIRCULATED_STATES
    )


def project_scope(user) -> Scope | None:
    """The one rule of who sees which project; None: no project at all."""
    if user is None or not getattr(user, "is_active", False):
        return None
    if user.role == "admin":
        return Scope()
    if user.role == "coordinator":
        return coordinator_scope(user)
    if user.role == "beneficiary":
        # A beneficiary administration sees its own projects, drafts included; another
        # administration of the same country sees none of them.
        return Scope(
            countries=frozenset({user.country}) if user.country else frozenset(),
            institution=(user.organisation or "").lower(),
        )
    if user.role == "member_state":
        # Every Member State receives a circulated fiche; drafts stay with the beneficiary.
        return Scope(circulated=True)
    return None


def coordinator_scope(user) -> Scope:
    """A coordinator's projects: those of the beneficiary countries its organisation covers
    (every one for a headquarters unit); none without an organisation (the upgrade attached
    every existing coordinator to the headquarters, migrations/versions/0014)."""
    return Scope(countries=covered_countries(user))


def covered_countries(user) -> frozenset[str] | None:
    """The beneficiary countries the user's organisation covers; None: every one."""
    organisation = getattr(user, "affiliation", None)
    if organisation is None:
        return frozenset()
    if organisation.covers_all:
        return None
    return frozenset(organisation.countries)


def covers_country(user, country: str | None) -> bool:
    """Whether the coordinator's organisation covers this beneficiary country."""
    countries = covered_countries(user)
    return countries is None or country in countries


def covering_organisations_clause(country_param: str = "country"):
    """`covers_country` as a WHERE over User: the user's organisation covers the beneficiary
    country bound as `country_param` (for the recipients of a project's notices)."""
    covering = select(Organisation.id).where(
        Organisation.covers_all.is_(True)
        | Organisation.id.in_(
            select(CoveredCountry.organisation_id).where(
                CoveredCountry.country == bindparam(country_param)
            )
        )
    )
    return User.organisation_id.in_(covering)


def visible_projects_clause(user):
    """A WHERE clause selecting exactly the projects this user may see."""
    scope = project_scope(user)
    return false() if scope is None else scope.clause()


def can_view_project(user, project: Project | None) -> bool:
    memo = _VIEWS.get()
    if memo is not None and project is not None:  # inside one page's reads (views_remembered)
        kept = memo.get((id(user), id(project)))
        if kept is not None and kept[0] is user and kept[1] is project:
            return kept[2]
    scope = project_scope(user)
    seen = scope is not None and project is not None and scope.admits(project)
    if memo is not None and project is not None:
        memo[(id(user), id(project))] = (user, project, seen)  # kept: their ids name no other
    return seen


# can_view_project's answers within one page's reads (a project page asks ~38 times for the
# same user and project): set by views_remembered only, for a read that changes neither the
# user nor the project; a context variable, so no other request or thread ever sees it.
_VIEWS: ContextVar[dict | None] = ContextVar("twinflow_views_remembered", default=None)


@contextmanager
def views_remembered():
    """Within: can_view_project answers each (user, project) once. Only around reads that
    write neither (a page built for one reader): the answer is not asked again."""
    token = _VIEWS.set({})
    try:
        yield
    finally:
        _VIEWS.reset(token)


def can_create_project(user) -> bool:
    return user is not None and user.is_active and user.role in ("beneficiary", "coordinator")


def is_public(project: Project) -> bool:
    """Whether the project has a public page (anyone, signed in or not, may read it)."""
    if project.state == "suspended":
        return project.held_from is None or project.held_from in CONTRACTED_STATES
    return project.state in PUBLIC_STATES


def public_clause():
    """`is_public` as a WHERE, for the public lists."""
    return Project.state.in_(PUBLIC_STATES) & (
        (Project.state != "suspended")
        | Project.held_from.is_(None)
        | Project.held_from.in_(CONTRACTED_STATES)
    )
