"""Everything the project page shows, gathered for one user through the shared predicates
and the engine (so the buttons offered are exactly the ones the engine will accept)."""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from twinflow.activities import operations as activities
from twinflow.activities.gantt import gantt_svg
from twinflow.approvals.permissions import visible_approvals
from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_visible, mark_withheld_actors
from twinflow.auth.models import User
from twinflow.auth.permissions import name_for
from twinflow.deadlines.operations import open_deadlines
from twinflow.deadlines.permissions import visible_deadlines
from twinflow.projects.forms import trigger_form_class
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal
from twinflow.proposals.operations import visible_proposals
from twinflow.proposals.permissions import (
    can_select_proposal,
    can_submit_proposal,
    selection_known_to,
)
from twinflow.records.permissions import can_view_records
from twinflow.reports.models import Report
from twinflow.results import operations as results
from twinflow.web.labels import country_name
from twinflow.workflow.diagram import mermaid

# From the work plan on, the project page shows how implementation goes.
RECORD_STATES = (
    "work_plan",
    "contracting",
    "implementation",
    "suspended",
    "final_reporting",
    "closed",
)


@dataclass
class PendingApproval:
    request: object
    label: str
    waiting_for: list[str]
    decisions: list[tuple[object, str]]  # (decision, decider's name)
    mine: list[str] = field(default_factory=list)  # parties I would decide as, if any


def selected_proposal(session, project: Project) -> Proposal | None:
    return session.scalar(
        select(Proposal).where(
            Proposal.project_id == project.id,
            Proposal.call_round == project.call_round,
            Proposal.is_selected.is_(True),
        )
    )


def last_seq(session, project_id: int) -> int:
    return session.scalar(
        select(func.coalesce(func.max(AuditEvent.seq), 0)).where(
            AuditEvent.project_id == project_id
        )
    )


def timeline(session, user, project, after_seq: int = 0):
    """[(event, data)] of this project that this user may see, oldest first."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, AuditEvent.seq > after_seq)
        .order_by(AuditEvent.seq)
    )
    out = []
    for event in events:
        data = load_data(event)
        if event_visible(user, project, event, data):
            out.append((event, data))
    mark_withheld_actors(session, user, out)
    return out


def fiche_return(session, user, project) -> dict | None:
    """While the returned fiche is being revised: who returned it, when and with what comment,
    shown where the beneficiary lands (the project page), not only deep in the timeline."""
    if project.state != "fiche_drafting":
        return None
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id, AuditEvent.action == "transition")
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if event is None or event.trigger != "return_fiche":
        return None
    actor = session.get(User, event.actor_id) if event.actor_id else None
    return dict(
        at=event.occurred_at,
        by=name_for(user, actor, fallback="a coordinator"),
        comment=load_data(event).get("comment"),
    )


def what_next(session, user, project, state_label, options, requests, mine, **known):
    """The project page's "what next" sentence (rule: twinflow/projects/next_step.py)."""
    from twinflow.approvals.models import Signoff
    from twinflow.projects.next_step import Situation, next_step

    pending = []
    for request in requests:
        owed = request.owed_parties
        decided = any(d.user_id == user.id for d in request.decisions)
        label = known["labels"].get(request.trigger, request.trigger)
        pending.append((label, owed, bool(set(owed) & set(mine)) and not decided))
    to_sign = []
    if known["records_visible"]:
        for signoff in session.scalars(
            select(Signoff).where(
                Signoff.project_id == project.id,
                Signoff.subject_type == "report",
                Signoff.status == "pending",
            )
        ):
            if set(signoff.owed_parties) & set(mine) and not any(
                d.user_id == user.id for d in signoff.decisions
            ):
                report = session.get(Report, signoff.subject_id)
                to_sign.append(report.title if report else "report")
    proposals = [p for p in known["proposals"] if p.call_round == project.call_round]
    return next_step(
        Situation(
            state=project.state,
            state_label=state_label,
            role=user.role,
            now=known["now"],
            actions=[
                (o.spec.trigger, o.spec.label)
                for o, _ in options
                if o.available and o.spec.trigger not in known["detours"]
            ],
            pending=pending,
            proposal_deadline=project.proposal_deadline,
            proposals=len(proposals),
            marked=any(p.is_selected for p in proposals),
            may_mark=known["may_mark"],
            may_propose=known["may_propose"],
            has_proposed=known["has_proposed"],
            reports_to_sign=to_sign,
            final=project.state in ("closed", "cancelled"),
        )
    )


def everywhere_triggers(definition) -> set[str]:
    """Triggers that leave every non-terminal state (e.g. cancel): not a step of the path."""
    open_states = set(definition.states) - definition.terminal_states
    return {t.trigger for t in definition.transitions if open_states <= set(t.sources)}


def diagram_text(definition, current: str, events) -> str:
    """The engine's mermaid text, with the states' readable labels instead of their keys."""
    visited = []
    for event, _ in events:
        visited += [s for s in (event.from_state, event.to_state) if s]
    text = mermaid(definition, current=current, visited=visited)
    # A trigger that leaves every state (cancel) buries the path when drawn from each one, so
    # it is drawn from the current state only. The start marker points at the initial state.
    everywhere = everywhere_triggers(definition)
    lines = []
    for line in text.splitlines():
        edge = re.match(r"\s*(\S+) --> (\S+): (\S+)$", line)
        if edge and edge.group(3) in everywhere and edge.group(1) != current:
            continue
        if re.match(r"\s*\[\*\] --> ", line):
            line = f"  [*] --> {definition.initial}"
        lines.append(line)
    text = "\n".join(lines).replace("direction LR", "direction TB") + "\n"
    for name, spec in definition.states.items():
        text = re.sub(
            rf'state "{re.escape(name)}" as {re.escape(name)}\b',
            f'state "{spec.label}" as {name}',
            text,
        )
    return text


def _describe_party(party: str, project, lead: str | None, lead_known: bool) -> str:
    if party == "beneficiary":
        return f"{project.beneficiary_institution} (beneficiary)"
    if party == "coordinator":
        return "a coordinator (EU Delegation / contracting authority)"
    if party == "lead_member_state":
        return (
            f"the lead Member State ({country_name(lead)})"
            if lead_known and lead
            else ("the lead Member State")
        )
    return party


def build(session, engine, user, project: Project, forms: dict | None = None) -> dict:
    """forms: {trigger: form} to show again with the errors of a refused attempt."""
    forms = forms or {}
    definition = engine.definition_of(session, project)
    lead = project.lead_member_state  # set when select_partner applied, not at marking
    lead_known = selection_known_to(user, project)
    mine = engine.parties(session, user, project)
    version, seen = project.version, last_seq(session, project.id)

    options = []
    for option in engine.options(session, user, project):
        form = forms.get(option.spec.trigger)
        if form is None:
            form = trigger_form_class(option.spec, definition.rules)(
                formdata=None, prefix=option.spec.trigger, version=version, seen_seq=seen
            )
        options.append((option, form))

    pending = []
    requests = engine.pending_requests(session, project.id)
    shown = visible_approvals(user, project, requests)
    deciders = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_({d.user_id for r in shown for d in r.decisions}))
        )
    }
    for request in shown:
        spec = definition.transition(request.trigger, project.state)
        owed_mine = [
            p
            for p in request.owed_parties
            if p in mine and not any(d.user_id == user.id for d in request.decisions)
        ]
        pending.append(
            PendingApproval(
                request=request,
                label=spec.label if spec else request.trigger,
                waiting_for=[
                    _describe_party(p, project, lead, lead_known) for p in request.owed_parties
                ],
                decisions=[(d, name_for(user, deciders.get(d.user_id))) for d in request.decisions],
                mine=owed_mine,
            )
        )

    events = timeline(session, user, project)
    proposals = visible_proposals(session, user, project)
    my_proposal = None
    if user.role == "member_state":
        my_proposal = next(
            (
                p
                for p in proposals
                if p.member_state == user.country and p.call_round == project.call_round
            ),
            None,
        )
    now = engine.clock.now()
    call_accepting = (
        project.state == "call_open"
        and project.proposal_deadline is not None
        and now < project.proposal_deadline
    )
    records_visible = can_view_records(user, project, mine)
    progress, gantt = None, ""
    if records_visible and project.state in RECORD_STATES:
        progress = results.progress(session, engine, user, project.id, now)
        gantt = gantt_svg(activities.timeline(session, engine, user, project.id), now.date())
    can_select = project.state == "selection" and can_select_proposal(user, mine) and not requests
    can_propose = call_accepting and can_submit_proposal(user, project)
    state = definition.states[project.state]
    upcoming = what_next(
        session,
        user,
        project,
        state.label,
        options,
        shown,  # only the sign-offs this user may know of (a rival never learns of a choice)
        mine,
        labels={t.trigger: t.label for t in definition.transitions},
        # Ways off the path (cancel, suspend, a new call round) are never "the next step".
        detours=everywhere_triggers(definition) | {"suspend", "recirculate"},
        records_visible=records_visible,
        proposals=proposals,
        now=now,
        may_mark=can_select,
        may_propose=can_propose,
        has_proposed=my_proposal is not None,
    )
    return dict(
        what_next=upcoming,
        records_visible=records_visible,
        progress=progress,
        gantt=gantt,
        project=project,
        definition=definition,
        state=definition.states[project.state],
        # The partner is the lead once chosen; a marked bid is not a partner yet.
        partner=selected_proposal(session, project) if lead and lead_known else None,
        selection_known=lead_known,
        options=options,
        pending=pending,
        deadlines=visible_deadlines(user, project, open_deadlines(session, project.id)),
        # A coordinator waives or moves deadlines from this list (deadlines/views.py).
        decides_deadlines=user.role == "coordinator",
        proposals=proposals,
        my_proposal=my_proposal,
        can_propose=can_propose,
        can_select=can_select,
        events=events,
        returned=fiche_return(session, user, project),
        diagram=diagram_text(definition, project.state, events),
        seen_seq=seen,
        version=version,
        now=now,
    )
