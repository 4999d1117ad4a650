"""The audit log at any length: the whole trail pages by sequence number from the head, a
filter is counted up to a cap, and neither costs more statements as the trail grows."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from twinflow.audit import views
from twinflow.audit.models import AuditHead
from twinflow.audit.operations import append_event
from twinflow.extensions import db

SEQ = re.compile(r'<td class="num">(\d+)</td>')


def _append(session, count: int, action: str = "document_uploaded") -> None:
    for i in range(count):
        append_event(session, action=action, now=datetime.now(UTC), data={"n": i})
    session.commit()


def _head(session) -> int:
    return session.scalar(select(AuditHead.seq).where(AuditHead.id == 1))


def test_the_whole_audit_log_pages_from_the_newest_event_down_to_the_first(cast, as_user, session):
    cast.to("call_open")
    _append(session, 70)
    head = _head(session)
    admin = as_user(cast.admin)
    first = admin.text("/admin/audit")
    assert f"{head} events match" in first
    assert [int(s) for s in SEQ.findall(first)] == list(range(head, head - 50, -1))
    second = admin.text("/admin/audit?page=2")
    assert [int(s) for s in SEQ.findall(second)] == list(range(head - 50, max(head - 100, 0), -1))
    last_page = -(-head // 50)
    last = admin.text(f"/admin/audit?page={last_page}")
    assert SEQ.findall(last)[-1] == "1" and f"Page {last_page} of {last_page}" in last
    # A page past the end shows the last one, as before.
    assert SEQ.findall(admin.text("/admin/audit?page=999999")) == SEQ.findall(last)


def test_a_filter_matching_more_events_than_are_counted_says_so_and_pages_the_newest(
    cast, as_user, session, monkeypatch
):
    monkeypatch.setattr(views, "COUNT_CAP", 60)
    assert cast.project.state == "fiche_drafting"
    _append(session, 75)
    admin = as_user(cast.admin)
    page = admin.text("/admin/audit?action=document_uploaded")
    assert "More than 60 events match; the newest 60 are listed" in page
    assert "Page 1 of 2" in page
    newest = _head(session)
    assert [int(s) for s in SEQ.findall(page)] == list(range(newest, newest - 50, -1))
    second = admin.text("/admin/audit?action=document_uploaded&page=2")
    assert len(SEQ.findall(second)) == 10
    # Under the cap the count is exact, as before.
    monkeypatch.setattr(views, "COUNT_CAP", 100)
    assert "75 events match." in admin.text("/admin/audit?action=document_uploaded")


def _statements(app, client, path: str) -> int:
    with app.app_context():
        engine = db.engine
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    client.get(path)  # warm-up
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return len(seen)


@pytest.mark.slow
def test_the_audit_log_issues_as_many_statements_with_600_events_as_with_60(
    app, cast, as_user, session
):
    assert cast.project.state == "fiche_drafting"
    admin = as_user(cast.admin)
    paths = [
        "/admin/audit",
        "/admin/audit?page=2",
        "/admin/audit?action=document_uploaded",
        "/admin/audit?action=document_uploaded&page=2",
        "/admin/audit?actor=example",
    ]
    _append(session, 60)
    small = {p: _statements(app, admin.client, p) for p in paths}
    _append(session, 540)
    large = {p: _statements(app, admin.client, p) for p in paths}
    assert small == large


def test_a_date_filter_lists_its_events_newest_first(cast, as_user, session):
    _append(session, 60)
    head = _head(session)
    today = datetime.now(UTC).date().isoformat()
    admin = as_user(cast.admin)
    page = admin.text(f"/admin/audit?date_from={today}&date_to={today}")
    assert [int(s) for s in SEQ.findall(page)] == list(range(head, head - 50, -1))
    second = admin.text(f"/admin/audit?date_from={today}&date_to={today}&page=2")
    assert [int(s) for s in SEQ.findall(second)][0] == head - 50
