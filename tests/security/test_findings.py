"""The confidentiality findings of the outside review (issue 12: 1, 3, 4 and the web's 403 for a
hidden project), each replayed as the tester did it: every test here failed on 742a8f3."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from tests.security.scenario import pdf
from twinflow.notifications.models import Notification

COMMENT = "Germany chosen over France; French RTA judged weak"


def _upload(client, pid, category, name, content="CONTENT"):
    body = {"category": category, "file": (io.BytesIO(pdf(content)), name, "application/pdf")}
    return client.post(f"/projects/{pid}/documents", data=body, content_type="multipart/form-data")


def _bid(make, user, project):
    return make.proposal(user, project, project_leader=f"Leader of {user.country}")


def _closed_call(cast, make, clock, *bidders):
    """The call has closed with a proposal of each bidder."""
    project = cast.to("call_open")
    proposals = {user.country: _bid(make, user, project) for user in bidders}
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    return project, proposals


def _text(response) -> str:
    body = response.get_data(as_text=True)
    response.close()
    return body


# -- finding 1: a rival reads the confidential selection -------------------------------------


def test_a_rival_member_state_reads_nothing_of_the_pending_choice_of_the_partner(
    api, cast, make, clock, as_user
):
    project, bids = _closed_call(cast, make, clock, cast.germany, cast.france)
    make.select(cast.coordinator, project, bids["DE"])
    approval = make.fire(cast.beneficiary, project, "select_partner", comment=COMMENT).approval
    pid = project.id
    # France is the rival; Germany's bid is marked, but it is not chosen until approved.
    for user in (cast.france, cast.germany):
        client = api.as_(user)
        detail = client.get(f"/projects/{pid}")
        assert detail.status_code == 200
        assert detail.json["pending_approvals"] == [], user.country
        assert COMMENT not in _text(detail)
        assert client.get("/approvals?status=all").json == []
        decided = client.post(f"/approvals/{approval.id}", json={"decision": "approve"})
        assert decided.status_code == 404
        browser = as_user(user)
        for page in (f"/projects/{pid}", "/approvals", "/"):
            assert COMMENT not in browser.text(page), (user.country, page)
        # The lifecycle diagram names every step; no pending choice is shown outside it.
        page = re.sub(r"<svg.*?</svg>", "", browser.text(f"/projects/{pid}"), flags=re.S)
        assert "Select the Member State partner" not in page
        trail = client.get(f"/projects/{pid}/audit?per_page=100").json
        assert not [e for e in trail if e["trigger"] == "select_partner"]
    # Those who choose read it all, on the API and the page.
    coordinator = api.as_(cast.coordinator).get(f"/projects/{pid}").json["pending_approvals"]
    assert [(a["comment"], a["awaiting_you"]) for a in coordinator] == [(COMMENT, True)]
    assert COMMENT in as_user(cast.coordinator).text("/approvals")


# -- finding 3: sealed bids are sealed -----------------------------------------------------------


def test_while_the_call_is_open_only_its_member_state_reads_a_bids_documents(
    api, cast, make, as_user
):
    project = cast.to("call_open")
    pid = project.id
    _bid(make, cast.france, project)
    uploaded = _upload(api.as_(cast.france), pid, "proposal", "offre-scellee.pdf").json
    path = f"/projects/{pid}/documents/{uploaded['id']}"
    for user in (cast.beneficiary, cast.coordinator, cast.admin, cast.germany):
        client = api.as_(user)
        assert client.get(f"/projects/{pid}/documents").json == [], user.email
        assert client.get(path).status_code == 404, user.email
        browser = as_user(user)
        assert browser.get(f"{path}/download").status_code == 404, user.email
        assert "offre-scellee.pdf" not in browser.text(f"/projects/{pid}/documents")
    for user in (cast.beneficiary, cast.coordinator, cast.germany):
        page = as_user(user).text(f"/projects/{pid}")
        assert cast.france.email not in page and "Document uploaded" not in page, user.email
        trail = api.as_(user).get(f"/projects/{pid}/audit?per_page=100").json
        assert not [e for e in trail if e["action"].startswith("document_")], user.email
    # France reads its own; the administrators keep the whole trail.
    with api.as_(cast.france).get(path) as own:
        assert own.status_code == 200
    whole = api.as_(cast.admin).get(f"/audit?project={pid}&action=document_uploaded").json
    assert [e["data"]["filename"] for e in whole] == ["offre-scellee.pdf"]


def test_a_rival_member_state_never_reads_a_bids_documents_even_after_the_call(
    api, cast, make, clock, as_user
):
    project = cast.to("call_open")
    pid = project.id
    for user in (cast.france, cast.germany):
        _bid(make, user, project)
    offre = _upload(api.as_(cast.france), pid, "proposal", "offre.pdf").json["id"]
    angebot = _upload(api.as_(cast.germany), pid, "proposal", "angebot.pdf").json["id"]
    clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    germany = api.as_(cast.germany)
    assert [d["id"] for d in germany.get(f"/projects/{pid}/documents").json] == [angebot]
    assert germany.get(f"/projects/{pid}/documents/{offre}").status_code == 404
    assert "offre.pdf" not in as_user(cast.germany).text(f"/projects/{pid}/documents")
    # The call has closed: the beneficiary reads both bids now.
    listed = api.as_(cast.beneficiary).get(f"/projects/{pid}/documents").json
    assert {d["id"] for d in listed} == {offre, angebot}
    with api.as_(cast.beneficiary).get(f"/projects/{pid}/documents/{offre}") as read:
        assert read.status_code == 200


# -- finding 4: a marked bid is no lead partner ---------------------------------------------------


def test_a_marked_bid_gets_no_lead_rights_until_select_partner_applies(
    api, cast, make, clock, as_user, session
):
    project, bids = _closed_call(cast, make, clock, cast.germany, cast.france)
    pid = project.id
    minutes = _upload(api.as_(cast.coordinator), pid, "selection_minutes", "minutes.pdf").json
    make.select(cast.coordinator, project, bids["FR"])
    france, browser = api.as_(cast.france), as_user(cast.france)

    def refused_everywhere():
        session.refresh(project)
        assert project.lead_member_state is None
        assert france.get(f"/projects/{pid}/team").status_code == 403
        assert browser.get(f"/projects/{pid}/team").status_code == 403
        assert france.get(f"/projects/{pid}/documents/{minutes['id']}").status_code == 403
        assert _upload(france, pid, "work_plan", "plan.pdf").status_code == 403
        assert [p["is_selected"] for p in france.get(f"/projects/{pid}/proposals").json] == [None]
        page = browser.text(f"/projects/{pid}")
        assert "Selected" not in re.sub(r"<[^>]+>", " ", page.split('id="proposals"')[1])
        assert 'data-testid="partner">—' in page

    refused_everywhere()
    asked = make.fire(cast.beneficiary, project, "select_partner", comment=COMMENT).approval
    refused_everywhere()
    make.engine.decide(session, cast.coordinator, asked.id, "reject", "Ask for references.")
    refused_everywhere()

    again = make.fire(cast.beneficiary, project, "select_partner").approval
    make.engine.decide(session, cast.coordinator, again.id, "approve")
    session.refresh(project)
    assert project.state == "work_plan" and project.lead_member_state == "FR"
    # France is told, as the partner, and now reads the partner's deadline.
    told = session.scalars(
        select(Notification.subject).where(
            Notification.user_id == cast.france.id, Notification.kind == "state_changed"
        )
    ).all()
    assert [s for s in told if "Work plan" in s]
    deadlines = [d["key"] for d in france.get(f"/projects/{pid}").json["deadlines"]]
    assert deadlines == ["work_plan_agreed"]
    assert france.get(f"/projects/{pid}/team").status_code == 200
    assert _upload(france, pid, "work_plan", "plan.pdf").status_code == 201
    assert [p["is_selected"] for p in france.get(f"/projects/{pid}/proposals").json] == [True]
    # The minutes carry every bid's score: they stay with those who chose.
    assert france.get(f"/projects/{pid}/documents/{minutes['id']}").status_code == 403


def test_the_lead_partner_reads_no_rivals_proposal_material_in_the_trail(
    api, cast, make, clock, as_user
):
    project = cast.to("call_open")
    pid = project.id
    _bid(make, cast.germany, project)
    _upload(api.as_(cast.france), pid, "proposal", "offre.pdf")
    _upload(api.as_(cast.germany), pid, "proposal", "angebot.pdf")
    cast.to("work_plan")  # France bids, is chosen and approved: France is the lead partner
    trail = api.as_(cast.france).get(f"/projects/{pid}/audit?per_page=100").json
    assert "angebot" not in str(trail) and cast.germany.email not in str(trail)
    assert [e["data"]["filename"] for e in trail if e["action"] == "document_uploaded"] == [
        "offre.pdf"
    ]
    page = as_user(cast.france).text(f"/projects/{pid}")
    assert cast.germany.email not in page and "(Germany)" not in page


# -- finding 12 (part): a hidden project is a missing one, on the web too -------------------------


def test_every_project_page_answers_a_project_one_may_not_see_as_if_it_did_not_exist(
    app, api, cast, make, as_user
):
    draft = make.project(cast.beneficiary, title="Draft fiche")
    fiche = _upload(api.as_(cast.beneficiary), draft.id, "fiche", "fiche.pdf").json["id"]
    outsider = as_user(cast.other_beneficiary)  # same role, another administration
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/projects/<int:project_id>"):
            continue
        path = rule.rule.replace("<int:project_id>", str(draft.id))
        path = path.replace("<int:document_id>", str(fiche))
        elsewhere = rule.rule.replace("<int:project_id>", "999999")
        hidden = outsider.get(path)
        missing = outsider.get(elsewhere.replace("<int:document_id>", str(fiche)))
        assert hidden.status_code == missing.status_code == 404, rule.rule
        hidden.close()
        missing.close()
        checked += 1
    assert checked >= 10
