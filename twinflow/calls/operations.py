"""The call as the Member States' contact points pass it on: the notice to every NCP when a
call round opens, an NCP's forwarding to its institutions, and what a user sees of it."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.auth.models import User
from twinflow.calls.models import CallForwarding
from twinflow.calls.permissions import can_forward_call, can_view_forwarding
from twinflow.i18n import gettext as _
from twinflow.organisations.models import Organisation
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.proposals.models import Proposal
from twinflow.proposals.permissions import can_count_bids
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

NOTE_MAX = 2000


def contact_points(session: Session) -> list[User]:
    """The active NCP users of every Member State."""
    return list(session.scalars(_CONTACT_POINTS))


# contact_points' statement, built once (every circulation of a call reads it).
_CONTACT_POINTS = (
    select(User)
    .join(Organisation, User.organisation_id == Organisation.id)
    .where(
        User.is_active.is_(True),
        User.role == "member_state",
        Organisation.kind == "ncp",
        Organisation.country == User.country,
    )
    .order_by(User.id)
)


def notify_contact_points(session: Session, project: Project, now: datetime, link=None) -> int:
    """Tell every NCP that a call round opened (in the app and by e-mail), once per round."""
    deadline = project.proposal_deadline
    when = f"{deadline:%d %b %Y %H:%M} UTC" if deadline else "the deadline set in the call"
    round_text = f" (call round {project.call_round})" if project.call_round > 1 else ""
    from twinflow.notifications.operations import notify

    return notify(
        session,
        contact_points(session),
        kind="call_circulated",
        key=f"call:{project.id}:round:{project.call_round}:ncp",
        now=now,
        project_id=project.id,
        subject=lambda: f"[{project.reference}] Call for proposals{round_text}: {project.title}",
        body=lambda: (
            f"The Twinning Fiche of {project.title} is circulated to the National Contact "
            f"Points; proposals are due by {when}. Forward it to the institutions of your "
            "country from the project's page, with an earlier internal deadline if you set one."
        ),
        link=link,
    )


def forward_call(session: Session, engine, actor, project_id: int, values: dict):
    """The NCP passes the open call round to its country's institutions, optionally with an
    internal deadline before the call's; forwarding again changes it and tells them again."""
    try:
        project = engine._lock(session, project_id)
        if not can_view_project(actor, project):
            raise NotFound(_("No project %(id)s.", id=project_id))
        if not can_forward_call(actor, project):
            raise NotPermitted(
                _("Only the National Contact Point of a Member State forwards calls.")
            )
        now = engine.clock.now()
        if project.state != "call_open" or now >= project.proposal_deadline:
            raise Conflict(_("Only an open call, before its proposal deadline, is forwarded."))
        internal, note = _validated(project, values, now)
        forwarding = session.scalar(
            select(CallForwarding).where(
                CallForwarding.project_id == project.id,
                CallForwarding.call_round == project.call_round,
                CallForwarding.member_state == actor.country,
            )
        )
        if forwarding is None:
            forwarding = CallForwarding(
                project_id=project.id, call_round=project.call_round, member_state=actor.country
            )
            session.add(forwarding)
        forwarding.internal_deadline, forwarding.note = internal, note
        forwarding.forwarded_by_id, forwarding.forwarded_at = actor.id, now
        session.flush()
        # A Member State's dealings with a call are its bid activity ("proposal_"), sealed
        # from its rivals like its proposal (audit/permissions.py).
        append_event(
            session,
            action="proposal_call_forwarded",
            now=now,
            actor=actor,
            project_id=project.id,
            data={
                "member_state": actor.country,
                "call_round": project.call_round,
                "internal_deadline": internal.isoformat() if internal else None,
            },
        )
        _tell_institutions(session, engine, actor, project, forwarding, now)
        session.commit()
        return forwarding
    except BaseException:
        session.rollback()
        raise


def _validated(project: Project, values: dict, now: datetime):
    errors: dict[str, list[str]] = {}
    internal = values.get("internal_deadline")
    if internal is not None:
        if not isinstance(internal, datetime) or internal.tzinfo is None:
            errors["internal_deadline"] = [_("must be a date and time with its time zone (UTC)")]
        elif internal <= now:
            errors["internal_deadline"] = [_("must be in the future")]
        elif internal > project.proposal_deadline:
            errors["internal_deadline"] = [
                _(
                    "must not be after the call's proposal deadline (%(deadline)s UTC)",
                    deadline=project.proposal_deadline.strftime("%Y-%m-%d %H:%M"),
                )
            ]
    note = (values.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("must be at most %(limit)s characters", limit=NOTE_MAX)]
    if errors:
        raise InvalidData(errors)
    return internal, note


def _tell_institutions(session, engine, actor, project, forwarding, now) -> None:
    from twinflow.notifications.operations import notify

    institutions = session.scalars(
        select(User).where(
            User.is_active.is_(True),
            User.role == "member_state",
            User.country == actor.country,
            User.id != actor.id,
        )
    )
    due = forwarding.internal_deadline or project.proposal_deadline
    notify(
        session,
        institutions,
        kind="call_forwarded",
        key=f"forwarding:{forwarding.id}:{now:%Y%m%dT%H%M%S%f}",
        now=now,
        project_id=project.id,
        subject=lambda: f"[{project.reference}] Call for proposals forwarded: {project.title}",
        body=lambda: (
            f"Your National Contact Point forwarded this call; send your proposal by "
            f"{due:%d %b %Y %H:%M} UTC"
            + (" (your country's internal deadline)." if forwarding.internal_deadline else ".")
            + (f" Note: {forwarding.note}" if forwarding.note else "")
        ),
        link=engine.link(project),
    )


def forwarding_for(session: Session, user, project: Project) -> CallForwarding | None:
    """The current round's forwarding of the user's Member State, if the user may see it."""
    if user.role != "member_state" or not user.country:
        return None
    forwarding = session.scalar(
        select(CallForwarding).where(
            CallForwarding.project_id == project.id,
            CallForwarding.call_round == project.call_round,
            CallForwarding.member_state == user.country,
        )
    )
    if forwarding is None or not can_view_forwarding(user, project, forwarding):
        return None
    return forwarding


def bids_received(session: Session, user, project: Project) -> int | None:
    """How many proposals the current call round received, for those who may count them
    while the call is open (None: not theirs to know, or no call open)."""
    if project.state != "call_open" or not can_count_bids(user, project):
        return None
    return session.scalar(
        select(func.count(Proposal.id)).where(
            Proposal.project_id == project.id, Proposal.call_round == project.call_round
        )
    )
