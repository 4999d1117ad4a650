"""The selection's guards and effects, named in workflows/*.yaml: the choice must agree with the
selection record; choosing tells every bidder its own result; the reserve can be taken up."""

from collections.abc import Callable

from babel.dates import format_date
from sqlalchemy import bindparam, select, update

from twinflow.audit.operations import append_event
from twinflow.auth.models import User
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.statements import as_written
from twinflow.i18n import current_language
from twinflow.i18n import gettext as _
from twinflow.notifications.operations import notify, notify_member_states
from twinflow.proposals.models import Proposal
from twinflow.selection.models import SelectionAssessment
from twinflow.selection.operations import outcome_of, record_of
from twinflow.web.labels import country_name
from twinflow.workflow.guards import round_proposals, selected_proposals
from twinflow.workflow.hooks import Context, effect, guard, remembered


def _result(project, proposal, outcome: str, when) -> Callable[[], str]:
    """A bidder's result as its reader reads it: the notice is worded once per language (one
    whole sentence per outcome, so each language orders its own)."""

    def said() -> str:
        words = {
            "title": project.title,
            "reference": project.reference,
            "day": _day(when),
            "lead": country_name(proposal.lead_member_state),
        }
        if outcome == "selected":
            return _(
                "Selection for %(title)s (%(reference)s), decided on %(day)s: your proposal "
                "(lead: %(lead)s) was selected: it is the partner. The work plan is drafted next.",
                **words,
            )
        if outcome == "reserve":
            return _(
                "Selection for %(title)s (%(reference)s), decided on %(day)s: your proposal "
                "(lead: %(lead)s) was not selected; it is the reserve: should the selected Member "
                "State withdraw, yours may be taken up without a new call.",
                **words,
            )
        return _(
            "Selection for %(title)s (%(reference)s), decided on %(day)s: your proposal "
            "(lead: %(lead)s) was not selected. Thank you for proposing.",
            **words,
        )

    return said


def _day(when) -> str:
    """ "05 March 2026" as every notice of the selection has written it; "05 mars 2026"."""
    return format_date(when, "dd MMMM y", locale=current_language())


def _subject(project) -> Callable[[], str]:
    return lambda: _(
        "[%(reference)s] Selection result: %(title)s",
        reference=project.reference,
        title=project.title,
    )


def _marked(ctx: Context) -> Proposal | None:
    selected = selected_proposals(ctx)
    return selected[0] if selected else None


def _record(ctx: Context):
    """The round's selection record, read once per move (a guard, then notify_bidders)."""
    key = ("selection_record", ctx.project.id, ctx.project.call_round)
    return remembered(ctx, key, lambda: record_of(ctx.session, ctx.project))


@guard("selection_record_consistent")
def selection_record_consistent(ctx: Context) -> str | None:
    """The marked proposal was not found ineligible, and is not the named reserve."""
    marked = _marked(ctx)
    if marked is None:
        return None  # one_proposal_selected says so
    assessment = remembered(  # read with the round's proposals (guards.round_proposals)
        ctx,
        ("assessment", marked.id),
        lambda: ctx.session.scalar(
            select(SelectionAssessment).where(SelectionAssessment.proposal_id == marked.id)
        ),
    )
    if assessment is not None and not assessment.is_eligible:
        return _(
            "The proposal of %(country)s was found not eligible (%(reason)s); mark an "
            "eligible one.",
            country=country_name(marked.member_state),
            reason=assessment.eligibility_reason,
        )
    record = _record(ctx)
    if record is not None and record.reserve_proposal_id == marked.id:
        return _("The marked proposal is the reserve; name another reserve or mark another one.")
    return None


@guard("reserve_available")
def reserve_available(ctx: Context) -> str | None:
    record = _record(ctx)
    if record is None or record.reserve_proposal_id is None:
        return _("The selection record of this call names no reserve Member State.")
    if record.reserve_taken_up_at is not None:
        return _("The reserve Member State has already been taken up.")
    reserve = ctx.session.get(Proposal, record.reserve_proposal_id)
    problems = ctx.definition.rules.proposal_problems(
        reserve.junior_member_states, reserve.rta_name
    )
    return "; ".join(problems) or None


@effect("settle_selection_meeting")
def settle_selection_meeting(ctx: Context) -> None:
    """Leaving selection (a partner chosen, or the fiche re-circulated): a meeting never
    recorded owes no reminder any more. Its deadline is superseded, not met: the trail keeps
    that it was never recorded."""
    superseded = ctx.session.connection().execute(
        _SUPERSEDE_MEETING, {"pid": ctx.project.id, "now": ctx.now}
    )
    ids = superseded.scalars().all()
    as_written(ctx.session, ids, status="superseded", closed_at=ctx.now, next_alert_at=None)


# settle_selection_meeting's UPDATE, built once: a Core statement RETURNING the rows it
# closed, for the session's copies (as_written; the ORM's UPDATE cost ~650 Python calls).
_D = Deadline.__table__.c
_SUPERSEDE_MEETING = (
    update(Deadline.__table__)
    .where(_D.project_id == bindparam("pid"), _D.key == "selection_meeting", _D.status == "open")
    .values(status="superseded", closed_at=bindparam("now"), next_alert_at=None)
    .returning(_D.id)
)


def _member_state_users(ctx: Context, countries) -> list:
    return list(
        ctx.session.scalars(
            select(User).where(
                User.role == "member_state",
                User.country.in_(list(countries)),
                User.is_active.is_(True),
            )
        )
    )


def _tell(ctx: Context, users, key: str, body: Callable[[], str]) -> None:
    project = ctx.project
    notify(
        ctx.session,
        users,
        kind="selection_result",
        key=key,
        subject=_subject(project),
        body=body,
        now=ctx.now,
        project_id=project.id,
        link=ctx.link,
    )


@effect("notify_bidders")
def notify_bidders(ctx: Context) -> None:
    """Every Member State of every proposal of the round (lead and juniors) hears its own
    proposal's result, once (the key), in the app and by e-mail; never anything of a rival."""
    project, record = ctx.project, _record(ctx)
    if record is not None:
        record.decided_at = ctx.now  # the date the bidders are told
    told = []  # (country, key, body): all bidders told in one statement
    for proposal in round_proposals(ctx):
        body = _result(project, proposal, outcome_of(proposal, record), ctx.now)
        for country in dict.fromkeys([proposal.lead_member_state, *proposal.junior_member_states]):
            key = f"selection:{project.id}:round:{project.call_round}:{proposal.id}:{country}"
            told.append((country, key, body))
    notify_member_states(
        ctx.session,
        told,
        kind="selection_result",
        subject=_subject(project),
        now=ctx.now,
        project_id=project.id,
        link=ctx.link,
    )


@effect("take_up_reserve")
def take_up_reserve(ctx: Context) -> None:
    """The reserve becomes the partner at once: marked selected, its Member State the lead
    (the withdrawn lead's rights end in the same transaction). Contract deadlines of a
    contract no longer under signature are superseded, not met."""
    session, project = ctx.session, ctx.project
    ctx.memo.clear()  # the round's proposals change here
    record = record_of(session, project)
    reserve = session.get(Proposal, record.reserve_proposal_id)
    withdrawn = project.lead_member_state
    session.execute(
        update(Proposal)
        .where(Proposal.project_id == project.id, Proposal.call_round == project.call_round)
        .values(is_selected=False)
    )
    reserve.is_selected = True
    project.lead_member_state = reserve.lead_member_state
    record.reserve_taken_up_at = ctx.now
    session.execute(
        update(Deadline)
        .where(
            Deadline.project_id == project.id,
            Deadline.status == "open",
            # The state is already the destination: these are the deadlines of the one left.
            Deadline.set_in_state != project.state,
        )
        .values(status="superseded", closed_at=ctx.now, next_alert_at=None)
    )
    session.flush()
    # No "member_state" key: the change of partner is for those who choose, not for bidders.
    append_event(
        session,
        action="proposal_reserve_taken_up",
        now=ctx.now,
        actor=ctx.actor,
        project_id=project.id,
        data={"proposal_id": reserve.id, "withdrawn": withdrawn, "lead": reserve.lead_member_state},
    )
    now = ctx.now
    if withdrawn:
        _tell(
            ctx,
            _member_state_users(ctx, [withdrawn]),
            f"selection:{project.id}:round:{project.call_round}:withdrawn:{withdrawn}",
            lambda: _(
                "On %(day)s your Member State's withdrawal from %(title)s was recorded: it is "
                "no longer the partner, and its lead rights have ended.",
                day=_day(now),
                title=project.title,
            ),
        )
    _tell(
        ctx,
        _member_state_users(ctx, [reserve.lead_member_state]),
        f"selection:{project.id}:round:{project.call_round}:taken_up:{reserve.id}",
        lambda: _(
            "On %(day)s your proposal, the reserve, was taken up for %(title)s: your Member "
            "State is now the partner. The work plan is drafted next.",
            day=_day(now),
            title=project.title,
        ),
    )
