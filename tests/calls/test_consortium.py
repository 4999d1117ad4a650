"""A Member State takes part in one proposal per call round, as lead or junior; the lead is
never one of its own junior partners."""

from tests.api.conftest import error_of


def _proposal(**values):
    return {
        "project_leader": "Jeanne Martin",
        "rta_name": "Paul Durand",
        "summary": "Peer support.",
    } | values


def test_a_junior_partner_of_one_proposal_cannot_lead_another(api, cast, make):
    project = cast.to("call_open")
    path = f"/projects/{project.id}/proposals"
    assert (
        api.as_(cast.france).post(path, json=_proposal(junior_member_states=["DE"])).status_code
        == 201
    )
    refused = api.as_(cast.germany).post(path, json=_proposal())
    assert refused.status_code == 422
    details = error_of(refused)["details"]
    assert list(details) == ["lead_member_state"]
    assert "DE already takes part in another proposal of this call round" in str(details)
    assert {p["member_state"] for p in api.as_(cast.admin).get(path).json} <= {"FR"}


def test_a_member_state_is_junior_in_one_proposal_only(api, cast, make):
    project = cast.to("call_open")
    path = f"/projects/{project.id}/proposals"
    make.proposal(cast.france, project, junior_member_states=["AT"])
    refused = api.as_(cast.germany).post(path, json=_proposal(junior_member_states=["AT", "NL"]))
    assert refused.status_code == 422
    assert error_of(refused)["details"] == {
        "junior_member_states": [
            "AT already takes part in another proposal of this call round "
            "(one proposal per Member State)"
        ]
    }
    # A junior that is free is fine, and so is amending one's own proposal.
    assert (
        api.as_(cast.germany).post(path, json=_proposal(junior_member_states=["NL"])).status_code
        == 201
    )


def test_a_lead_cannot_name_a_member_state_that_already_leads_another_proposal(api, cast, make):
    project = cast.to("call_open")
    make.proposal(cast.germany, project)
    path = f"/projects/{project.id}/proposals"
    refused = api.as_(cast.france).post(path, json=_proposal(junior_member_states=["DE"]))
    assert refused.status_code == 422
    assert list(error_of(refused)["details"]) == ["junior_member_states"]


def test_an_amendment_that_joins_a_taken_member_state_is_refused_and_changes_nothing(
    api, cast, make
):
    project = cast.to("call_open")
    make.proposal(cast.germany, project)
    mine = make.proposal(cast.france, project)
    path = f"/projects/{project.id}/proposals/{mine.id}"
    refused = api.as_(cast.france).patch(path, json={"junior_member_states": ["DE"]})
    assert refused.status_code == 422
    assert list(error_of(refused)["details"]) == ["junior_member_states"]
    own = api.as_(cast.france).get(f"/projects/{project.id}/proposals").json
    assert own[0]["junior_member_states"] == []


def test_the_api_refuses_the_lead_as_its_own_junior_naming_the_field(api, cast):
    project = cast.to("call_open")
    path = f"/projects/{project.id}/proposals"
    refused = api.as_(cast.france).post(path, json=_proposal(junior_member_states=["FR"]))
    assert refused.status_code == 422
    assert error_of(refused)["details"] == {
        "junior_member_states": [
            "FR is the lead Member State: the lead is never one of its own junior partners"
        ]
    }


def test_the_proposal_form_never_offers_the_lead_as_a_junior(as_user, cast):
    project = cast.to("call_open")
    page = as_user(cast.france).text(f"/calls/{project.id}/proposal")
    assert 'value="DE"' in page and 'value="FR"' not in page
