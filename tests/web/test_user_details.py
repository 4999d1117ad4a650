"""Administrators confirm a deactivation before it happens, and correct a user's name and
e-mail: checked, audited with before and after, the team members recorded with the old
e-mail following the new one."""

import json

from sqlalchemy import func, select

from twinflow.audit.models import AuditEvent
from twinflow.auth.models import User
from twinflow.team.models import TeamMember
from twinflow.team.people import holder


def _events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        )
    )


def test_deactivating_a_user_asks_for_confirmation_and_changes_nothing_until_confirmed(
    make, as_user, browser, session
):
    admin = as_user(make.user("admin"))
    user = make.user("coordinator", email="dora.delegation@example.eu")
    user.name = "Dora Delegation"
    session.commit()
    detail = admin.text(f"/admin/users/{user.id}")
    assert f'href="/admin/users/{user.id}/deactivate"' in detail

    unconfirmed = admin.post(f"/admin/users/{user.id}/active", {"active": "0"})
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["Location"].endswith(f"/admin/users/{user.id}/deactivate")
    session.expire_all()
    assert session.get(User, user.id).is_active
    assert _events(session, "user_deactivated") == []

    page = admin.text(f"/admin/users/{user.id}/deactivate")
    assert "Deactivate Dora Delegation?" in page
    assert "dora.delegation@example.eu" in page
    assert "will no longer be able to sign in" in page
    assert "Their pending work stays" in page
    assert f'<a class="btn btn-secondary" href="/admin/users/{user.id}">Cancel</a>' in page
    # Looking at the confirmation changes nothing either.
    session.expire_all()
    assert session.get(User, user.id).is_active

    confirmed = admin.post(f"/admin/users/{user.id}/active", {"active": "0", "confirm": "yes"})
    assert confirmed.status_code == 302
    session.expire_all()
    assert not session.get(User, user.id).is_active
    assert len(_events(session, "user_deactivated")) == 1
    refused = browser().client.post(
        "/login",
        data={"email": user.email, "password": "x", "csrf_token": browser().token("/login")},
    )
    assert refused.status_code != 302


def test_reactivating_needs_no_confirmation(make, as_user, session):
    admin = as_user(make.user("admin"))
    user = make.user("coordinator")
    user.is_active = False
    session.commit()
    assert admin.post(f"/admin/users/{user.id}/active", {"active": "1"}).status_code == 302
    session.expire_all()
    assert session.get(User, user.id).is_active


def test_an_administrator_corrects_a_name_and_email_and_the_team_member_stays_linked(
    cast, as_user, browser, session, clock
):
    project = cast.to("implementation")
    leader = cast.france
    # Recorded before the account existed: linked by its e-mail only.
    member = session.scalar(
        select(TeamMember).where(
            TeamMember.project_id == project.id, TeamMember.role == "ms_project_leader"
        )
    )
    member.user_id, member.email = None, leader.email.upper()
    session.commit()
    old_email = leader.email
    admin = as_user(cast.admin)
    response = admin.post(
        f"/admin/users/{leader.id}/details",
        {"name": "Jeanne Martin-Leroy", "email": "  Jeanne.Martin@Ministere.example "},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session.expire_all()
    leader = session.get(User, leader.id)
    assert (leader.name, leader.email) == ("Jeanne Martin-Leroy", "jeanne.martin@ministere.example")
    assert "Jeanne Martin-Leroy" in admin.text(f"/admin/users/{leader.id}")
    (event,) = _events(session, "user_details_changed")
    data = json.loads(event.data)
    assert data["before"]["email"] == old_email
    assert data["after"] == {
        "name": "Jeanne Martin-Leroy",
        "email": "jeanne.martin@ministere.example",
    }
    assert data["team_members"] == [member.id]
    member = session.get(TeamMember, member.id)
    assert (member.email, member.user_id) == ("jeanne.martin@ministere.example", leader.id)
    today = clock.now().date()
    assert leader.id in holder(session, project, "ms_project_leader", today).user_ids
    browser().sign_in(leader)  # with the new e-mail


def test_a_duplicate_or_malformed_email_is_refused_on_the_form_and_nothing_changes(
    make, as_user, session
):
    admin = as_user(make.user("admin"))
    user = make.user("coordinator", email="first@example.eu")
    make.user("coordinator", email="taken@example.eu")
    before = session.scalar(select(func.count(AuditEvent.id)))
    for email, reason in [
        ("TAKEN@example.eu", "taken@example.eu is already the e-mail of another user"),
        ("not an address", "must be an e-mail address"),
    ]:
        response = admin.post(
            f"/admin/users/{user.id}/details", {"name": "Someone Else", "email": email}
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f'<p class="field-error" id="email-err">{reason}</p>' in page
    response = admin.post(f"/admin/users/{user.id}/details", {"name": "", "email": "a@b.eu"})
    assert response.status_code == 422
    session.expire_all()
    again = session.get(User, user.id)
    assert (again.name, again.email) == ("", "first@example.eu")
    assert session.scalar(select(func.count(AuditEvent.id))) == before


def test_the_confirmation_names_the_running_projects_where_the_user_holds_a_named_role(
    cast, as_user, session
):
    project = cast.to("implementation")
    page = as_user(cast.admin).text(f"/admin/users/{cast.france.id}/deactivate")
    named = page.split('data-testid="named-on">', 1)[1].split("</ul>", 1)[0]
    assert f"{project.reference} — {project.title}: the Member State project leader" in named
    # Someone named nowhere: no list.
    other = as_user(cast.admin).text(f"/admin/users/{cast.germany.id}/deactivate")
    assert 'data-testid="named-on"' not in other
