"""Every page: signed out -> sign-in; wrong role -> 403; every form refuses a POST without
its CSRF token and changes nothing."""

import pytest
from sqlalchemy import func, select

from twinflow.audit.models import AuditEvent

# The calendar feed needs no session: calendar apps fetch it; its secret token is the key.
PUBLIC = {
    "/login",
    "/public/projects",
    "/public/projects/<int:project_id>",
    "/public/projects/<int:project_id>/images/<int:image_id>/<variant>",
    "/calendar/<token>.ics",
    # The language of the pages: a cookie for any visitor, then back (tests/web/test_languages).
    "/language/<language>",
    # For load balancers and monitoring; they say nothing about projects (tests/ops).
    "/healthz",
    "/readyz",
    "/metrics",
}


def _web_rules(app, method):
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.rule.startswith(("/api", "/static", "/assets")):
            continue
        yield rule


def _fill(rule, ids) -> str:
    path = rule.rule
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in path, f"no value for a parameter of {rule.rule}"
    return path


@pytest.fixture
def world(cast, make):
    """A project in selection with a pending approval, a notification, and users of all roles."""
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    approval = make.fire(cast.beneficiary, project, "select_partner").approval
    from twinflow.notifications.models import Notification

    note = make.session.scalar(
        select(Notification).where(Notification.user_id == cast.coordinator.id)
    )
    ids = dict(
        project_id=project.id,
        proposal_id=cast.proposal.id,
        approval_id=approval.id,
        user_id=cast.germany.id,
        notification_id=note.id,
        trigger="cancel",
        # Implementation records: refused before any lookup (sign-in, CSRF), so no row is needed.
        component_id=1,
        result_id=1,
        indicator_id=1,
        activity_id=1,
        report_id=1,
        change_id=1,
        document_id=1,
        deadline_id=1,
        email_id=1,
        number=1,
        figure="stages",
        image_id=1,
        variant="thumb",
    )
    return cast, ids


def test_every_page_but_the_public_ones_sends_a_signed_out_visitor_to_sign_in(app, world, browser):
    _, ids = world
    b = browser()
    checked = 0
    for rule in _web_rules(app, "GET"):
        if rule.rule in PUBLIC:
            continue
        response = b.get(_fill(rule, ids))
        assert response.status_code == 302, rule.rule
        assert response.location.startswith("/login?next="), rule.rule
        checked += 1
    assert checked >= 10


def test_every_post_sends_a_signed_out_visitor_away_and_changes_nothing(app, world, browser):
    _, ids = world
    b = browser()
    token = b.token("/login")
    for rule in _web_rules(app, "POST"):
        if rule.rule == "/login":
            continue
        response = b.client.post(_fill(rule, ids), data={"csrf_token": token, "comment": "x"})
        assert response.status_code == 302 and "/login" in response.location, rule.rule


def test_every_form_refuses_a_post_without_its_csrf_token(app, world, as_user, session):
    cast, ids = world
    before = session.scalar(select(func.count(AuditEvent.id)))
    users = {"admin": cast.admin, "coordinator": cast.coordinator, "member_state": cast.france}
    checked = 0
    for rule in _web_rules(app, "POST"):
        for user in users.values():
            b = as_user(user) if rule.rule != "/login" else None
            client = b.client if b else app.test_client()
            data = {"comment": "no token", "decision": "approve", "active": "0", "role": "admin"}
            data |= {"email": "x@example.eu", "password": "long enough password"}
            response = client.post(_fill(rule, ids), data=data)
            assert response.status_code == 400, (rule.rule, user.role, response.status_code)
            assert "did not come from this site" in response.get_data(as_text=True)
            checked += 1
    session.expire_all()
    assert session.scalar(select(func.count(AuditEvent.id))) == before
    assert checked >= 3 * 12


ROLE_PAGES = [
    # (path template, roles refused)
    ("/admin/users", ("coordinator", "beneficiary", "member_state")),
    ("/admin/users/new", ("coordinator", "beneficiary", "member_state")),
    ("/admin/users/{user_id}", ("coordinator", "beneficiary", "member_state")),
    ("/admin/users/{user_id}/deactivate", ("coordinator", "beneficiary", "member_state")),
    ("/admin/audit", ("coordinator", "beneficiary", "member_state")),
    ("/admin/audit/export.csv", ("coordinator", "beneficiary", "member_state")),
    ("/admin/outbox", ("coordinator", "beneficiary", "member_state")),
    ("/calls", ("admin", "coordinator", "beneficiary")),
    ("/calls/{project_id}/proposal", ("admin", "coordinator", "beneficiary")),
    ("/approvals", ("admin",)),
    ("/projects/new", ("admin", "member_state")),
    # France's proposal is marked, but select_partner still waits for the coordinator: France
    # is not the lead Member State yet and sees no records (tests/security/test_findings.py).
    ("/projects/{project_id}/progress", ("member_state",)),
    ("/projects/{project_id}/activities", ("member_state",)),
    ("/projects/{project_id}/team", ("member_state",)),
    ("/projects/{project_id}/reports", ("member_state",)),
    ("/projects/{project_id}/steering", ("member_state",)),
    ("/projects/{project_id}/changes", ("member_state",)),
    ("/projects/{project_id}/documents", ()),
]


@pytest.mark.parametrize("path, refused", ROLE_PAGES)
def test_a_role_that_may_not_see_a_page_gets_403(world, as_user, path, refused):
    cast, ids = world
    by_role = {
        "admin": cast.admin,
        "coordinator": cast.coordinator,
        "beneficiary": cast.beneficiary,
        "member_state": cast.france,
    }
    for role, user in by_role.items():
        response = as_user(user).get(path.format(**ids))
        if role in refused:
            assert response.status_code == 403, (path, role)
            assert "You may not do this" in response.get_data(as_text=True)
        else:
            assert response.status_code == 200, (path, role)


def test_a_project_page_answers_a_project_one_may_not_see_as_if_it_did_not_exist(
    cast, make, as_user
):
    draft = make.project(cast.beneficiary, title="Draft fiche")
    missing = as_user(cast.coordinator).get("/projects/999999")
    assert missing.status_code == 404
    for outsider in (cast.other_beneficiary, cast.france):  # France: not circulated yet
        hidden = as_user(outsider).get(f"/projects/{draft.id}")
        assert hidden.status_code == 404
        assert f"There is no project {draft.id}." in hidden.get_data(as_text=True)
    assert as_user(cast.beneficiary).get(f"/projects/{draft.id}").status_code == 200


def test_posting_an_action_on_a_project_one_may_not_see_is_refused(cast, make, as_user, session):
    draft = make.project(cast.beneficiary, title="Draft fiche")
    other = as_user(cast.other_beneficiary)
    response = other.post(f"/projects/{draft.id}/actions/submit_fiche", {})
    assert response.status_code == 404
    session.refresh(draft)
    assert draft.state == "fiche_drafting"


def test_responses_carry_a_self_only_content_security_policy(browser):
    response = browser().get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
