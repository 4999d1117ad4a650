"""Administration: users (create, change role, reset password, deactivate) and the audit log."""

import csv
import io

from sqlalchemy import select, text

from twinflow.audit.models import AuditEvent
from twinflow.auth.models import User


def _actions(session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_an_administrator_creates_a_user_who_can_then_sign_in(make, as_user, browser, session):
    admin = as_user(make.user("admin"))
    response = admin.post(
        "/admin/users/new",
        {
            "email": "new.coordinator@example.eu",
            "name": "Nora New",
            "role": "coordinator",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 302
    assert "Nora New" in admin.text("/admin/users")
    created = session.scalar(select(User).where(User.email == "new.coordinator@example.eu"))
    browser().sign_in(created, password="a long enough password")
    assert _actions(session)[-1] == "user_created"


def test_a_member_state_user_outside_the_eu_is_refused_naming_the_country(make, as_user, session):
    admin = as_user(make.user("admin"))
    response = admin.post(
        "/admin/users/new",
        {
            "email": "ms@example.eu",
            "role": "member_state",
            "organisation": "Ministry",
            "country": "GE",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 422
    assert "GE is not an EU Member State" in response.get_data(as_text=True)
    assert session.scalar(select(User).where(User.email == "ms@example.eu")) is None


def test_changing_a_role_resetting_a_password_and_deactivating_are_audited(
    make, as_user, browser, session
):
    admin_user = make.user("admin")
    admin = as_user(admin_user)
    user = make.user("coordinator")
    response = admin.post(
        f"/admin/users/{user.id}/role",
        {"role": "beneficiary", "organisation": "Ministry of Finance of Armenia", "country": "AM"},
    )
    assert response.status_code == 302
    admin.post(f"/admin/users/{user.id}/password", {"password": "brand new password"})
    browser().sign_in(user, password="brand new password")
    admin.post(f"/admin/users/{user.id}/active", {"active": "0"})
    session.refresh(user)
    assert (user.role, user.country, user.is_active) == ("beneficiary", "AM", False)
    assert _actions(session)[-3:] == [
        "user_role_changed",
        "user_password_reset",
        "user_deactivated",
    ]
    assert "brand new password" not in " ".join(
        session.scalars(select(AuditEvent.data).order_by(AuditEvent.seq))
    )


def test_an_administrator_cannot_lock_themselves_out(make, as_user, session):
    admin_user = make.user("admin")
    response = as_user(admin_user).post(f"/admin/users/{admin_user.id}/active", {"active": "0"})
    assert response.status_code == 409
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    session.refresh(admin_user)
    assert admin_user.is_active


def test_the_audit_log_filters_by_action_and_exports_csv(cast, as_user):
    project = cast.to("call_open")
    admin = as_user(cast.admin)
    page = admin.text("/admin/audit?action=transition")
    assert "2 events match" in page
    response = admin.get(f"/admin/audit/export.csv?project={project.reference}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["action"] for r in rows] == ["project_created", "transition", "transition"]
    assert all(r["hash"] for r in rows)


def test_verifying_the_chain_reports_it_intact(cast, as_user):
    cast.to("call_open")
    response = as_user(cast.admin).post("/admin/audit/verify", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Chain intact." in page and "events checked" in page


def test_verifying_the_chain_names_an_event_altered_behind_the_apps_back(cast, as_user, session):
    cast.to("call_open")
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER audit_events_no_update"))
    else:
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    session.execute(text("UPDATE audit_events SET actor_email = 'someone@else.eu' WHERE seq = 3"))
    session.commit()
    page = as_user(cast.admin).post("/admin/audit/verify", {}).get_data(as_text=True)
    assert "Chain broken at event 3" in page and "altered" in page
