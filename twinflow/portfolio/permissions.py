"""Who reads the portfolio: coordinators (over the countries their organisation covers, the
project visibility rule) and administrators (every project)."""

import json

from twinflow.projects.permissions import Scope, project_scope, visible_projects_clause


def can_view_portfolio(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_active", False)
        and user.role in ("coordinator", "admin")
    )


def portfolio_clause(user):
    """The projects the figures count: exactly those the reader may see."""
    return visible_projects_clause(user)


def portfolio_scope_key(user) -> str:
    """The reader's scope as text (the figures kept for it are shared by the readers who see
    exactly the same projects; they are used only while their inputs match, kept.py)."""
    scope = project_scope(user)
    if scope is None:
        return "none"
    countries = None if scope.countries is None else sorted(scope.countries)
    return json.dumps([countries, scope.institution, scope.circulated])


def portfolio_scope_by_country(user) -> bool:
    return drawn_by_country(project_scope(user))


def drawn_by_country(scope: Scope | None) -> bool:
    """Whether a scope's projects are those of some countries (or all) and nothing else
    decides: then the kept figures follow the projects' mark, not a digest of each (kept.py)."""
    return scope is not None and scope.institution is None and not scope.circulated


def scope_from_key(key: str) -> Scope | None:
    """The scope `portfolio_scope_key` wrote as text (the same fields, so the same clause);
    None for "none" (a reader who sees no project)."""
    if key == "none":
        return None
    countries, institution, circulated = json.loads(key)
    countries = None if countries is None else frozenset(countries)
    return Scope(countries=countries, institution=institution, circulated=circulated)
