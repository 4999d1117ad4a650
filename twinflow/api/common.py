"""Small helpers the resources share: finding what the caller may see, ETags, approval views."""

import re

from flask import request
from flask_smorest import abort
from sqlalchemy import bindparam, select

from twinflow.api.fields import MAX_ID
from twinflow.api.schemas import ProjectSchema
from twinflow.approvals.models import Signoff
from twinflow.approvals.operations import owed_by
from twinflow.approvals.permissions import visible_approvals
from twinflow.auth.models import User
from twinflow.auth.permissions import nobody_withheld_from, withheld_people_clause
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.permissions import visible_deadlines
from twinflow.extensions import db
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.proposals.models import Proposal
from twinflow.services import get_engine
from twinflow.workflow.errors import NotFound

# Path converters that bound ids, so a huge number is a 404, never a driver overflow.
ID = f"int(min=1, max={MAX_ID})"
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')
IF_MATCH_DOC = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    # The forms expected_version reads (_IF_MATCH, or *), so the document refuses the others.
    "schema": {"type": "string", "pattern": r'^\s*(\*|(W/)?"?\d{1,10}"?)\s*$'},
    "description": 'The project\'s ETag (e.g. "7"): refused with 409 if the project changed.',
}
# The project's own fields in the detail: named once (a schema instance per request cost
# a tenth of the answer's time).
PROJECT_FIELDS = tuple(ProjectSchema().fields)
ETAG_HEADER = {"ETag": {"description": "The project's version", "schema": {"type": "string"}}}
# The detail's open deadlines: the columns it shows and the one the visibility rule reads, as
# rows (whole Deadline objects cost a fifth of the answer: every column, two JSON ones), in a
# statement built once.
_OPEN_DEADLINES = (
    select(
        Deadline.id,
        Deadline.key,
        Deadline.title,
        Deadline.due_at,
        Deadline.status,
        Deadline.decision_reason,
        Deadline.notify_parties,
    )
    .where(Deadline.project_id == bindparam("project_id"), Deadline.status == "open")
    .order_by(Deadline.due_at, Deadline.id)
)
# The Member States that joined the chosen proposal of a live project's round.
_CHOSEN_JUNIORS = select(Proposal.junior_member_states).where(
    Proposal.project_id == bindparam("project_id"),
    Proposal.call_round == bindparam("call_round"),
    Proposal.is_selected.is_(True),
)


# The project with the juniors of its round's chosen proposal, which the detail's partners
# may show: one statement where there were two.
_PROJECT_AND_JUNIORS = select(
    Project,
    select(Proposal.junior_member_states)
    .where(
        Proposal.project_id == Project.id,
        # Project.call_round, the property, in SQL.
        Proposal.call_round == Project.recirculation_count + 1,
        Proposal.is_selected.is_(True),
    )
    .limit(1)
    .scalar_subquery(),
).where(Project.id == bindparam("project_id"))
_UNREAD = object()


def visible_project(user, project_id: int) -> Project:
    """The project, or 404 whether it does not exist or the caller may not see it."""
    project = db.session.get(Project, project_id)
    if project is None or not can_view_project(user, project):
        raise NotFound(f"No project {project_id}.")
    return project


def visible_project_detail(user, project_id: int) -> tuple[Project, dict]:
    """visible_project and its project_detail, reading the project and its chosen partner's
    juniors together."""
    found = db.session.execute(_PROJECT_AND_JUNIORS, {"project_id": project_id}).first()
    project, juniors = found if found is not None else (None, None)
    if project is None or not can_view_project(user, project):
        raise NotFound(f"No project {project_id}.")
    return project, project_detail(user, project, chosen_juniors=juniors)


def etag(project: Project) -> str:
    return f'"{project.version}"'


def expected_version() -> int | None:
    """If-Match as the version the caller acted on; `*` (or no header) means any."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    match = _IF_MATCH.match(raw)
    if match is None:
        abort(
            422,
            message='If-Match must be the project\'s ETag, as sent with it (e.g. "7").',
            errors={"headers": {"If-Match": ["is not an ETag of this API"]}},
        )
    return int(match.group(1))


def approval_view(
    approval: Signoff, user, mine: list[str] | None = None, withheld: set | None = None
) -> dict:
    """The approval as the API shows it, with whether it waits for this caller. The caller
    has checked `can_view_approval`; `withheld`: ids of users it may not learn (people rule),
    shown as null."""
    if mine is None:
        project = db.session.get(Project, approval.project_id)
        mine = get_engine().parties(db.session, user, project)
    if withheld is None:
        withheld = withheld_user_ids(user, [approval])
    return {
        "id": approval.id,
        "project_id": approval.project_id,
        "trigger": approval.trigger,
        "from_state": approval.from_state,
        "status": approval.status,
        "parties": list(approval.parties),
        "approved_parties": approval.approved_parties,
        "owed_parties": approval.owed_parties,
        "comment": approval.comment,
        "data": approval.data or {},
        "requested_by_id": _person(approval.requested_by_id, withheld),
        "created_at": approval.created_at,
        "closed_at": approval.closed_at,
        "decisions": [
            {
                "party": d.party,
                "decision": d.decision,
                "comment": d.comment,
                "user_id": _person(d.user_id, withheld),
                "decided_at": d.decided_at,
            }
            for d in approval.decisions
        ],
        "awaiting_you": bool(owed_by(approval, user, mine)),
    }


def _person(user_id: int | None, withheld: set) -> int | None:
    return None if user_id in withheld else user_id


def withheld_user_ids(viewer, approvals) -> set[int]:
    """The requesters and deciders of these approvals whom `viewer` may not learn."""
    ids = {a.requested_by_id for a in approvals} | {
        d.user_id for a in approvals for d in a.decisions
    }
    if not ids or nobody_withheld_from(viewer):
        return set()
    return set(
        db.session.scalars(select(User.id).where(User.id.in_(ids), withheld_people_clause(viewer)))
    )


def partners(session, user, project: Project, chosen_juniors=_UNREAD) -> dict:
    """The lead and junior Member States as this user may know them: an imported record's
    from its row, a live project's from the chosen proposal (`chosen_juniors`, when read
    already); a rival learns them when the choice is made public
    (proposals.permissions.selection_known_to)."""
    from twinflow.proposals.permissions import selection_known_to

    if not project.lead_member_state or not selection_known_to(user, project):
        return {"lead_member_state": None, "junior_member_states": []}
    juniors = list(project.junior_member_states or [])
    if not project.is_imported:
        chosen = chosen_juniors
        if chosen is _UNREAD:
            chosen = session.scalar(
                _CHOSEN_JUNIORS, {"project_id": project.id, "call_round": project.call_round}
            )
        juniors = list(chosen or [])
    return {"lead_member_state": project.lead_member_state, "junior_member_states": juniors}


def project_detail(user, project: Project, chosen_juniors=_UNREAD) -> dict:
    """The project as this user may see it: its pending approvals, deadlines and the people
    named in them filtered by the same rules as the project page and the calendar."""
    engine = get_engine()
    requests = engine.pending_requests(db.session, project.id)
    options = engine.options(db.session, user, project, pending=requests)
    mine = engine.parties(db.session, user, project)
    deadlines = db.session.execute(_OPEN_DEADLINES, {"project_id": project.id})
    pending = visible_approvals(user, project, requests)
    withheld = withheld_user_ids(user, pending)
    detail = {name: getattr(project, name) for name in PROJECT_FIELDS}
    detail.update(
        available_triggers=[o.spec.trigger for o in options if o.available],
        options=[
            {
                "trigger": o.spec.trigger,
                "label": o.spec.label,
                "available": o.available,
                "blocked_by": o.blocked_by,
                "pending_approval_id": o.pending_approval_id,
                "needs_approvals": list(o.spec.approvals),
                "comment_required": o.spec.comment_required,
                "data": o.spec.data,
            }
            for o in options
        ],
        pending_approvals=[approval_view(a, user, mine, withheld) for a in pending],
        deadlines=[row._asdict() for row in visible_deadlines(user, project, deadlines)],
        **partners(db.session, user, project, chosen_juniors),
        **call_view(user, project),
    )
    return detail


def call_view(user, project: Project) -> dict:
    """The open call as this user may see it: the count of proposals, the NCP's forwarding."""
    from twinflow.calls.operations import bids_received, forwarding_for
    from twinflow.calls.schemas import forwarding_view

    return {
        "proposals_received": bids_received(db.session, user, project),
        "call_forwarding": forwarding_view(forwarding_for(db.session, user, project)),
    }
