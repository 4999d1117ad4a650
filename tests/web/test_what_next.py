"""The project page says in one sentence what the user can do now, or whom it waits for, with
a link; the demo's coordinator in selection is told to mark a proposal (no trigger)."""

import re

from tests.factories import Cast


def _banner(page: str) -> str:
    found = re.search(r'data-testid="what-next">(.*?)</div>', page, re.S)
    assert found, "no what-next banner"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_in_selection_the_coordinator_is_told_to_mark_a_proposal_and_the_bidder_waits(
    make, as_user
):
    cast = Cast(make)
    project = cast.to("selection")
    make.session.commit()
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert _banner(page).startswith("Next for you: Mark the proposal you choose (1 received)")
    assert f'href="/projects/{project.id}#proposals">Do it now</a>' in page
    france = _banner(as_user(cast.france).text(f"/projects/{project.id}"))
    assert france == "Next: Waiting for a coordinator and the beneficiary to choose the partner."


def test_the_beneficiary_drafting_is_sent_to_the_fiche_and_the_coordinator_waits(make, as_user):
    cast = Cast(make)
    make.session.commit()
    page = as_user(cast.beneficiary).text(f"/projects/{cast.project.id}")
    assert _banner(page) == "Next for you: Submit the fiche for review. Do it now"
    assert f'href="/projects/{cast.project.id}/fiche">Do it now</a>' in page
    waiting = _banner(as_user(cast.coordinator).text(f"/projects/{cast.project.id}"))
    assert waiting == (
        "Next: Waiting for the beneficiary administration to write and submit the Twinning Fiche."
    )


def test_a_pending_partner_selection_is_the_coordinators_decision_and_the_beneficiary_waits(
    make, as_user
):
    cast = Cast(make)
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    make.fire(cast.beneficiary, project, "select_partner")
    make.session.commit()
    coordinator = _banner(as_user(cast.coordinator).text(f"/projects/{project.id}"))
    assert coordinator.startswith("Next for you: Approve or reject:")
    beneficiary = _banner(as_user(cast.beneficiary).text(f"/projects/{project.id}"))
    assert beneficiary.startswith("Next: Waiting for a coordinator to decide:")


def test_the_dashboard_lists_a_selection_waiting_for_a_mark_with_its_next_step(make, as_user):
    cast = Cast(make)
    project = cast.to("selection")
    make.session.commit()
    page = as_user(cast.coordinator).text("/")
    items = re.findall(r'data-testid="next-step">(.*?)</li>', page, re.S)
    mine = [item for item in items if project.reference in item]
    assert len(mine) == 1
    link = f'href="/projects/{project.id}#proposals">{project.reference} · {project.title}'
    assert link in mine[0]
    assert "Mark the proposal you choose (1 received)" in mine[0]
    # Once a proposal is marked, the next step is the partner selection, a trigger.
    make.select(cast.coordinator, project, cast.proposal)
    make.session.commit()
    page = as_user(cast.beneficiary).text("/")
    assert "Select the Member State partner." in page


def test_once_eligibility_is_recorded_the_coordinator_is_told_to_record_the_meeting(
    make, as_user, engine, clock, tmp_path
):
    import io

    from tests.selection.conftest import PDF
    from twinflow.documents import operations as documents
    from twinflow.documents.storage import LocalStorage, UploadLimits
    from twinflow.selection import operations as selection

    cast = Cast(make)
    project = cast.to("selection")
    session = make.session
    selection.record_eligibility(
        session, engine, cast.coordinator, project.id, cast.proposal.id, {"eligible": True}
    )
    record_it = (
        "Record the selection meeting and upload its minutes: the eligibility of every "
        "proposal is recorded."
    )
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert _banner(page) == f"Next for you: {record_it} Do it now"
    assert f'href="/projects/{project.id}/selection">Do it now</a>' in page
    dashboard = as_user(cast.coordinator).text("/")
    (item,) = [
        i
        for i in re.findall(r'data-testid="next-step">(.*?)</li>', dashboard, re.S)
        if project.reference in i
    ]
    assert f'href="/projects/{project.id}/selection">{project.reference}' in item
    assert record_it in item
    # The beneficiary does not record the selection: its step stays the mark.
    beneficiary = _banner(as_user(cast.beneficiary).text(f"/projects/{project.id}"))
    assert beneficiary.startswith("Next for you: Mark the proposal you choose")

    minutes = documents.upload_document(
        session, engine, LocalStorage(tmp_path), cast.coordinator, project.id,
        stream=io.BytesIO(PDF), filename="minutes.pdf", content_type="application/pdf",
        category="selection_minutes", limits=UploadLimits(max_bytes=64 * 1024),
    )  # fmt: skip
    selection.record_meeting(
        session,
        engine,
        cast.coordinator,
        project.id,
        {
            "held_on": clock.now().date().isoformat(),
            "minutes_document_id": minutes.id,
            "attendance": [
                {"proposal_id": cast.proposal.id, "leader_present": True, "rta_present": True}
            ],
        },
    )
    after = _banner(as_user(cast.coordinator).text(f"/projects/{project.id}"))
    assert after.startswith("Next for you: Mark the proposal you choose (1 received)")
    assert record_it not in as_user(cast.coordinator).text("/")
