"""Who may see and create projects: one set of predicates for the API, the pages and queries."""

from sqlalchemy import and_, false, func, true

from twinflow.projects.models import Project


def visible_projects_clause(user):
    """A WHERE clause selecting exactly the projects this user may see."""
    if user is None or not user.is_active:
        return false()
    if user.role in ("admin", "coordinator"):
        return true()
    if user.role == "beneficiary":
        return and_(
            Project.beneficiary_country == user.country,
            func.lower(Project.beneficiary_institution) == (user.organisation or "").lower(),
        )
    if user.role == "member_state":
        # Every Member State receives a circulated fiche; drafts stay with the beneficiary.
        return Project.circulated_at.is_not(None)
    return false()


def can_view_project(user, project: Project) -> bool:
    if user is None or not user.is_active:
        return False
    if user.role in ("admin", "coordinator"):
        return True
    if user.role == "beneficiary":
        return (
            user.country == project.beneficiary_country
            and (user.organisation or "").lower() == project.beneficiary_institution.lower()
        )
    if user.role == "member_state":
        return project.circulated_at is not None
    return False


def can_create_project(user) -> bool:
    return user is not None and user.is_active and user.role in ("beneficiary", "coordinator")


PUBLIC_STATES = ("implementation", "suspended", "final_reporting", "closed")


def is_public(project: Project) -> bool:
    """Projects past contracting have a public page, like the EU Neighbours project pages."""
    return project.state in PUBLIC_STATES
