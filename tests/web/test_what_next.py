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
