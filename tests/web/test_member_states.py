"""Calls and proposals: one proposal per Member State, editable until the deadline, and
never visible to another Member State - not in lists, timelines or the dashboard."""

import re
from datetime import timedelta

from sqlalchemy import select

from twinflow.proposals.models import Proposal


def _proposal_form(**overrides):
    return {
        "project_leader": "Karl Weber",
        "rta_name": "Anna Schmidt",
        "summary": "Our customs academy proposes its experts.",
    } | overrides


def test_a_member_state_submits_then_amends_its_single_proposal(cast, as_user, session):
    project = cast.to("call_open")
    germany = as_user(cast.germany)
    assert "Write a proposal" in germany.text("/calls")
    response = germany.post(f"/calls/{project.id}/proposal", _proposal_form())
    assert response.status_code == 302
    assert "Submitted" in germany.text("/calls")
    germany.post(f"/calls/{project.id}/proposal", _proposal_form(project_leader="Eva Braun-Meier"))
    rows = session.scalars(select(Proposal).where(Proposal.member_state == "DE")).all()
    assert [p.project_leader for p in rows] == ["Eva Braun-Meier"]


def test_a_proposal_without_its_rta_is_refused_naming_the_field(cast, as_user, session):
    project = cast.to("call_open")
    response = as_user(cast.germany).post(
        f"/calls/{project.id}/proposal", _proposal_form(rta_name="")
    )
    assert response.status_code == 422
    assert "a Resident Twinning Adviser must be proposed" in response.get_data(as_text=True)
    assert session.scalar(select(Proposal.id).where(Proposal.member_state == "DE")) is None


def test_after_the_deadline_the_proposal_can_no_longer_be_changed(cast, as_user, clock, session):
    project = cast.to("call_open")
    germany = as_user(cast.germany)
    germany.post(f"/calls/{project.id}/proposal", _proposal_form())
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    assert "no longer accepting proposals" in germany.text(f"/calls/{project.id}/proposal")
    response = germany.post(f"/calls/{project.id}/proposal", _proposal_form(summary="late"))
    assert response.status_code == 409
    assert "deadline" in response.get_data(as_text=True)
    stored = session.scalar(select(Proposal).where(Proposal.member_state == "DE"))
    session.refresh(stored)
    assert stored.summary != "late"


def _mentions_france(text: str, cast) -> bool:
    return "France" in text or cast.france.email in text or "Paul Durand" in text


def test_another_member_state_never_learns_of_frances_proposal(cast, make, as_user, clock):
    project = cast.to("call_open")
    make.proposal(cast.france, project)
    germany = as_user(cast.germany)
    for path in ("/", "/calls", f"/projects/{project.id}", "/projects"):
        assert not _mentions_france(germany.text(path), cast), path
    assert _mentions_france(as_user(cast.france).text(f"/projects/{project.id}"), cast)

    # Still hidden once France is selected and the work plan is being drafted ...
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    proposal = make.session.scalar(select(Proposal).where(Proposal.member_state == "FR"))
    make.select(cast.coordinator, project, proposal)
    approval = make.fire(cast.beneficiary, project, "select_partner").approval
    make.engine.decide(make.session, cast.coordinator, approval.id, "approve", "France is best")
    for path in ("/", f"/projects/{project.id}"):
        assert not _mentions_france(germany.text(path), cast), path
    assert "France (lead)" in as_user(cast.france).text(f"/projects/{project.id}")


def test_coordinators_see_no_proposal_while_the_call_is_open(cast, make, as_user):
    project = cast.to("call_open")
    make.proposal(cast.france, project)
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert "Proposals stay sealed until the call closes." in page
    assert "Paul Durand" not in page


def test_open_calls_are_on_the_member_state_dashboard(cast, as_user):
    project = cast.to("call_open")
    page = as_user(cast.germany).text("/")
    assert "Open calls for proposals" in page and project.title in page


def test_the_open_calls_table_scrolls_inside_its_card_on_a_narrow_screen(cast, as_user):
    cast.to("call_open")
    b = as_user(cast.germany)
    page = b.text("/")
    card = re.search(r'aria-labelledby="calls-h">(.*?)</section>', page, re.S).group(1)
    # The table sits in a wrapper that scrolls sideways, so the page itself stays 390 px wide.
    assert re.search(r'<div class="table-wrap"[^>]*>\s*<table class="table">', card)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    with b.get(stylesheet) as response:
        css = response.get_data(as_text=True)
    assert re.search(r"\.table-wrap \{[^}]*overflow-x: auto", css)
