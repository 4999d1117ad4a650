"""The selection record as one reader may see it, for the API and the project page alike:
the choosers read it all; a Member State reads its own proposal's outcome once decided."""

from sqlalchemy.orm import Session

from twinflow.i18n import gettext
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.selection.operations import (
    assessments_of,
    default_held_on,
    outcome_of,
    record_kind,
    record_of,
    round_proposals,
)
from twinflow.selection.permissions import (
    RECORDING_STATES,
    UNDECIDED_STATES,
    can_read_own_outcome,
    can_read_selection,
    can_record_selection,
)
from twinflow.workflow.errors import NotFound


def _record(record, proposals) -> dict | None:
    if record is None:
        return None
    reserve = proposals.get(record.reserve_proposal_id)
    return {
        "kind": record.kind,
        "held_on": record.held_on,
        "minutes_document_id": record.minutes_document_id,
        "reserve_proposal_id": record.reserve_proposal_id,
        "reserve_member_state": reserve.member_state if reserve else None,
        "notes": record.notes,
        "recorded_at": record.recorded_at,
        "decided_at": record.decided_at,
        "reserve_taken_up_at": record.reserve_taken_up_at,
    }


def selection_summary(session: Session, engine, user, project_id: int, reads=None) -> dict:
    """Raises NotFound for whoever may read nothing of it (yet). reads: the rows the project
    page read already (web/page_reads.py), so they are not read again."""
    project = session.get(Project, project_id)
    if project is None or not can_view_project(user, project):
        raise NotFound(gettext("No project %(id)s.", id=project_id))
    parties = engine.parties(session, user, project)
    definition = engine.definition_of(session, project)
    record = reads.selection_record if reads else record_of(session, project)
    decided = project.state not in UNDECIDED_STATES and project.lead_member_state is not None
    listed = reads.round_proposals if reads else round_proposals(session, project)
    proposals = {p.id: p for p in listed}
    base = {
        "project_id": project.id,
        "call_round": project.call_round,
        "kind": record_kind(definition),
        "default_held_on": default_held_on(project, definition),
        "editable": False,
        "proposals": [],
        "record": None,
        "outcomes": [],
    }
    if can_read_selection(user, project, parties):
        assessed = reads.assessments if reads else assessments_of(session, project)
        base["editable"] = (
            can_record_selection(parties)
            and project.state in RECORDING_STATES
            and not (reads.pending if reads else engine.pending_requests(session, project.id))
        )
        base["proposals"] = [
            _proposal(p, assessed.get(p.id), record, decided) for p in proposals.values()
        ]
        base["record"] = _record(record, proposals)
        return base
    if can_read_own_outcome(user, project):
        mine = [
            p
            for p in proposals.values()
            if user.country in (p.lead_member_state, *p.junior_member_states)
        ]
        if mine:
            base["outcomes"] = [
                {
                    "member_state": user.country,
                    "outcome": outcome_of(p, record),
                    "decided_at": record.decided_at if record else None,
                }
                for p in mine
            ]
            return base
    raise NotFound(f"No selection record of project {project_id} to show you.")


def _proposal(proposal, assessment, record, decided: bool) -> dict:
    a = assessment
    return {
        "proposal_id": proposal.id,
        "member_state": proposal.member_state,
        "lead_member_state": proposal.lead_member_state,
        "junior_member_states": proposal.junior_member_states,
        "project_leader": proposal.project_leader,
        "rta_name": proposal.rta_name,
        "eligible": a.is_eligible if a else None,
        "eligibility_reason": a.eligibility_reason if a else None,
        "leader_present": a.leader_present if a else None,
        "rta_present": a.rta_present if a else None,
        "score": a.score if a else None,
        "rank": a.rank if a else None,
        "outcome": outcome_of(proposal, record) if decided else None,
    }


def section(session: Session, engine, user, project, reads=None) -> dict | None:
    """What the project page shows of the selection (None: nothing for this user)."""
    if project.state in ("fiche_drafting", "fiche_review", "call_open"):
        return None
    try:
        shown = selection_summary(session, engine, user, project.id, reads)
    except NotFound:  # nothing of it is this user's to see (yet)
        return None
    # Past selection, a round that left no record (e.g. a project from before the selection
    # record existed) is not announced as "not recorded yet".
    recorded = (
        shown["record"]
        or shown["outcomes"]
        or any(p.get("eligible") is not None for p in shown["proposals"])
    )
    return shown if project.state == "selection" or recorded else None
