"""Submitting, amending and selecting Member State proposals."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.proposals.models import Proposal
from twinflow.proposals.permissions import (
    can_select_proposal,
    can_submit_proposal,
    can_view_proposal,
)
from twinflow.reference import reference_for
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

FIELDS = ("lead_member_state", "junior_member_states", "project_leader", "rta_name", "summary")


def taken_in_round(session: Session, project: Project, member_state: str) -> set[str]:
    """The Member States taking part (as lead or junior) in the other Member States' proposals
    of the project's current call round: a Member State takes part in one proposal only."""
    rows = session.execute(
        select(Proposal.lead_member_state, Proposal.junior_member_states).where(
            Proposal.project_id == project.id,
            Proposal.call_round == project.call_round,
            Proposal.member_state != member_state,
        )
    )
    return {ms for lead, juniors in rows for ms in (lead, *(juniors or []))}


def _once(code: str) -> str:
    return _(
        "%(code)s already takes part in another proposal of this call round (one proposal per "
        "Member State)",
        code=code,
    )


def _validate(engine, definition, actor, values: dict, taken: set[str] = frozenset()) -> dict:
    errors: dict[str, list[str]] = {}
    reference, today = reference_for(engine), engine.clock.now().date()
    lead = (values.get("lead_member_state") or actor.country or "").upper()
    if lead != actor.country:
        errors["lead_member_state"] = [
            _("you submit for your own Member State (%(country)s)", country=actor.country)
        ]
    elif lead in taken:
        errors["lead_member_state"] = [_once(lead)]
    # A junior partner is a Member State today, written as the EU writes it (GR is EL).
    juniors = [
        reference.country_code(j) or j.upper() for j in values.get("junior_member_states") or []
    ]
    for j in juniors:
        if not reference.is_member_state(j, today):
            errors.setdefault("junior_member_states", []).append(
                _("%(code)s is not an EU Member State", code=repr(j))
            )
        elif j == lead:
            errors.setdefault("junior_member_states", []).append(
                _(
                    "%(code)s is the lead Member State: the lead is never one of its own "
                    "junior partners",
                    code=j,
                )
            )
        elif j in taken:
            errors.setdefault("junior_member_states", []).append(_once(j))
    if len(set(juniors)) != len(juniors):
        errors.setdefault("junior_member_states", []).append(_("lists a Member State twice"))
    if not (values.get("project_leader") or "").strip():
        errors["project_leader"] = [_("is required")]
    rta = (values.get("rta_name") or "").strip() or None
    for problem in definition.rules.proposal_problems(juniors, rta):
        field, reason = problem.split(": ", 1)
        errors.setdefault(field, []).append(reason)
    if errors:
        raise InvalidData(errors)
    return dict(
        lead_member_state=lead,
        junior_member_states=juniors,
        project_leader=values["project_leader"].strip(),
        rta_name=rta,
        summary=(values.get("summary") or "").strip(),
    )


def _open_call(engine, session, actor, project_id: int) -> Project:
    project = engine._lock(session, project_id)
    if not can_view_project(actor, project):
        raise NotFound(_("No project %(id)s.", id=project_id))
    if not can_submit_proposal(actor, project):
        raise NotPermitted(_("Only Member State institutions submit proposals."))
    if project.state != "call_open":
        raise Conflict(_("Proposals are accepted only while the call is open."))
    if engine.clock.now() >= project.proposal_deadline:
        raise Conflict(
            _(
                "The proposal deadline (%(deadline)s UTC) has passed.",
                deadline=project.proposal_deadline.strftime("%Y-%m-%d %H:%M"),
            )
        )
    return project


def submit_proposal(session: Session, engine, actor, project_id: int, values: dict) -> Proposal:
    try:
        project = _open_call(engine, session, actor, project_id)
        taken = taken_in_round(session, project, actor.country)
        clean = _validate(engine, engine.definition_of(session, project), actor, values, taken)
        now = engine.clock.now()
        proposal = Proposal(
            project_id=project.id,
            call_round=project.call_round,
            member_state=actor.country,
            submitted_by_id=actor.id,
            submitted_at=now,
            updated_at=now,
            **clean,
        )
        # Read first: a failed insert expires every loaded object, actor included.
        member_state = actor.country
        try:
            with session.begin_nested():
                session.add(proposal)
        except IntegrityError:
            raise Conflict(
                _(
                    "%(country)s has already submitted a proposal in this call; amend it instead.",
                    country=member_state,
                )
            ) from None
        append_event(
            session,
            action="proposal_submitted",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"proposal_id": proposal.id, "member_state": actor.country},
        )
        session.commit()
        return proposal
    except BaseException:
        session.rollback()
        raise


def update_proposal(
    session: Session, engine, actor, project_id: int, proposal_id: int, values: dict
) -> Proposal:
    try:
        project = _open_call(engine, session, actor, project_id)
        proposal = session.get(Proposal, proposal_id)
        if (
            proposal is None
            or proposal.project_id != project.id
            or proposal.member_state != actor.country
            # An earlier round's proposal is that round's record, closed with it.
            or proposal.call_round != project.call_round
        ):
            raise NotFound(f"No proposal {proposal_id} of yours in this project's current call.")
        merged = {k: getattr(proposal, k) for k in FIELDS} | values
        definition = engine.definition_of(session, project)
        taken = taken_in_round(session, project, actor.country)
        for key, value in _validate(engine, definition, actor, merged, taken).items():
            setattr(proposal, key, value)
        proposal.updated_at = engine.clock.now()
        append_event(
            session,
            action="proposal_updated",
            now=proposal.updated_at,
            actor=actor,
            project_id=project.id,
            data={"proposal_id": proposal.id, "member_state": actor.country},
        )
        session.commit()
        return proposal
    except BaseException:
        session.rollback()
        raise


def select_proposal(session: Session, engine, actor, project_id: int, proposal_id: int) -> Proposal:
    """Marks the proposal to choose in the current call (and unmarks any other); the choice
    itself is select_partner, which needs the approvals of the beneficiary and a coordinator."""
    try:
        project = engine._lock(session, project_id)
        if not can_view_project(actor, project):
            raise NotFound(_("No project %(id)s.", id=project_id))
        if not can_select_proposal(actor, engine.parties(session, actor, project)):
            raise NotPermitted(_("Only the beneficiary and the coordinators select the partner."))
        if project.state != "selection":
            raise Conflict(_("A proposal can be selected only during selection."))
        if engine.pending_requests(session, project.id):
            raise Conflict(_("An approval is pending; decide on it before changing the selection."))
        proposal = session.get(Proposal, proposal_id)
        if (
            proposal is None
            or proposal.project_id != project.id
            or proposal.call_round != project.call_round
        ):
            raise NotFound(f"No proposal {proposal_id} in this project's current call.")
        # Each call round keeps its own decision: an earlier round's choice stays on record.
        session.execute(
            update(Proposal)
            .where(Proposal.project_id == project.id, Proposal.call_round == project.call_round)
            .values(is_selected=False)
        )
        session.execute(update(Proposal).where(Proposal.id == proposal.id).values(is_selected=True))
        # Marking is not choosing: the lead partner (and its rights) comes when select_partner
        # applies (the appoint_lead effect). The version moves: the project reads differently.
        session.execute(
            update(Project).where(Project.id == project.id).values(version=Project.version + 1)
        )
        now = engine.clock.now()
        append_event(
            session,
            action="proposal_selected",
            now=now,
            actor=actor,
            project_id=project.id,
            data={"proposal_id": proposal.id, "member_state": proposal.member_state},
        )
        session.commit()
        session.refresh(proposal)
        return proposal
    except BaseException:
        session.rollback()
        raise


def visible_proposals(session: Session, actor, project: Project) -> list[Proposal]:
    proposals = session.scalars(
        select(Proposal)
        .where(Proposal.project_id == project.id)
        .order_by(Proposal.call_round, Proposal.submitted_at, Proposal.id)
    )
    return [p for p in proposals if can_view_proposal(actor, project, p)]
