"""GET /api/v1/notifications and POST /api/v1/notifications/read: the caller's own notices,
newest first, paged, unread on request; marking read touches nobody else's."""

from sqlalchemy import select

from tests.factories import Cast
from twinflow.notifications.inbox import unread_count
from twinflow.notifications.models import Notification


def _notified(make):
    cast = Cast(make)
    cast.to("work_plan")  # the beneficiary and the coordinator have been told of each step
    return cast


def _mine(session, user):
    return session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_a_user_lists_their_own_notifications_newest_first_and_nobody_elses(api, make, session):
    cast = _notified(make)
    mine = _mine(session, cast.beneficiary)
    assert len(mine) >= 2
    answer = api.as_(cast.beneficiary).get("/notifications")
    assert answer.status_code == 200
    ids = [n["id"] for n in answer.json]
    assert sorted(ids) == sorted(n.id for n in mine)
    assert ids[0] == max(ids)
    others = {n.id for n in _mine(session, cast.coordinator)}
    assert others and not others & set(ids)
    assert {"subject", "body", "link", "created_at", "read_at", "kind"} <= set(answer.json[0])


def test_the_list_is_paged_and_filters_the_unread(api, make, session):
    cast = _notified(make)
    total = len(_mine(session, cast.beneficiary))
    assert total >= 2
    first = api.as_(cast.beneficiary).get("/notifications?per_page=1")
    assert first.status_code == 200 and len(first.json) == 1
    assert first.headers["X-Total-Count"] == str(total)
    newest = first.json[0]["id"]
    marked = api.as_(cast.beneficiary).post("/notifications/read", json={"ids": [newest]})
    assert marked.status_code == 200 and marked.json == {"marked": 1}
    unread = api.as_(cast.beneficiary).get("/notifications?unread=true&per_page=100")
    assert newest not in [n["id"] for n in unread.json]
    assert len(unread.json) == total - 1


def test_marking_another_users_notification_changes_nothing(api, make, session):
    cast = _notified(make)
    theirs = _mine(session, cast.coordinator)[0]
    answer = api.as_(cast.beneficiary).post("/notifications/read", json={"ids": [theirs.id]})
    assert answer.status_code == 200 and answer.json == {"marked": 0}
    session.expire_all()
    assert session.get(Notification, theirs.id).read_at is None


def test_marking_all_read_leaves_nothing_unread(api, make, session):
    cast = _notified(make)
    answer = api.as_(cast.beneficiary).post("/notifications/read", json={})
    assert answer.status_code == 200
    assert answer.json["marked"] == len(_mine(session, cast.beneficiary))
    assert api.as_(cast.beneficiary).get("/notifications?unread=true").json == []


def test_bad_input_names_the_field_and_changes_nothing(api, make, session):
    cast = _notified(make)
    bad = api.as_(cast.beneficiary).post("/notifications/read", json={"ids": ["one"]})
    assert bad.status_code == 422
    assert "ids" in str(bad.json)
    assert api.as_(cast.beneficiary).get("/notifications?unread=maybe").status_code == 422
    session.expire_all()
    assert all(n.read_at is None for n in _mine(session, cast.beneficiary))


def test_a_coordinator_no_longer_covering_the_country_no_longer_reads_its_notices(
    api, make, session
):
    cast = _notified(make)
    assert api.as_(cast.coordinator).get("/notifications").json
    armenia = make.organisation("EU Delegation to Armenia", countries=["AM"])
    cast.coordinator.organisation_id = armenia.id
    session.commit()
    answer = api.as_(cast.coordinator).get("/notifications")
    assert answer.status_code == 200
    assert [n for n in answer.json if n["project_id"] == cast.project.id] == []
    # The navigation's unread badge counts by the same rule as the list.
    unread = api.as_(cast.coordinator).get("/notifications?unread=true&per_page=100").json
    session.expire(cast.coordinator)  # this session still holds its old organisation
    assert unread_count(session, cast.coordinator) == len(unread)
