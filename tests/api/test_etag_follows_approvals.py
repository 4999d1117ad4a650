"""The ETag changes whenever what a project shows changes, a pending approval included: a client
holding the page from before the request cannot act on it unawares."""

from tests.api.conftest import error_of


def test_a_requested_approval_changes_the_etag_and_the_old_one_is_refused_with_409(api, cast, make):
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    coordinator = api.as_(cast.coordinator)
    page = coordinator.get(f"/projects/{project.id}")
    assert page.json["pending_approvals"] == []
    held = page.headers["ETag"]

    # With an Idempotency-Key the answer is built before the commit, to be stored with it.
    requested = api.as_(cast.beneficiary).post(
        f"/projects/{project.id}/transitions",
        json={"trigger": "select_partner"},
        headers={"Idempotency-Key": "select-germany-1"},
    )
    assert requested.status_code == 202
    assert requested.headers["ETag"] == f'"{requested.json["project"]["version"]}"' != held

    # The coordinator, still on the old page, tries to cancel: the project changed meanwhile.
    stale = coordinator.post(
        f"/projects/{project.id}/transitions",
        json={"trigger": "cancel", "comment": "No partner fits."},
        headers={"If-Match": held},
    )
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "stale_version"
    now = coordinator.get(f"/projects/{project.id}")
    assert now.headers["ETag"] == requested.headers["ETag"]
    assert now.json["state"] == "selection"
    assert [a["trigger"] for a in now.json["pending_approvals"]] == ["select_partner"]
