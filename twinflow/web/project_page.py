"""Everything the project page shows, gathered for one user through the shared predicates
and the engine (so the buttons offered are exactly the ones the engine will accept)."""

from dataclasses import dataclass, field

from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from twinflow.activities import operations as activities
from twinflow.activities.gantt import gantt_svg
from twinflow.approvals.permissions import visible_approvals
from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.auth.models import User
from twinflow.auth.permissions import name_for
from twinflow.calls.views import FORM_KEY as CALL_FORM_KEY
from twinflow.calls.views import panel as call_panel
from twinflow.deadlines.permissions import visible_deadlines
from twinflow.i18n import gettext
from twinflow.projects.models import Project
from twinflow.projects.permissions import views_remembered
from twinflow.proposals.permissions import (
    can_select_proposal,
    can_submit_proposal,
    selection_known_to,
)
from twinflow.records.permissions import can_view_records
from twinflow.reports.models import Report
from twinflow.results import operations as results
from twinflow.review.page import review_section
from twinflow.selection.summary import section as selection_section
from twinflow.web.labels import country_name
from twinflow.web.page_kept import FreshForm, diagram_svg, trigger_fields, trigger_form
from twinflow.web.page_reads import PageReads, row_url
from twinflow.web.page_rows import decide_forms, event_rows
from twinflow.web.page_timeline import TIMELINE_MAX, TIMELINE_PAGE, timeline_newest
from twinflow.workflow.diagram_svg import everywhere_triggers

# From the work plan on, the project page shows how implementation goes.
RECORD_STATES = (
    "work_plan",
    "contracting",
    "implementation",
    "suspended",
    "final_reporting",
    "closed",
)
# The timeline shows the newest events first, this many at a time ("Older events" adds more).
# A coordinator's forms on each open deadline: (endpoint, the row's key in the address).
WAIVE = ("web_deadlines.waive", "deadline_id")
MOVE = ("web_deadlines.move", "deadline_id")


@dataclass
class PendingApproval:
    request: object
    label: str
    waiting_for: list[str]
    decisions: list[tuple[object, str]]  # (decision, decider's name)
    mine: list[str] = field(default_factory=list)  # parties I would decide as, if any


# Steps off the path: holding the project or starting its call again are never "the next
# step" of a dashboard or a banner (cancel, possible everywhere, is found by the definition).
DETOURS = {"suspend", "recirculate"}


def detours(definition) -> set[str]:
    return everywhere_triggers(definition) | DETOURS


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
        by=name_for(user, actor, fallback=gettext("a coordinator")),
        comment=load_data(event).get("comment"),
    )


def what_next(session, user, project, state_label, options, requests, mine, **known):
    """The project page's "what next" sentence (rule: twinflow/projects/next_step.py)."""
    from twinflow.projects.next_step import Situation, next_step

    pending = []
    for request in requests:
        owed = request.owed_parties
        decided = any(d.user_id == user.id for d in request.decisions)
        label = known["labels"].get(request.trigger, request.trigger)
        pending.append((label, owed, bool(set(owed) & set(mine)) and not decided))
    to_sign = []
    if known["records_visible"] and mine:  # a report is signed by a party on the project
        for signoff in known["reads"].pending_reports:
            if set(signoff.owed_parties) & set(mine) and not any(
                d.user_id == user.id for d in signoff.decisions
            ):
                report = session.get(Report, signoff.subject_id)
                to_sign.append(report.title if report else gettext("report"))
    proposals = [p for p in known["proposals"] if p.call_round == project.call_round]
    record = selection_record_state(project, proposals, mine, known["definition"], known["reads"])
    return next_step(
        Situation(
            **record,
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


def selection_record_state(project, proposals, parties, definition, reads) -> dict:
    """What "what next" needs of the selection record, for whoever records it."""
    from twinflow.selection.operations import record_kind
    from twinflow.selection.permissions import can_record_selection

    if project.state != "selection" or not can_record_selection(parties) or not proposals:
        return {}
    assessed = reads.assessments
    return dict(
        may_record=True,
        eligibility_recorded=all(p.id in assessed for p in proposals),
        meeting_recorded=reads.selection_record is not None,
        written=record_kind(definition) == "written",
    )


def _describe_party(party: str, project, lead: str | None, lead_known: bool) -> str:
    if party == "beneficiary":
        return gettext("%(name)s (beneficiary)", name=project.beneficiary_institution)
    if party == "coordinator":
        return gettext("a coordinator (EU Delegation / contracting authority)")
    if party == "contracting_authority":
        authority = project.contracting_authority
        if project.management_mode == "indirect" and authority is not None:
            return gettext("%(name)s (contracting authority)", name=authority.name)
        return gettext("the EU Delegation (contracting authority)")
    if party == "delegation":
        return gettext("the EU Delegation (its endorsement)")
    if party == "lead_member_state":
        return (
            gettext("the lead Member State (%(country)s)", country=country_name(lead))
            if lead_known and lead
            else gettext("the lead Member State")
        )
    return party


def build(
    session, engine, user, project: Project, forms: dict | None = None, events_shown=None
) -> dict:
    """forms: {trigger: form} to show again with the errors of a refused attempt;
    events_shown: how many of the newest timeline events to show. Reads only: whether the
    user sees the project is asked once (each section's rule starts from it)."""
    with views_remembered():
        return _build(session, engine, user, project, forms or {}, events_shown)


def _build(session, engine, user, project, forms, events_shown) -> dict:
    reads = PageReads(session, engine, user, project)
    definition = engine.definition_of(session, project)
    lead = project.lead_member_state  # set when select_partner applied, not at marking
    lead_known = selection_known_to(user, project)
    mine = engine.parties(session, user, project)
    count = min(max(events_shown or TIMELINE_PAGE, TIMELINE_PAGE), TIMELINE_MAX)
    # The newest events also give the last seq (last_seq's answer, without its query).
    events, older, seen = timeline_newest(session, user, project, count)
    version = project.version

    requests = reads.pending
    options, fields, token = [], {}, None
    for option in engine.options(session, user, project, pending=requests):
        trigger = option.spec.trigger
        form = forms.get(trigger)
        if form is None:  # fresh: its fields written once per form class, no form made
            fields[trigger] = trigger_fields(trigger_form(option.spec, definition.rules), trigger)
            token = token or generate_csrf()  # the request's one token
            form = FreshForm(trigger, token, version, seen)
        options.append((option, form))

    pending = []
    shown = visible_approvals(user, project, requests)
    decided_by = {d.user_id for r in shown for d in r.decisions}
    deciders = (
        {u.id: u for u in session.scalars(select(User).where(User.id.in_(decided_by)))}
        if decided_by
        else {}
    )
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

    proposals = reads.visible_proposals
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
    opened = reads.open_deadlines
    if records_visible and project.state in RECORD_STATES:
        progress = results.progress_summary(session, project, now, opened)
        gantt = gantt_svg(activities.timeline(session, engine, user, project.id), now.date())
    can_select = project.state == "selection" and can_select_proposal(user, mine) and not requests
    can_propose = call_accepting and can_submit_proposal(user, project)
    state = definition.states[project.state]
    decides = user.role == "coordinator"
    upcoming = what_next(
        session,
        user,
        project,
        state.label,
        options,
        shown,  # only the sign-offs this user may know of (a rival never learns of a choice)
        mine,
        labels={t.trigger: t.label for t in definition.transitions},
        definition=definition,
        # Ways off the path (cancel, suspend, a new call round) are never "the next step".
        detours=detours(definition),
        records_visible=records_visible,
        proposals=proposals,
        reads=reads,
        now=now,
        may_mark=can_select,
        may_propose=can_propose,
        has_proposed=my_proposal is not None,
    )
    return dict(
        call=call_panel(session, user, project, now, forms.get(CALL_FORM_KEY)),
        what_next=upcoming,
        records_visible=records_visible,
        review=review_section(session, engine, project) if records_visible else None,
        progress=progress,
        gantt=gantt,
        project=project,
        definition=definition,
        state=definition.states[project.state],
        # The partner is the lead once chosen; a marked bid is not a partner yet.
        partner=reads.selected_proposal if lead and lead_known else None,
        selection_known=lead_known,
        options=options,
        fields=fields,
        pending=pending,
        deadlines=visible_deadlines(user, project, opened),
        # A coordinator waives or moves deadlines from this list (deadlines/views.py): the
        # forms, with the request's CSRF token (the same for every form), read once.
        decide_forms=decide_forms(
            row_url(*WAIVE, project_id=project.id),
            row_url(*MOVE, project_id=project.id),
            generate_csrf(),
        )
        if decides
        else None,
        proposals=proposals,
        selection=selection_section(session, engine, user, project, reads),
        my_proposal=my_proposal,
        can_propose=can_propose,
        can_select=can_select,
        events=events,
        event_rows=event_rows,
        older_events=count + TIMELINE_PAGE if older else None,
        diagram=diagram_svg(session, definition, project),
        returned=fiche_return(session, user, project),
        seen_seq=seen,
        version=version,
        now=now,
    )
