"""What the project page reads once per request and hands to each of its sections.

Several sections read the same rows (the project's proposals for the proposals table, the
selection summary, "what next" and the partner; the selection record and its assessments
for the summary and "what next"); each reads them from here, so each is one statement.
"""

from functools import cached_property

from flask import request, url_for
from sqlalchemy import bindparam, or_, select

from twinflow.approvals.models import Signoff
from twinflow.deadlines.models import Deadline
from twinflow.proposals.models import Proposal
from twinflow.proposals.permissions import can_view_proposal
from twinflow.selection.models import SelectionAssessment, SelectionRecord

# The statements, built once: a statement built anew is a new object whose cache key
# SQLAlchemy works out again at every execution (measured: 0.39 -> 0.25 ms a query).
_PENDING_SIGNOFFS = (
    select(Signoff)
    .where(
        Signoff.status == "pending",
        or_(
            (Signoff.subject_type == "project") & (Signoff.subject_id == bindparam("pid")),
            (Signoff.subject_type == "report") & (Signoff.project_id == bindparam("pid")),
        ),
    )
    .order_by(Signoff.id)
)
_PROPOSALS = (
    select(Proposal)
    .where(Proposal.project_id == bindparam("pid"))
    .order_by(Proposal.call_round, Proposal.submitted_at, Proposal.id)
)
_OPEN_DEADLINES = (
    select(Deadline)
    .where(Deadline.project_id == bindparam("pid"), Deadline.status == "open")
    .order_by(Deadline.due_at, Deadline.id)
)
_RECORD = select(SelectionRecord).where(
    SelectionRecord.project_id == bindparam("pid"),
    SelectionRecord.call_round == bindparam("round"),
)
_ASSESSMENTS = select(SelectionAssessment).where(
    SelectionAssessment.project_id == bindparam("pid"),
    SelectionAssessment.call_round == bindparam("round"),
)
_MARK = 987654321  # an id no row has; replaced in the address built around it


def row_url(endpoint: str, key: str, **values):
    """`url_for(endpoint, **values, key=id)` for every row of a list, the address built once:
    a page of rows each with its own form would otherwise build the same address N times."""
    url = url_for(endpoint, **values, **{key: _MARK})
    head, mark, tail = url.rpartition(str(_MARK))
    if not mark or str(_MARK) in head:  # never expected; the plain way then
        return lambda ident: url_for(endpoint, **values, **{key: ident})
    return lambda ident: f"{head}{int(ident)}{tail}"


# Addresses of a project's pages, kept as the text around its id (see project_url). Bounded.
_ADDRESSES: dict[tuple, tuple] = {}


def project_url(endpoint: str, project_id: int, **values) -> str:
    """`url_for(endpoint, project_id=project_id, **values)`, each address worked out once per
    endpoint and other values: url_for builds the same text around any id (the URL map is
    fixed once the app is made; the request's root and host are in the key)."""
    key = (endpoint, request.script_root, request.host, *sorted(values.items()))
    kept = _ADDRESSES.get(key)
    if kept is None:
        url = url_for(endpoint, **values, project_id=_MARK)
        head, mark, tail = url.rpartition(str(_MARK))
        if not mark or str(_MARK) in head:  # never expected; the plain way then
            return url_for(endpoint, **values, project_id=project_id)
        if len(_ADDRESSES) >= 512:
            _ADDRESSES.clear()
        kept = _ADDRESSES[key] = (head, tail)
    return f"{kept[0]}{int(project_id)}{kept[1]}"


class PageReads:
    """Rows of one project read at most once for one page (a request's life, no longer)."""

    def __init__(self, session, engine, user, project):
        self.session, self.engine, self.user, self.project = session, engine, user, project

    @cached_property
    def _pending_signoffs(self) -> list:
        """The pending sign-offs of the project itself and of its reports, in one statement
        (the page asks for both: the engine's options, "what next")."""
        return list(self.session.scalars(_PENDING_SIGNOFFS, {"pid": self.project.id}))

    @cached_property
    def pending(self) -> list:
        """The project's own pending sign-offs, as the engine's pending_requests gives them."""
        return [s for s in self._pending_signoffs if s.subject_type == "project"]

    @cached_property
    def pending_reports(self) -> list:
        """The pending sign-offs of the project's reports."""
        return [s for s in self._pending_signoffs if s.subject_type == "report"]

    @cached_property
    def all_proposals(self) -> list:
        """Every proposal of the project, every round, in the order the page lists them."""
        return list(self.session.scalars(_PROPOSALS, {"pid": self.project.id}))

    @cached_property
    def visible_proposals(self) -> list:
        """The proposals this user may see (proposals.operations.visible_proposals)."""
        return [p for p in self.all_proposals if can_view_proposal(self.user, self.project, p)]

    @cached_property
    def round_proposals(self) -> list:
        """The current round's, whoever reads (selection.operations.round_proposals): by
        Member State, as its query orders them."""
        current = [p for p in self.all_proposals if p.call_round == self.project.call_round]
        return sorted(current, key=lambda p: p.member_state)

    @cached_property
    def selected_proposal(self):
        """The current round's proposal marked as selected, if any."""
        return next((p for p in self.round_proposals if p.is_selected), None)

    @cached_property
    def open_deadlines(self) -> list:
        """deadlines.reads.open_deadlines: the open ones, by due date."""
        return list(self.session.scalars(_OPEN_DEADLINES, {"pid": self.project.id}))

    @cached_property
    def selection_record(self):
        """selection.operations.record_of: the current round's record, if any."""
        return self.session.scalar(_RECORD, self._round)

    @cached_property
    def assessments(self) -> dict:
        """selection.operations.assessments_of: the current round's, by proposal id."""
        return {a.proposal_id: a for a in self.session.scalars(_ASSESSMENTS, self._round)}

    @property
    def _round(self) -> dict:
        return {"pid": self.project.id, "round": self.project.call_round}
