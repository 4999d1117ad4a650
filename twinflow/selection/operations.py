"""Recording the selection of the current call round: each proposal's eligibility, then the
selection meeting (Twinning Light: the written evaluation) with attendance, minutes, scores,
ranking and the reserve Member State. Each operation is one transaction (unit_of_work)."""

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.documents.models import Document
from twinflow.i18n import gettext as _
from twinflow.projects.models import Project
from twinflow.projects.permissions import can_view_project
from twinflow.proposals.models import Proposal
from twinflow.records.operations import record_deadline_met, unit_of_work
from twinflow.records.validation import Values
from twinflow.selection.models import SelectionAssessment, SelectionRecord
from twinflow.selection.permissions import RECORDING_STATES, can_record_selection
from twinflow.workflow.errors import Conflict, NotFound, NotPermitted

MEETING_FIELDS = (
    "held_on",
    "minutes_document_id",
    "attendance",
    "scores",
    "reserve_proposal_id",
    "notes",
)
MINUTES = "selection_minutes"


# -- reading -------------------------------------------------------------------------------


def round_proposals(session: Session, project: Project) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.project_id == project.id, Proposal.call_round == project.call_round)
            .order_by(Proposal.member_state)
        )
    )


def assessments_of(session: Session, project: Project) -> dict[int, SelectionAssessment]:
    rows = session.scalars(
        select(SelectionAssessment).where(
            SelectionAssessment.project_id == project.id,
            SelectionAssessment.call_round == project.call_round,
        )
    )
    return {a.proposal_id: a for a in rows}


def record_of(session: Session, project: Project) -> SelectionRecord | None:
    return session.scalar(_RECORD_OF, {"pid": project.id, "round": project.call_round})


# record_of's statement, built once (it runs in every selection move's guards).
_RECORD_OF = select(SelectionRecord).where(
    SelectionRecord.project_id == bindparam("pid"),
    SelectionRecord.call_round == bindparam("round"),
)


def record_kind(definition) -> str:
    """A meeting with oral presentations, or (no meeting deadline: Twinning Light) a written
    evaluation of the proposals."""
    keys = {d.key for d in definition.states["selection"].deadlines}
    return "meeting" if "selection_meeting" in keys else "written"


def default_held_on(project: Project, definition) -> date | None:
    """The Manual's date: the proposal deadline plus the configured period (not counted from
    closing the call, which may come later)."""
    if project.proposal_deadline is None:
        return None
    return definition.rules.selection_meeting_period.after(project.proposal_deadline).date()


def outcome_of(proposal: Proposal, record: SelectionRecord | None) -> str:
    if proposal.is_selected:
        return "selected"
    if record is not None and record.reserve_proposal_id == proposal.id:
        return "reserve"
    return "not_selected"


# -- recording -----------------------------------------------------------------------------


def _open(session: Session, engine, actor, project_id: int) -> Project:
    project = engine._lock(session, project_id)
    if not can_view_project(actor, project):
        raise NotFound(_("No project %(id)s.", id=project_id))
    if not can_record_selection(engine.parties(session, actor, project)):
        raise NotPermitted(_("Only a coordinator records the selection."))
    if project.state not in RECORDING_STATES:
        raise Conflict(
            _(
                "The selection is recorded while the project is in selection; it is in %(state)s.",
                state=project.state.replace("_", " "),
            ),
            {"project_state": project.state},
        )
    if engine.pending_requests(session, project.id):
        raise Conflict(
            _("An approval is pending; decide on it before changing the selection record.")
        )
    return project


def _proposal(session: Session, project: Project, proposal_id) -> Proposal:
    proposal = session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if (
        proposal is None
        or proposal.project_id != project.id
        or proposal.call_round != project.call_round
    ):
        raise NotFound(f"No proposal {proposal_id} in this project's current call.")
    return proposal


def _flag(v: Values, raw: dict, name: str, where: str, required: bool = True) -> bool | None:
    value = raw.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, bool):
        v.error(where, "must be true or false")
        return None
    return value


def record_eligibility(
    session: Session, engine, actor, project_id: int, proposal_id: int, values: dict, commit=True
) -> SelectionAssessment:
    """values: eligible (bool), reason (text; required when not eligible)."""
    with unit_of_work(session, commit):
        project = _open(session, engine, actor, project_id)
        proposal = _proposal(session, project, proposal_id)
        v = Values(values, ("eligible", "reason"))
        eligible = _flag(v, v.raw, "eligible", "eligible")
        reason = v.text("reason", max_length=2000)
        if eligible is False and not reason and "reason" not in v.errors:
            v.error("reason", _("is required when the proposal is not eligible"))
        v.done()
        now = engine.clock.now()
        assessment = assessments_of(session, project).get(proposal.id)
        before = None
        if assessment is None:
            assessment = SelectionAssessment(
                project_id=project.id, call_round=project.call_round, proposal_id=proposal.id
            )
            session.add(assessment)
        else:
            before = {"eligible": assessment.is_eligible, "reason": assessment.eligibility_reason}
        assessment.is_eligible, assessment.eligibility_reason = eligible, reason
        assessment.decided_by_id, assessment.updated_at = actor.id, now
        session.flush()
        # "proposal_" and its Member State: the audit trail shows it under the bid rule.
        append_event(
            session,
            action="proposal_eligibility_recorded",
            now=now,
            actor=actor,
            project_id=project.id,
            data={
                "proposal_id": proposal.id,
                "member_state": proposal.member_state,
                "call_round": project.call_round,
                "before": before,
                "after": {"eligible": eligible, "reason": reason},
            },
        )
    return assessment


def record_meeting(
    session: Session, engine, actor, project_id: int, values: dict, commit=True
) -> SelectionRecord:
    """The meeting of the current round (recorded again: replaced). Every proposal's
    eligibility must be recorded first. Meets the `selection_meeting` deadline."""
    with unit_of_work(session, commit):
        project = _open(session, engine, actor, project_id)
        definition = engine.definition_of(session, project)
        proposals = {p.id: p for p in round_proposals(session, project)}
        assessed = assessments_of(session, project)
        missing = [p.member_state for p in proposals.values() if p.id not in assessed]
        if missing:
            raise Conflict(
                _(
                    "Record the eligibility of every proposal before the meeting; missing: "
                    "%(missing)s.",
                    missing=", ".join(missing),
                ),
                {"missing": missing},
            )
        eligible = {pid for pid, a in assessed.items() if a.is_eligible}
        kind = record_kind(definition)
        now = engine.clock.now()
        v = Values(values, MEETING_FIELDS)
        held_on = _held_on(v, project, now)
        minutes = _minutes(session, v, project)
        attendance = _attendance(v, kind, eligible)
        scores = _scores(v, eligible)
        reserve = _reserve(v, proposals, eligible)
        notes = v.text("notes", max_length=20000, default="")
        v.done()
        record = record_of(session, project)
        first = record is None
        if first:
            record = SelectionRecord(project_id=project.id, call_round=project.call_round)
            session.add(record)
        record.kind, record.held_on, record.minutes_document_id = kind, held_on, minutes
        record.reserve_proposal_id, record.notes = reserve, notes
        record.recorded_by_id, record.recorded_at = actor.id, now
        for pid, assessment in assessed.items():
            present = attendance.get(pid, (None, None))
            assessment.leader_present, assessment.rta_present = present
            assessment.score, assessment.rank = scores.get(pid, (None, None))
        session.flush()
        met = record_deadline_met(session, project.id, "selection_meeting", now) if first else 0
        engine.bump_version(session, project)
        # No "member_state": the record is about every bid, so no Member State reads it.
        append_event(
            session,
            action="proposal_selection_recorded",
            now=now,
            actor=actor,
            project_id=project.id,
            data={
                "record_id": record.id,
                "call_round": project.call_round,
                "kind": kind,
                "held_on": held_on.isoformat(),
                "minutes_document_id": minutes,
                "reserve": proposals[reserve].member_state if reserve else None,
                "deadline_met": bool(met),
                "replaced": not first,
            },
        )
    return record


def _held_on(v: Values, project: Project, now: datetime) -> date | None:
    held_on = v.day("held_on", required=True)
    if held_on is None:
        return None
    if held_on > now.date():
        v.error("held_on", _("cannot be in the future: record the selection once it is held"))
    elif project.proposal_deadline and held_on < project.proposal_deadline.date():
        v.error(
            "held_on",
            _(
                "is before the proposal deadline (%(date)s)",
                date=project.proposal_deadline.date().isoformat(),
            ),
        )
    return held_on


def _minutes(session: Session, v: Values, project: Project) -> int | None:
    document_id = v.integer("minutes_document_id", required=True, minimum=1)
    if document_id is None or "minutes_document_id" in v.errors:
        return None
    document = session.get(Document, document_id)
    if document is None or document.project_id != project.id:
        v.error("minutes_document_id", _("is not a document of this project"))
    elif document.category != MINUTES:
        v.error(
            "minutes_document_id",
            _("must be a document of the category %(category)s", category=MINUTES),
        )
    return document_id


def _items(v: Values, name: str) -> list[dict]:
    raw = v.raw.get(name)
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        v.error(name, _("must be a list of objects, one per proposal"))
        return []
    return raw


def _proposal_ids(v: Values, name: str, items: list[dict], eligible: set[int]) -> list:
    ids = []
    for i, item in enumerate(items):
        pid = item.get("proposal_id")
        if not _is_id(pid) or pid not in eligible:
            v.error(f"{name}.{i}.proposal_id", _("is not an eligible proposal of this call round"))
        elif pid in ids:
            v.error(f"{name}.{i}.proposal_id", _("lists a proposal twice"))
        ids.append(pid)
    return ids


def _attendance(v: Values, kind: str, eligible: set[int]) -> dict[int, tuple]:
    items = _items(v, "attendance")
    if kind == "written":
        if items:
            v.error("attendance", _("a written selection has no meeting to attend"))
        return {}
    ids = _proposal_ids(v, "attendance", items, eligible)
    if "attendance" not in v.errors and set(ids) != eligible:
        v.error("attendance", _("must say, for every eligible proposal, who attended"))
    out = {}
    for i, (pid, item) in enumerate(zip(ids, items, strict=True)):
        leader = _flag(v, item, "leader_present", f"attendance.{i}.leader_present")
        rta = _flag(v, item, "rta_present", f"attendance.{i}.rta_present")
        out[pid] = (leader, rta)
    return out


def _scores(v: Values, eligible: set[int]) -> dict[int, tuple]:
    items = _items(v, "scores")
    ids = _proposal_ids(v, "scores", items, eligible)
    out, ranks = {}, set()
    for i, (pid, item) in enumerate(zip(ids, items, strict=True)):
        one = Values({k: item.get(k) for k in ("score", "rank")}, ("score", "rank"))
        score = one.number("score", minimum=0, largest=100)
        rank = one.integer("rank", minimum=1, maximum=len(eligible) or 1)
        for field, reasons in one.errors.items():
            for reason in reasons:
                v.error(f"scores.{i}.{field}", reason)
        if rank is not None and rank in ranks:
            v.error(f"scores.{i}.rank", _("rank %(rank)s is given twice", rank=rank))
        ranks.add(rank)
        out[pid] = (score, rank)
    return out


def _reserve(v: Values, proposals: dict[int, Proposal], eligible: set[int]) -> int | None:
    reserve = v.raw.get("reserve_proposal_id")
    if reserve is None:
        return None
    if not _is_id(reserve) or reserve not in eligible:
        v.error("reserve_proposal_id", _("must be an eligible proposal of this call round"))
        return None
    if proposals[reserve].is_selected:
        v.error("reserve_proposal_id", _("is the proposal marked as selected; name another one"))
        return None
    return reserve


def _is_id(value) -> bool:
    # True == 1 to Python: a boolean is no proposal's id.
    return isinstance(value, int) and not isinstance(value, bool)
