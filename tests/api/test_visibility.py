"""What each caller may see: projects, proposals, audit events, the approvals inbox."""

from datetime import timedelta

from tests.api.conftest import error_of


def _refs(answer) -> set[str]:
    return {p["reference"] for p in answer.json}


def test_a_beneficiary_never_sees_another_administrations_draft(api, cast, make):
    theirs = make.project(cast.other_beneficiary)
    client = api.as_(cast.beneficiary)
    assert theirs.reference not in _refs(client.get("/projects?per_page=100"))
    assert client.get(f"/projects/{theirs.id}").status_code == 404
    assert _refs(api.as_(cast.other_beneficiary).get("/projects")) == {theirs.reference}


def test_member_states_see_projects_only_once_circulated(api, cast, make):
    circulated = cast.to("call_open")
    draft = make.project(cast.beneficiary)
    assert _refs(api.as_(cast.france).get("/projects")) == {circulated.reference}
    assert api.as_(cast.france).get(f"/projects/{draft.id}").status_code == 404


def test_a_member_state_never_sees_another_member_states_proposal(api, cast, make, clock):
    project = cast.to("call_open")
    make.proposal(cast.france, project)
    make.proposal(cast.germany, project)
    path = f"/projects/{project.id}/proposals"
    assert {p["member_state"] for p in api.as_(cast.france).get(path).json} == {"FR"}
    # Before the call closes the beneficiary sees none; after, all of them.
    assert api.as_(cast.beneficiary).get(path).json == []
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    assert {p["member_state"] for p in api.as_(cast.beneficiary).get(path).json} == {"FR", "DE"}
    assert {p["member_state"] for p in api.as_(cast.germany).get(path).json} == {"DE"}


def test_a_member_states_audit_view_hides_who_else_proposed(api, cast, make):
    project = cast.to("selection")  # France proposed; Germany did not
    trail = api.as_(cast.germany).get(f"/projects/{project.id}/audit?per_page=100").json
    assert not [e for e in trail if e["action"].startswith("proposal_")]
    assert all("FR" not in str(e["data"]) for e in trail)
    france_view = api.as_(cast.france).get(f"/projects/{project.id}/audit?per_page=100").json
    assert [e["action"] for e in france_view if e["action"].startswith("proposal_")] == [
        "proposal_submitted"
    ]


def test_acts_of_another_member_state_reach_a_member_state_without_the_actor(api, cast):
    project = cast.to("work_plan")
    cast.make.fire(cast.france, project, "submit_contract")  # France is the lead
    trail = api.as_(cast.germany).get(f"/projects/{project.id}/audit?per_page=100").json
    submitted = next(e for e in trail if e["trigger"] == "submit_contract")
    assert submitted["actor_withheld"] is True and submitted["actor_email"] is None
    own = api.as_(cast.france).get(f"/projects/{project.id}/audit?per_page=100").json
    assert next(e for e in own if e["trigger"] == "submit_contract")["actor_withheld"] is False


def test_the_beneficiary_sees_proposal_events_only_after_the_call_closed(api, cast, make):
    project = cast.to("call_open")
    make.proposal(cast.france, project)
    path = f"/projects/{project.id}/audit?per_page=100"
    assert not [e for e in api.as_(cast.beneficiary).get(path).json if "proposal" in e["action"]]
    assert [e for e in api.as_(cast.admin).get(path).json if "proposal" in e["action"]]


def test_the_project_list_filters_searches_and_pages_with_link_headers(api, cast, make):
    for word in ("alpha", "bravo", "charlie", "delta", "echo"):
        make.project(cast.beneficiary, title=f"Customs reform {word}", sector="FI")
    client = api.as_(cast.coordinator)
    page = client.get("/projects?sector=FI&per_page=2&page=2")
    assert page.status_code == 200 and len(page.json) == 2
    assert page.headers["X-Total-Count"] == "5"
    links = page.headers["Link"]
    for rel in ("first", "prev", "next", "last"):
        assert f'rel="{rel}"' in links
    assert "sector=FI" in links and "page=3" in links
    assert len(client.get("/projects?q=customs%20DELTA").json) == 1
    assert _refs(client.get("/projects?state=fiche_drafting&country=ge&workflow=twinning")) >= {
        cast.project.reference
    }
    assert client.get("/projects?state=closed").json == []


def test_the_approvals_inbox_shows_what_waits_for_each_caller(api, cast, make):
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    make.fire(cast.beneficiary, project, "select_partner")
    assert [a["awaiting_you"] for a in api.as_(cast.coordinator).get("/approvals").json] == [True]
    assert [a["awaiting_you"] for a in api.as_(cast.beneficiary).get("/approvals").json] == [False]
    assert api.as_(cast.france).get("/approvals").json == []
    assert api.as_(cast.other_beneficiary).get("/approvals").json == []
    assert api.as_(cast.coordinator).get("/approvals?status=approved").json == []
    assert api.as_(cast.coordinator).get("/approvals?status=maybe").status_code == 422


def test_administrators_filter_the_whole_trail_and_export_it_as_csv(api, cast):
    cast.to("fiche_review")
    client = api.as_(cast.admin)
    transitions = client.get("/audit?action=transition").json
    assert [e["trigger"] for e in transitions] == ["submit_fiche"]
    by_actor = client.get(f"/audit?actor={cast.beneficiary.email.upper()}").json
    assert {e["actor_email"] for e in by_actor} == {cast.beneficiary.email}
    assert client.get(f"/audit?project={cast.project.id}").headers["X-Total-Count"] == "2"
    assert client.get("/audit?until=2000-01-01T00:00:00Z").json == []
    naive = client.get("/audit?since=2027-01-04T09:00:00")
    assert naive.status_code == 422 and "since" in error_of(naive)["details"]
    csv = client.get("/audit?action=transition", headers={"Accept": "text/csv"})
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("seq,occurred_at") and len(lines) == 2
    verified = client.get("/audit/verify").json
    assert verified["ok"] is True and verified["checked"] >= 2
