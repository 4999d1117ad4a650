"""Who reads the portfolio: coordinators (over the countries their organisation covers, the
project visibility rule) and administrators (every project)."""

from twinflow.projects.permissions import visible_projects_clause


def can_view_portfolio(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_active", False)
        and user.role in ("coordinator", "admin")
    )


def portfolio_clause(user):
    """The projects the figures count: exactly those the reader may see."""
    return visible_projects_clause(user)
