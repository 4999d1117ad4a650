"""The engine's sign-off steps, for projects and records alike: opening a sign-off (the
requester's consent given at once), adding a party's consent, deciding on one from the inbox;
the last consent applies the step, a rejection closes the round. Mixed into Engine (engine.py),
whose lock, subjects, guards and _apply they use."""

from dataclasses import dataclass

from sqlalchemy import bindparam, case, inspect, literal, select, update
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from twinflow.approvals.models import Signoff, SignoffDecision
from twinflow.audit.operations import append_event
from twinflow.auth.models import User
from twinflow.auth.permissions import named_in_notice
from twinflow.i18n import gettext as _
from twinflow.i18n import ngettext
from twinflow.i18n.formats import all_of, any_of
from twinflow.notifications.operations import notify, notify_parties
from twinflow.orm import held_as_written
from twinflow.projects.models import Project
from twinflow.workflow.data import parse_trigger_data
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted
from twinflow.workflow.hooks import person_refusal
from twinflow.workflow.parties import the_party
from twinflow.workflow.state_write import loaded, written

_S = Signoff.__table__.c
# Withdrawals run as Core statements on the table, RETURNING what they closed so that only
# those sign-offs held in the session are brought up to date: the ORM's UPDATE evaluated its
# criteria against every object in the identity map (about 450 Python calls a move).
_WITHDRAW_OTHERS = (
    update(Signoff.__table__)
    .where(
        _S.subject_type == bindparam("type"),
        _S.subject_id == bindparam("sid"),
        _S.status == "pending",
        _S.id != bindparam("keep"),
    )
    .values(status="withdrawn", closed_at=bindparam("now"))
    .returning(_S.id, _S.status)
)


def _signoffs_of(by_round: bool, by_status: bool):
    query = select(Signoff).where(
        Signoff.subject_type == bindparam("type"), Signoff.subject_id == bindparam("sid")
    )
    if by_round:
        query = query.where(Signoff.round == bindparam("round"))
    if by_status:
        query = query.where(Signoff.status == bindparam("status"))
    return query.order_by(Signoff.id)


# A subject's sign-offs (by round? by status?), each shape built once with bind parameters.
_SIGNOFFS_OF = {(r, s): _signoffs_of(r, s) for r in (False, True) for s in (False, True)}
# The sign-off that applies, marked approved when no other can be pending (approval_unwritten).
_APPROVE = (
    update(Signoff.__table__)
    .where(Signoff.__table__.c.id == bindparam("keep"))
    .values(status="approved", closed_at=bindparam("now"))
)
# The same, with the others withdrawn in the same statement.
_APPROVE_WITHDRAW_OTHERS = (
    update(Signoff.__table__)
    .where(
        _S.subject_type == bindparam("type"),
        _S.subject_id == bindparam("sid"),
        _S.status == "pending",
    )
    .values(
        status=case((_S.id == bindparam("keep"), literal("approved")), else_=literal("withdrawn")),
        closed_at=bindparam("now"),
    )
    .returning(_S.id, _S.status)
)


def approval_unwritten(signoff) -> bool:
    """The sign-off was marked approved in this step and no flush has sent that yet: it is
    then taken out of the flush, to be written with the withdrawal of the others (one UPDATE
    for both). Its committed values are set as they will be."""
    state = inspect(signoff)
    if state.attrs.status.history.added != ["approved"]:
        return False
    set_committed_value(signoff, "status", "approved")
    set_committed_value(signoff, "closed_at", signoff.closed_at)
    return True


@dataclass
class FireResult:
    """What a move did: applied, or a sign-off opened or advanced (`owed` still to consent)."""

    applied: bool
    project: Project
    approval: Signoff | None = None
    subject: object = None

    @property
    def record(self):
        return self.subject

    @property
    def owed(self) -> list[str]:
        return [] if self.applied or self.approval is None else self.approval.owed_parties


class SignoffSteps:
    def signoffs_of(self, session, subject_type, subject_id, round=None, status=None):
        statement = _SIGNOFFS_OF[(round is not None, status is not None)]
        values = {"type": subject_type, "sid": subject_id, "round": round, "status": status}
        return list(session.scalars(statement, values))

    def pending_requests(self, session, project_id: int) -> list[Signoff]:
        """The project's own pending sign-offs (its records' are not the project's steps)."""
        return self.signoffs_of(session, "project", project_id, status="pending")

    def write_approval(self, session, signoff, now) -> None:
        """The applied sign-off's approval, as a prebuilt statement rather than a flush of
        the object (the same one UPDATE)."""
        if approval_unwritten(signoff):
            session.connection().execute(_APPROVE, {"keep": signoff.id, "now": now})
            written(session, signoff)

    def withdraw_signoffs(
        self, session, subject_type, subject_id, now, keep=None, approving=False
    ) -> None:
        """Pending sign-offs of a subject that moved on (or whose text changed) are closed;
        `approving`: `keep` is written approved by the same statement (approval_unwritten)."""
        session.flush()  # as the ORM's UPDATE did: what is pending goes first
        closed = session.connection().execute(
            _APPROVE_WITHDRAW_OTHERS if approving else _WITHDRAW_OTHERS,
            {"type": subject_type, "sid": subject_id, "keep": keep or 0, "now": now},
        )
        for signoff_id, status in closed:
            held_as_written(session, Signoff, signoff_id, {"status": status, "closed_at": now})

    def _consent(self, session, actor, subject, spec, pending, mine, comment, raw, now):
        """Opens the sign-off (or joins the open one) with the actor's consent; returns it."""
        signoff = pending
        if signoff is None:
            signoff = _inserted(
                session,
                Signoff,
                project_id=subject.project.id,
                subject_type=subject.type,
                subject_id=subject.id,
                trigger=spec.trigger,
                from_state=subject.row.state,
                round=subject.round,
                parties=list(spec.signoff),
                needs=spec.needs,
                status="pending",
                comment=comment,
                data=raw,
                requested_by_id=actor.id,
                created_at=now,
                closed_at=None,
            )
            set_committed_value(signoff, "decisions", [])  # known empty: no query to load them
        label = getattr(subject.row, "label", None) or _("this")
        if any(d.user_id == actor.id for d in signoff.decisions):
            raise Conflict(_("You have already signed %(what)s.", what=label))
        done = {d.party for d in signoff.decisions}
        free = [p for p in spec.signoff if p in mine and p not in done]
        free = _endorser_first(spec, done, free, label)
        if not free:
            given = all_of(the_party(p) for p in spec.signoff if p in mine)
            raise Conflict(
                _("The signature of %(who)s on %(what)s is already given.", who=given, what=label)
            )
        _add_decision(session, signoff, free[0], actor, "approve", comment, now)
        subject.consented(actor, spec, signoff, free[0], comment, now)
        if signoff.complete:
            signoff.status, signoff.closed_at = "approved", now
        return signoff

    def _decide(self, session, actor, signoff_id, decision, comment):
        # Which project to lock (fixed once the sign-off exists); its status and decisions
        # are read under the lock.
        signoff = session.get(Signoff, signoff_id, options=[lazyload(Signoff.decisions)])
        if signoff is None:
            raise NotFound(_("No approval request %(id)s.", id=signoff_id))
        subject = self._subject_of(session, actor, signoff)
        project = subject.project
        self._step("after_lock")
        _reread(session, signoff_id)
        if decision not in ("approve", "reject"):
            raise InvalidData({"decision": ["must be 'approve' or 'reject'"]})
        comment = (comment or "").strip() or None
        if decision == "reject" and not comment:
            raise InvalidData({"comment": [_("a comment is required to reject")]})
        if signoff.status != "pending":
            raise Conflict(
                f"This approval request is already {signoff.status}.", {"status": signoff.status}
            )
        if any(d.user_id == actor.id for d in signoff.decisions):
            raise Conflict(_("You have already decided on this request."))
        mine = subject.parties(actor)
        owed = [p for p in signoff.owed_parties if p in mine]
        if not owed:
            raise NotPermitted(
                _("This approval does not wait for you."), {"owed": signoff.owed_parties}
            )
        definition = subject.definition
        spec = definition.transition(signoff.trigger, subject.row.state)
        if spec is not None and spec.by_someone_else and subject.had_a_hand_in(actor, signoff):
            raise NotPermitted(_("One who wrote, edited or signed it may not also approve it."))
        if spec is not None:
            done = {d.party for d in signoff.decisions}
            what = getattr(subject.row, "label", None) or _("this")
            owed = _endorser_first(spec, done, owed, what)
        now = self.clock.now()
        if spec is not None:
            owed, refusal = person_refusal(session, project, spec, actor, owed, now.date())
            if refusal is not None:
                raise NotPermitted(refusal, {"owed": signoff.owed_parties})
        _add_decision(session, signoff, owed[0], actor, decision, comment, now)
        append_event(
            session,
            action=f"approval_{decision}d",
            now=now,
            actor=actor,
            project_id=project.id,
            trigger=signoff.trigger,
            data={"approval_id": signoff.id, "party": owed[0], "comment": comment},
        )
        if decision == "reject":
            # A rejection closes the round; the requester hears why.
            signoff.status, signoff.closed_at = "rejected", now
            requester = session.get(User, signoff.requested_by_id)
            notify(
                session,
                [requester] if requester else [],
                kind="approval_rejected",
                key=f"approval:{signoff.id}:rejected",
                now=now,
                project_id=project.id,
                subject=lambda: (
                    f"[{project.reference}] {spec.label if spec else signoff.trigger} was rejected"
                ),
                body=lambda: f"{actor.display_name} ({owed[0]}) rejected: {comment}",
                link=self.link(project),
            )
            return FireResult(False, project, signoff, subject.row)
        if not signoff.complete:
            waiting = signoff.owed_parties
            notify_parties(
                session,
                project,
                waiting,
                project.lead_member_state,
                kind="approval_progress",
                key=f"approval:{signoff.id}:by:{owed[0]}",
                now=now,
                subject=lambda: f"[{project.reference}] approval still owed",
                body=lambda: (
                    f"{named_in_notice(actor, waiting)} approved as {owed[0]}; still waiting "
                    f"for {', '.join(waiting)}."
                ),
                link=self.link(project),
            )
            return FireResult(False, project, signoff, subject.row)
        if spec is None:  # pending sign-offs are withdrawn on every state change
            raise Conflict(_("The project has moved on since this approval was requested."))
        values = parse_trigger_data(spec, signoff.data, now, check_future=False)
        self._check_guards(session, subject, spec, actor, values, now)
        signoff.status, signoff.closed_at = "approved", now
        self._apply(
            session, actor, subject, spec, signoff.comment, values, signoff.data, now, signoff
        )
        return FireResult(True, project, signoff, subject.row)


def _inserted(session, model, **values):
    """A new row written by one prebuilt INSERT ... RETURNING id, and its object made
    persistent in the session as if loaded: the same statement the ORM's flush sends, without
    the unit of work around it (about 800 Python calls a row; bench/lifecycle.py --profile).
    `values`: every column but the id."""
    insert_row = _INSERTS.get(model)
    if insert_row is None:
        table = model.__table__
        insert_row = _INSERTS[model] = table.insert().returning(table.c.id)
    row_id = session.connection().execute(insert_row, values).scalar_one()
    obj = loaded(model, id=row_id, **values)
    session.add(obj)
    return obj


_INSERTS: dict = {}


def _add_decision(session, signoff, party, actor, decision, comment, now) -> SignoffDecision:
    """A party's decision, written at once and appended to signoff.decisions as loaded (the
    project row is locked: re-reading the collection, two statements, would find the same
    list)."""
    added = _inserted(
        session,
        SignoffDecision,
        signoff_id=signoff.id,
        party=party,
        user_id=actor.id,
        decision=decision,
        comment=comment,
        decided_at=now,
    )
    set_committed_value(added, "signoff", signoff)
    set_committed_value(signoff, "decisions", [*signoff.decisions, added])
    return added


_REREAD = (
    select(Signoff)
    .where(Signoff.id == bindparam("id"))
    .options(joinedload(Signoff.decisions))
    .execution_options(populate_existing=True)
)


def _reread(session, signoff_id: int) -> Signoff:
    """The sign-off and its decisions as committed, in one statement (a refresh takes two)."""
    return session.scalars(_REREAD, {"id": signoff_id}).unique().one()


def _endorser_first(spec, done: set, free: list[str], label: str) -> list[str]:
    """Under indirect management the EU Delegation's endorsement (its prior approval) comes
    before any other consent: until it is given, only the endorser may consent."""
    endorser = spec.endorser
    if endorser is None or endorser in done:
        return free
    if endorser in free:
        return [endorser]
    raise NotPermitted(endorsement_owed(spec, label), {"owed": [endorser]})


# "the <party>" inside a sentence: each language puts its own article (la Délégation de l'UE).
_MANAGEMENT = {
    "indirect": lambda: _("indirect management"),
    "direct": lambda: _("direct management"),
}


def endorsement_owed(spec, label: str | None = None) -> str:
    """Why a party other than the endorser must wait (pages show it before anyone tries):
    one whole sentence, its parties named with the article each language gives them."""
    others = [p for p in spec.signoff if p != spec.endorser]
    signers = all_of(the_party(p) for p in others)
    modes = any_of(_MANAGEMENT[m]() if m in _MANAGEMENT else m for m in spec.endorsed_under)
    text = ngettext(
        "%(endorser)s must endorse %(what)s first (its prior approval under %(modes)s); "
        "then %(signers)s may sign.",
        "%(endorser)s must endorse %(what)s first (its prior approval under %(modes)s); "
        "then %(signers)s may sign.",
        len(others),
        endorser=the_party(spec.endorser),
        what=label or _("this"),
        modes=modes,
        signers=signers,
    )
    return text[:1].upper() + text[1:]
