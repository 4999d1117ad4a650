"""Fixtures for the selection: a call with three bids (France, Germany, Lithuania), closed
three days after its deadline; the minutes' storage; a loopback SMTP server."""

import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

# The loopback SMTP server and the scheduler's settings, as the deadline tests use them.
from tests.deadlines.conftest import pass_settings, smtp_server  # noqa: F401
from tests.factories import Cast
from twinflow.documents import operations as documents
from twinflow.documents.storage import LocalStorage, UploadLimits
from twinflow.selection import operations as selection

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Bidding:
    cast: Cast
    lithuania: object
    proposals: dict = field(default_factory=dict)  # country -> Proposal

    @property
    def project(self):
        return self.cast.project


def open_call_with_bids(make, workflow: str = "twinning", countries=("FR", "DE", "LT")):
    cast = Cast(make, workflow)
    lithuania = make.user("member_state", country="LT")
    bidding = Bidding(cast, lithuania)
    users = {"FR": cast.france, "DE": cast.germany, "LT": lithuania}
    p = cast.project
    make.fire(cast.beneficiary, p, "submit_fiche")
    make.fire(cast.coordinator, p, "approve_fiche")
    for country in countries:
        bidding.proposals[country] = make.proposal(users[country], p)
    return bidding


@pytest.fixture
def bidding(make, clock):
    """The call closed three days late: the meeting is still due two weeks after the deadline."""
    bidding = open_call_with_bids(make)
    clock.set(bidding.project.proposal_deadline + timedelta(days=3))
    make.fire(bidding.cast.coordinator, bidding.project, "close_call")
    return bidding


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "uploads")


@pytest.fixture
def limits():
    return UploadLimits(max_bytes=64 * 1024)


@pytest.fixture
def minutes(session, engine, storage, limits):
    """Uploads the minutes of a project's selection as its coordinator; returns the id."""

    def upload(bidding) -> int:
        return documents.upload_document(
            session, engine, storage, bidding.cast.coordinator, bidding.project.id,
            stream=io.BytesIO(PDF), filename="minutes.pdf", content_type="application/pdf",
            category="selection_minutes", limits=limits,
        ).id  # fmt: skip

    return upload


def all_eligible(session, engine, bidding) -> None:
    for proposal in bidding.proposals.values():
        selection.record_eligibility(
            session, engine, bidding.cast.coordinator, bidding.project.id, proposal.id,
            {"eligible": True},
        )  # fmt: skip


def meeting_values(bidding, minutes_id: int, held_on, reserve: str | None = "DE") -> dict:
    values = {
        "held_on": held_on.isoformat(),
        "minutes_document_id": minutes_id,
        "attendance": [
            {"proposal_id": p.id, "leader_present": True, "rta_present": c != "LT"}
            for c, p in bidding.proposals.items()
        ],
        "scores": [
            {"proposal_id": p.id, "score": 90 - 10 * i, "rank": i + 1}
            for i, p in enumerate(bidding.proposals.values())
        ],
    }
    if reserve:
        values["reserve_proposal_id"] = bidding.proposals[reserve].id
    return values
