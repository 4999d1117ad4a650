"""The demo's project in selection with its record: three bids, Lithuania's found not
eligible, the meeting recorded with attendance, minutes, scores and Germany as the reserve,
France's proposal marked; select_partner is the beneficiary's to ask."""

import io
from datetime import timedelta

from twinflow.documents.operations import upload_document
from twinflow.projects.operations import create_project
from twinflow.proposals.operations import select_proposal, submit_proposal
from twinflow.selection import operations as selection
from twinflow.services import get_storage, get_upload_limits

TITLE = "Public procurement review body"
MINUTES = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
    b"% Minutes of the selection meeting: France 86, Germany 78; Germany reserve.\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
SCORES = {"FR": (86, 1), "DE": (78, 2)}


def seed(session, engine, clock, real_now, beneficiary, coordinator, bidders):
    """A generator yielding the time of each next step (the demo replays histories in time
    order)."""
    yield real_now - timedelta(days=90)
    project = create_project(
        session,
        engine,
        beneficiary,
        dict(
            title=TITLE,
            workflow="twinning",
            sector="FI",
            instrument="ENI",
            budget_eur=1_400_000,
            implementation_months=24,
            description="An independent body that reviews public procurement complaints.",
        ),
    )
    engine.fire(session, beneficiary, project.id, "submit_fiche")
    yield clock.now() + timedelta(days=10)
    deadline = real_now - timedelta(days=12)
    engine.fire(
        session,
        coordinator,
        project.id,
        "approve_fiche",
        data={"proposal_deadline": deadline.isoformat()},
    )
    proposals = {}
    for ms in bidders:
        yield clock.now() + timedelta(days=7)
        proposals[ms.country] = submit_proposal(
            session,
            engine,
            ms,
            project.id,
            dict(
                lead_member_state=ms.country,
                junior_member_states=[],
                project_leader=ms.name,
                rta_name=f"RTA of {ms.country}",
                summary=f"{ms.organisation} proposes its procurement review experts.",
            ),
        )
    yield deadline + timedelta(hours=3)
    engine.fire(session, coordinator, project.id, "close_call")
    yield clock.now() + timedelta(days=3)
    for country, proposal in proposals.items():
        values = {"eligible": True}
        if country == "LT":
            values = {
                "eligible": False,
                "reason": "Neither a public administration nor a mandated body.",
            }
        selection.record_eligibility(session, engine, coordinator, project.id, proposal.id, values)
    yield clock.now() + timedelta(days=7)
    minutes = upload_document(
        session, engine, get_storage(), coordinator, project.id,
        stream=io.BytesIO(MINUTES), filename="selection-meeting-minutes.pdf",
        content_type="application/pdf", category="selection_minutes",
        limits=get_upload_limits(),
    )  # fmt: skip
    eligible = {c: p for c, p in proposals.items() if c in SCORES}
    selection.record_meeting(
        session,
        engine,
        coordinator,
        project.id,
        {
            "held_on": (clock.now() - timedelta(days=1)).date(),
            "minutes_document_id": minutes.id,
            "attendance": [
                {"proposal_id": p.id, "leader_present": True, "rta_present": c == "FR"}
                for c, p in eligible.items()
            ],
            "scores": [
                {"proposal_id": p.id, "score": SCORES[c][0], "rank": SCORES[c][1]}
                for c, p in eligible.items()
            ],
            "reserve_proposal_id": eligible["DE"].id,
            "notes": "Germany's RTA could not attend; its project leader presented alone.",
        },
    )
    yield clock.now() + timedelta(days=1)
    select_proposal(session, engine, coordinator, project.id, eligible["FR"].id)
