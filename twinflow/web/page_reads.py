"""What the project page reads once per request and hands to each of its sections.

Several sections read the same rows (the project's proposals for the proposals table, the
selection summary, "what next" and the partner; the selection record and its assessments
for the summary and "what next"); each reads them from here, so each is one statement.
"""

from functools import cached_property

from flask import url_for
from sqlalchemy import select

from twinflow.proposals.models import Proposal
from twinflow.proposals.permissions import can_view_proposal
from twinflow.selection.operations import assessments_of, record_of

_MARK = 987654321  # an id no row has; replaced in the address built around it


def row_url(endpoint: str, key: str, **values):
    """`url_for(endpoint, **values, key=id)` for every row of a list, the address built once:
    a page of rows each with its own form would otherwise build the same address N times."""
    url = url_for(endpoint, **values, **{key: _MARK})
    head, mark, tail = url.rpartition(str(_MARK))
    if not mark or str(_MARK) in head:  # never expected; the plain way then
        return lambda ident: url_for(endpoint, **values, **{key: ident})
    return lambda ident: f"{head}{int(ident)}{tail}"


class PageReads:
    """Rows of one project read at most once for one page (a request's life, no longer)."""

    def __init__(self, session, engine, user, project):
        self.session, self.engine, self.user, self.project = session, engine, user, project

    @cached_property
    def pending(self) -> list:
        """The project's own pending sign-offs (the engine's options take them too)."""
        return self.engine.pending_requests(self.session, self.project.id)

    @cached_property
    def all_proposals(self) -> list:
        """Every proposal of the project, every round, in the order the page lists them."""
        return list(
            self.session.scalars(
                select(Proposal)
                .where(Proposal.project_id == self.project.id)
                .order_by(Proposal.call_round, Proposal.submitted_at, Proposal.id)
            )
        )

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
    def selection_record(self):
        return record_of(self.session, self.project)

    @cached_property
    def assessments(self) -> dict:
        return assessments_of(self.session, self.project)
