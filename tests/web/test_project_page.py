"""The project page: what it offers is what the engine accepts; refusals are explained."""

import html
import re
from datetime import timedelta

from twinflow.workflow.engine import Engine


def _form_triggers(page: str) -> set[str]:
    return set(re.findall(r'action="/projects/\d+/actions/(\w+)"', page))


def _fields(page: str, trigger: str) -> dict:
    """The hidden version and seen_seq of one action form, as the browser would send them."""
    form = re.search(rf'actions/{trigger}".*?</form>', page, re.S).group(0)
    return dict(re.findall(r'name="([\w-]+)" type="hidden" value="([^"]*)"', form))


def test_the_actions_offered_are_exactly_the_ones_the_engine_says_are_available(
    cast, make, as_user, engine: Engine, session
):
    cast.to("fiche_review")
    page = as_user(cast.coordinator).text(f"/projects/{cast.project.id}")
    options = engine.options(session, cast.coordinator, cast.project)
    assert _form_triggers(page) == {o.spec.trigger for o in options if o.available}
    assert _form_triggers(page) == {"return_fiche", "approve_fiche", "cancel"}
    assert _form_triggers(as_user(cast.beneficiary).text(f"/projects/{cast.project.id}")) == set()


def test_a_blocked_action_is_shown_with_the_engines_reason_and_no_button(cast, as_user):
    project = cast.to("call_open")
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    assert "close_call" not in _form_triggers(page)
    assert "The call is open until the proposal deadline" in page


def test_approving_a_fiche_through_its_form_opens_the_call(cast, as_user, session, clock):
    project = cast.to("fiche_review")
    b = as_user(cast.coordinator)
    page = b.text(f"/projects/{project.id}")
    deadline = clock.now() + timedelta(days=30)
    data = _fields(page, "approve_fiche")
    data["approve_fiche-data_proposal_deadline"] = deadline.strftime("%Y-%m-%dT%H:%M")
    response = b.post(f"/projects/{project.id}/actions/approve_fiche", data)
    assert response.status_code == 302
    page = b.text(response.location)
    assert "Call open since" in page and "Done: approve the fiche" in page
    session.refresh(project)
    assert project.state == "call_open"
    assert project.proposal_deadline == deadline.replace(second=0, microsecond=0)


def test_a_deadline_in_the_past_is_refused_at_its_field_and_changes_nothing(
    cast, as_user, session, clock
):
    project = cast.to("fiche_review")
    b = as_user(cast.coordinator)
    data = _fields(b.text(f"/projects/{project.id}"), "approve_fiche")
    data["approve_fiche-data_proposal_deadline"] = "2020-01-01T10:00"
    response = b.post(f"/projects/{project.id}/actions/approve_fiche", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'approve_fiche-data_proposal_deadline-err">must be in the future', page)
    session.refresh(project)
    assert project.state == "fiche_review"


def test_returning_a_fiche_without_the_required_comment_is_refused(cast, as_user, session):
    project = cast.to("fiche_review")
    b = as_user(cast.coordinator)
    data = _fields(b.text(f"/projects/{project.id}"), "return_fiche")
    response = b.post(f"/projects/{project.id}/actions/return_fiche", data)
    assert response.status_code == 422
    assert 'id="return_fiche-comment-err"' in response.get_data(as_text=True)
    session.refresh(project)
    assert project.state == "fiche_review"


def test_acting_on_a_stale_page_answers_409_and_says_what_changed(cast, make, as_user, session):
    project = cast.to("fiche_review")
    b = as_user(cast.coordinator)
    data = _fields(b.text(f"/projects/{project.id}"), "approve_fiche")
    make.fire(cast.coordinator, project, "return_fiche", comment="Budget table missing")
    response = b.post(f"/projects/{project.id}/actions/approve_fiche", data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The page changed in the meantime" in page
    assert "What changed since you loaded the page" in page
    assert "Fiche review → Fiche drafting" in page and "Budget table missing" in page
    session.refresh(project)
    assert project.state == "fiche_drafting"


def test_the_diagram_is_drawn_on_the_page_with_the_current_state_and_the_path_in_words(
    cast, as_user
):
    project = cast.to("selection")
    page = as_user(cast.coordinator).text(f"/projects/{project.id}")
    diagram = re.search(r'<svg[^>]*data-testid="diagram".*?</svg>', page, re.S).group(0)
    states = dict(re.findall(r'data-state="(\w+)">.*?<text[^>]*>([^<]*)</text>', diagram, re.S))
    assert html.unescape(states["selection"]) == "● now: Selection"
    for passed, label in (("fiche_drafting", "Fiche drafting"), ("call_open", "Call open")):
        assert html.unescape(states[passed]) == f"✓ {label}"
    assert html.unescape(states["work_plan"]) == "Work plan"
    # Steps are named by their labels, not their triggers; a screen reader gets the same.
    assert "Select the Member State partner</text>" in diagram
    assert "select_partner" not in diagram
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", diagram, re.S).group(1))
    assert desc.startswith("The project is in Selection. States passed: Fiche drafting")
    assert "Selection to Work plan: Select the Member State partner." in desc
    # Cancelling is drawn from where the project is, not from every state.
    assert desc.count(": Cancel the project.") == 1
    # No script draws it: the page's one script is the top bar's menu for phones.
    assert re.findall(r"<script[^>]*>", page) == [
        re.search(r'<script src="/assets/layout\.js\?v=\w+" defer>', page).group(0)
    ]
    assert "mermaid" not in page


def test_the_timeline_shows_the_newest_events_first_and_older_ones_on_request(cast, make, as_user):
    project = cast.project
    for _ in range(15):
        make.fire(cast.beneficiary, project, "submit_fiche")
        make.fire(cast.coordinator, project, "return_fiche", comment="again")
    browser = as_user(cast.coordinator)
    page = browser.text(f"/projects/{project.id}")
    first = re.findall(r"<li class=\"ev-[^\"]*\">", page)
    assert len(first) == 25
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', page, re.S).group(1)
    assert timeline.index("Fiche review → Fiche drafting") < timeline.index(
        "Fiche drafting → Fiche review"
    )
    older = html.unescape(re.search(r'data-testid="older-events" href="([^"]+)"', page).group(1))
    everything = browser.text(older)
    assert len(re.findall(r"<li class=\"ev-[^\"]*\">", everything)) == 31  # created + 30
    assert 'data-testid="older-events"' not in everything
    assert re.findall(r'<li class="(ev-[^"]*)">', everything)[-1] == "ev-project_created"


def test_selecting_the_partner_waits_for_both_parties_then_moves_on(cast, make, as_user, session):
    project = cast.to("selection")
    beneficiary = as_user(cast.beneficiary)
    response = beneficiary.post(
        f"/projects/{project.id}/proposals/{cast.proposal.id}/select", token_from="/"
    )
    assert response.status_code == 302
    said = beneficiary.text(f"/projects/{project.id}")
    assert "The proposal of France is marked as selected" in said
    data = _fields(said, "select_partner")
    beneficiary.post(f"/projects/{project.id}/actions/select_partner", data)
    page = beneficiary.text(f"/projects/{project.id}")
    waiting = re.search(r'data-testid="waiting-for">([^<]*)<', page).group(1)
    assert waiting == "a coordinator (EU Delegation / contracting authority)"

    coordinator = as_user(cast.coordinator)
    inbox = coordinator.text("/approvals")
    approval_id = re.search(r"/approvals/(\d+)/decide", inbox).group(1)
    response = coordinator.post(
        f"/approvals/{approval_id}/decide", {"decision": "approve", "comment": "Agreed."}
    )
    assert response.status_code == 302
    session.refresh(project)
    assert project.state == "work_plan"
    assert "France (lead)" in coordinator.text(f"/projects/{project.id}")
    assert "Nothing waits for your decision" in coordinator.text("/approvals")


def test_rejecting_without_a_comment_names_the_comment_field(cast, make, as_user, session):
    project = cast.to("contracting")
    make.fire(cast.coordinator, project, "sign_contract")
    france = as_user(cast.france)
    approval_id = re.search(r"/approvals/(\d+)/decide", france.text("/approvals")).group(1)
    response = france.post(f"/approvals/{approval_id}/decide", {"decision": "reject"})
    assert response.status_code == 422
    assert "a comment is required to reject" in response.get_data(as_text=True)
    session.refresh(project)
    assert project.state == "contracting"
