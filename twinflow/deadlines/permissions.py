"""Whose deadlines a reader of a project sees: one rule for the project page's card, the
project's .ics and (through `parties_on`) the personal calendar feed.

A deadline names the parties it is addressed to (`notify_parties`, from the definition's
`notify`). Coordinators, administrators and the beneficiary see every deadline of a project
they may see. A Member State sees those addressed to a party it is on the project: as any
Member State the call's proposal deadline; as the selected lead partner the work plan,
contract, reports and the rest. A Member State that was not selected does not see the
partner's deadlines of the project it did not win.
"""

from twinflow.projects.permissions import can_view_project
from twinflow.workflow.parties import ProjectParties, parties_of


def parties_on(user, project) -> set[str]:
    """The parties this user is on the project (its lead partner read off the project row)."""
    who = ProjectParties(
        project.beneficiary_country, project.beneficiary_institution, project.lead_member_state
    )
    return set(parties_of(user, who))


def visible_deadlines(user, project, deadlines) -> list:
    """`deadlines` of `project` that this user sees, in their order."""
    if not can_view_project(user, project):
        return []
    if user.role != "member_state":
        return list(deadlines)
    mine = parties_on(user, project)
    return [d for d in deadlines if mine & set(d.notify_parties or ())]
