"""Who records the selection and who reads it. The coordinators record it; those who choose
(beneficiary, coordinators) and administrators read it once the call has closed; a Member
State reads only its own proposal's outcome, and only once the partner is chosen."""

from twinflow.projects.permissions import can_view_project
from twinflow.proposals.permissions import CALL_NOT_CLOSED, call_closed

# The selection record is written while the project is in selection.
RECORDING_STATES = ("selection",)
# Before the partner is chosen (select_partner applies on leaving selection).
UNDECIDED_STATES = (*CALL_NOT_CLOSED, "selection")


def can_record_selection(parties: list[str]) -> bool:
    return "coordinator" in parties


def can_read_selection(user, project, parties: list[str]) -> bool:
    if not can_view_project(user, project) or not call_closed(project):
        return False
    return user.role == "admin" or any(p in ("coordinator", "beneficiary") for p in parties)


def can_read_own_outcome(user, project) -> bool:
    """A Member State learns its own result once the round is decided, never before."""
    return (
        can_view_project(user, project)
        and user.role == "member_state"
        and bool(user.country)
        and project.lead_member_state is not None
        and project.state not in UNDECIDED_STATES
    )
