"""GET /api/v1/audit without filters pages the whole trail by sequence number: the same
events, count and links as before, at the same cost on any page of any trail."""

from sqlalchemy import select

from twinflow.audit.models import AuditHead


def test_the_whole_trail_pages_in_sequence_with_its_count_and_links(api, cast, session):
    cast.to("call_open")
    admin = api.as_(cast.admin)
    second = admin.get("/audit?page=2&per_page=2")
    session.commit()  # signing in for the token appended an event: read the head after it
    head = session.scalar(select(AuditHead.seq).where(AuditHead.id == 1))
    assert second.status_code == 200
    assert [e["seq"] for e in second.json] == [3, 4]
    assert second.headers["X-Total-Count"] == str(head)
    last = -(-head // 2)
    assert f'page={last}&per_page=2>; rel="last"' in second.headers["Link"]
    assert 'page=3&per_page=2>; rel="next"' in second.headers["Link"]
    tail = admin.get(f"/audit?page={last}&per_page=2").json
    assert tail[-1]["seq"] == head and len(tail) == head - 2 * (last - 1)
    assert admin.get(f"/audit?page={last + 1}&per_page=2").json == []
    # A filter still counts what it matches.
    some = admin.get("/audit?action=transition&per_page=2")
    assert int(some.headers["X-Total-Count"]) < head
    assert all(e["action"] == "transition" for e in some.json)
