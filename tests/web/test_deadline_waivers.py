"""The project page's deadline list: a coordinator waives or moves a deadline with a reason;
nobody else is offered it or may post it."""

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
