"""The call rounds over HTTP: the sealed count while a call is open, the round on the project,
the old lead's rights gone at once, earlier rounds' proposals grouped on the page."""

from datetime import timedelta

from tests.api.conftest import error_of


def _recirculate(api, cast, project, comment="France withdrew from the negotiations."):
    deadline = cast.make.clock.now() + timedelta(weeks=6)
    return api.as_(cast.coordinator).post(
        f"/projects/{project.id}/transitions",
        json={
            "trigger": "recirculate",
            "comment": comment,
            "data": {"proposal_deadline": deadline.isoformat()},
        },
    )


def test_while_the_call_is_open_the_choosers_see_how_many_proposals_arrived_not_whose(
    api, cast, make, as_user
):
    project = cast.to("call_open")
    make.proposal(cast.france, project, summary="Our secret approach")
    make.proposal(cast.germany, project)
    for user in (cast.coordinator, cast.beneficiary):
        detail = api.as_(user).get(f"/projects/{project.id}").json
        assert detail["proposals_received"] == 2
        assert api.as_(user).get(f"/projects/{project.id}/proposals").json == []
        page = as_user(user).text(f"/projects/{project.id}")
        assert 'data-testid="proposals-received">2<' in page
        assert "Our secret approach" not in page and "France" not in page
    # A Member State learns nothing of its rivals, not even how many there are.
    assert api.as_(cast.france).get(f"/projects/{project.id}").json["proposals_received"] is None
    assert "proposals-received" not in as_user(cast.france).text(f"/projects/{project.id}")


def test_the_count_is_of_the_current_round_only(api, cast, make):
    project = cast.to("selection")  # one proposal in round 1
    assert _recirculate(api, cast, project).status_code == 200
    detail = api.as_(cast.coordinator).get(f"/projects/{project.id}").json
    assert (detail["call_round"], detail["proposals_received"]) == (2, 0)


def test_recirculating_over_the_api_without_a_comment_is_refused_naming_it(api, cast):
    project = cast.to("selection")
    refused = _recirculate(api, cast, project, comment="")
    assert refused.status_code == 422
    assert "comment" in error_of(refused)["details"]
    assert api.as_(cast.coordinator).get(f"/projects/{project.id}").json["state"] == "selection"


def test_the_previous_lead_is_refused_its_lead_routes_at_once(api, cast, as_user):
    project = cast.to("contracting")
    france = api.as_(cast.france)
    assert france.get(f"/projects/{project.id}/team").status_code == 200
    browser = as_user(cast.france)
    assert browser.get(f"/projects/{project.id}/team").status_code == 200
    assert _recirculate(api, cast, project).status_code == 200
    assert france.get(f"/projects/{project.id}/team").status_code == 403
    assert browser.get(f"/projects/{project.id}/team").status_code == 403
    detail = france.get(f"/projects/{project.id}").json
    assert detail["lead_member_state"] is None and "submit_contract" not in str(detail)


def test_round_ones_proposals_are_listed_by_round_and_sealed_from_round_two_rivals(
    api, cast, make, as_user, clock
):
    project = cast.to("selection")  # France's round-1 proposal
    assert _recirculate(api, cast, project).status_code == 200
    make.proposal(cast.germany, project, summary="Germany's round-two plan")
    path = f"/projects/{project.id}/proposals"
    assert [p["call_round"] for p in api.as_(cast.coordinator).get(path).json] == [1]
    assert [p["member_state"] for p in api.as_(cast.germany).get(path).json] == ["DE"]
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert 'data-testid="call-round">2<' in page
    assert 'data-testid="proposals-round-1"' in page and "Call round 1" in page
    # Once round 2 closes, both rounds show, each under its own heading.
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    rounds = {
        (p["member_state"], p["call_round"]) for p in api.as_(cast.beneficiary).get(path).json
    }
    assert rounds == {("FR", 1), ("DE", 2)}
    page = as_user(cast.beneficiary).text(f"/projects/{project.id}")
    assert 'data-testid="proposals-round-2"' in page and 'data-testid="proposals-round-1"' in page
    # The rivals still never see each other's proposals, of either round.
    assert [p["member_state"] for p in api.as_(cast.france).get(path).json] == ["FR"]
    assert "round-two plan" not in as_user(cast.france).text(f"/projects/{project.id}")


def test_round_ones_bid_documents_stay_with_the_choosers_and_sealed_from_round_two_rivals(
    api, cast, make
):
    import io

    project = cast.to("call_open")
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    body = {"category": "proposal", "file": (io.BytesIO(pdf), "bid-fr.pdf", "application/pdf")}
    uploaded = api.as_(cast.france).post(
        f"/projects/{project.id}/documents", data=body, content_type="multipart/form-data"
    )
    assert uploaded.status_code == 201, uploaded.json
    path = f"/projects/{project.id}/documents/{uploaded.json['id']}"
    cast.to("selection")
    assert _recirculate(api, cast, project).status_code == 200
    # Round 2 is open: round 1's bid stays readable to its own and to those who choose...
    for user in (cast.france, cast.coordinator, cast.beneficiary):
        with api.as_(user).get(path) as download:
            assert download.status_code == 200 and download.get_data() == pdf
    # ...and a round-2 bidder never learns it exists, nor reads of it in the audit trail.
    make.proposal(cast.germany, project)
    assert api.as_(cast.germany).get(path).status_code == 404
    trail = api.as_(cast.germany).get(f"/projects/{project.id}/audit?per_page=100").json
    assert all("FR" not in str(e["data"]) for e in trail)
    choosers = api.as_(cast.coordinator).get(f"/projects/{project.id}/audit?per_page=100").json
    assert {"proposal_submitted", "document_uploaded"} <= {e["action"] for e in choosers}
