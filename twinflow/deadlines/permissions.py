"""Whose deadlines a reader of a project sees: one rule for the project page's card, the API,
the project's .ics, the personal calendar feed and the dashboard.

A deadline names the parties it is addressed to (`notify_parties`, from the definition's
`notify`). Coordinators, administrators and the beneficiary see every deadline of a project
they may see. A Member State sees those addressed to a party it is on the project: as any
Member State the call's proposal deadline; as the selected lead partner the work plan,
contract, reports and the rest. A Member State that was not selected (or whose bid is only
marked, not yet approved) does not see the partner's deadlines.

`deadline_visible` is the rule; `visible_deadlines_clause` is its twin over Deadline joined to
Project, for queries across projects; tests/security/test_rules.py checks they agree.
"""

from sqlalchemy import String, and_, cast, false, or_

from twinflow.deadlines.models import Deadline
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project, visible_projects_clause
from twinflow.workflow.parties import parties_on


def deadline_visible(user, project, deadline) -> bool:
    if not can_view_project(user, project):
        return False
    if user.role != "member_state":
        return True
    return bool(set(parties_on(user, project)) & set(deadline.notify_parties or ()))


def visible_deadlines(user, project, deadlines) -> list:
    """`deadlines` of `project` that this user sees, in their order."""
    return [d for d in deadlines if deadline_visible(user, project, d)]


def _addressed_to(party: str):
    # notify_parties is a JSON list of party names: '"member_state"' (quotes included) never
    # matches inside '"lead_member_state"'.
    return cast(Deadline.notify_parties, String).contains(f'"{party}"', autoescape=True)


def visible_deadlines_clause(user):
    """`deadline_visible` as a WHERE over Deadline joined to its Project."""
    projects = visible_projects_clause(user)
    if user is None or not getattr(user, "is_active", False):
        return false()
    if user.role != "member_state":
        return projects
    as_lead = and_(
        Project.lead_member_state.is_not(None),
        Project.lead_member_state == user.country,
        _addressed_to("lead_member_state"),
    )
    return and_(projects, or_(_addressed_to("member_state"), as_lead))


def can_decide_deadline(user, project, deadline) -> bool:
    """Waiving or moving a deadline is a coordinator's call, on a deadline it sees (so on a
    project its organisation covers)."""
    return (
        user is not None
        and getattr(user, "role", None) == "coordinator"
        and deadline_visible(user, project, deadline)
    )
