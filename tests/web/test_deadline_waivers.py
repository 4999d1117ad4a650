"""The project page's deadline list: a coordinator waives or moves a deadline with a reason;
nobody else is offered it or may post it."""

import re
from datetime import timedelta

from sqlalchemy import select

from twinflow.deadlines.models import Deadline


def _due(session, project) -> Deadline:
    return session.scalars(
        select(Deadline)
        .where(Deadline.project_id == project.id, Deadline.key == "proposals_due")
        .order_by(Deadline.id.desc())
        .execution_options(populate_existing=True)
    ).first()


def test_a_coordinator_waives_a_deadline_from_the_project_page(as_user, cast, session):
    project = cast.to("call_open")
    due = _due(session, project)
    coordinator = as_user(cast.coordinator)
    page = coordinator.text(f"/projects/{project.id}")
    assert "Waive or move" in page and f"/deadlines/{due.id}/waive" in page

    path = f"/projects/{project.id}/deadlines/{due.id}/waive"
    blank = coordinator.post(path, {"reason": ""}, token_from=f"/projects/{project.id}")
    assert blank.status_code == 422
    assert "The waiver was not applied: reason: a reason is required" in blank.get_data(
        as_text=True
    )
    assert _due(session, project).status == "open"

    done = coordinator.post(
        path,
        {"reason": "The fiche is re-issued with a new budget."},
        token_from=f"/projects/{project.id}",
        follow_redirects=True,
    )
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert "Waived: Member State proposals due." in text
    waived = _due(session, project)
    assert (waived.status, waived.decided_by_id) == ("waived", cast.coordinator.id)
    assert waived.decision_reason == "The fiche is re-issued with a new budget."


def test_a_coordinator_moves_a_deadline_and_a_bad_date_is_refused(as_user, cast, session):
    project = cast.to("call_open")
    due = _due(session, project)
    coordinator = as_user(cast.coordinator)
    path = f"/projects/{project.id}/deadlines/{due.id}/move"
    garbled = coordinator.post(
        path, {"due_at": "next week", "reason": "x"}, token_from=f"/projects/{project.id}"
    )
    assert garbled.status_code == 422
    assert "The move was not applied: due at:" in garbled.get_data(as_text=True)
    later = due.due_at.replace(day=1, month=due.due_at.month % 12 + 1, year=due.due_at.year + 1)
    moved = coordinator.post(
        path,
        {"due_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Extended for the holidays."},
        token_from=f"/projects/{project.id}",
        follow_redirects=True,
    )
    assert "is now due on" in moved.get_data(as_text=True)
    assert _due(session, project).due_at == later


def test_each_deadline_s_move_form_on_the_page_moves_that_deadline_as_it_is_sent(
    as_user, cast, session
):
    """The forms as the page writes them (address and token), not as the test would build
    them: every open deadline's pair of forms names its own deadline."""
    project = cast.to("implementation")
    coordinator = as_user(cast.coordinator)
    page = coordinator.text(f"/projects/{project.id}")
    rows = re.findall(r'<details class="deadline-decide".*?</details>', page, re.S)
    opened = session.scalars(
        select(Deadline).where(Deadline.project_id == project.id, Deadline.status == "open")
    ).all()
    assert len(rows) == len(opened) >= 2
    tokens = set(re.findall(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"', page))
    assert len(tokens) == 1  # one token, the request's, in every form of the page
    last = rows[-1]
    actions = re.findall(r'<form method="post" action="([^"]+)"', last)
    ident = int(re.search(r'id="move-due-(\d+)"', last).group(1))
    base = f"/projects/{project.id}/deadlines/{ident}"
    assert actions == [f"{base}/waive", f"{base}/move"]
    target = session.get(Deadline, ident)
    later = target.due_at + timedelta(days=40)
    moved = coordinator.client.post(
        actions[1],
        data={
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', last).group(1),
            "due_at": later.strftime("%Y-%m-%dT%H:%M"),
            "reason": "The committee meets later.",
        },
    )
    assert moved.status_code == 302
    session.refresh(target)
    assert target.status == "superseded"  # a moved deadline is replaced by its new date
    now_due = session.scalars(
        select(Deadline.due_at).where(
            Deadline.project_id == project.id, Deadline.key == target.key, Deadline.status == "open"
        )
    ).all()
    assert now_due == [later.replace(second=0, microsecond=0)]


def test_the_waiver_is_neither_offered_nor_allowed_to_a_beneficiary(as_user, cast, session):
    project = cast.to("call_open")
    due = _due(session, project)
    beneficiary = as_user(cast.beneficiary)
    assert "Waive or move" not in beneficiary.text(f"/projects/{project.id}")
    refused = beneficiary.post(
        f"/projects/{project.id}/deadlines/{due.id}/waive",
        {"reason": "We would rather not."},
        token_from=f"/projects/{project.id}",
    )
    assert refused.status_code == 403
    assert _due(session, project).status == "open"


def test_a_user_chooses_the_time_zone_reminders_count_days_in(as_user, cast, session):
    user = as_user(cast.france)
    assert "Europe/Brussels" in user.text("/notifications")
    refused = user.post("/account/time-zone", {"time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
    saved = user.post(
        "/account/time-zone", {"time_zone": "America/New_York"}, follow_redirects=True
    )
    assert "Reminders now count days in America/New_York." in saved.get_data(as_text=True)
    session.refresh(cast.france)
    assert cast.france.time_zone == "America/New_York"
