"""Administration: users (create, change role, reset password, deactivate) and the audit log."""

import csv
import html
import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import append_event
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
    admin.post(f"/admin/users/{user.id}/active", {"active": "0", "confirm": "yes"})
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
    response = as_user(admin_user).post(
        f"/admin/users/{admin_user.id}/active", {"active": "0", "confirm": "yes"}
    )
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


def test_a_project_number_too_large_for_any_id_is_said_to_be_the_problem_not_a_500(cast, as_user):
    cast.to("call_open")
    admin = as_user(cast.admin)
    response = admin.get("/admin/audit?project=99999999999999999999")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Project: no project has the number or a reference containing "
        "“99999999999999999999” (project numbers go up to 2,147,483,647)"
    ) in page
    assert "No events shown" in page and "Fix the filters above to see events." in page
    export = admin.get("/admin/audit/export.csv?project=99999999999999999999")
    assert export.status_code == 422
    assert "Nothing was exported: Project: no project has the number" in export.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query, said",
    [
        ("project=abc", "Project: no project has the number or a reference containing “abc”"),
        ("date_from=2020-13-45", "From: is not a date: write it as YYYY-MM-DD, e.g. 2027-01-31"),
        ("since=2020-13-45", "since: not a filter of this page (the filters are action, project"),
        # The day after 9999-12-31 was an OverflowError: a 500.
        ("date_to=9999-12-31", "To (inclusive): must be between the years 1900 and 2200"),
        ("date_from=2027-02-01&date_to=2027-01-31", "To (inclusive): must not be before From"),
    ],
)
def test_an_audit_filter_that_cannot_be_applied_is_named_with_its_reason_and_shows_no_events(
    cast, as_user, query, said
):
    cast.to("call_open")
    response = as_user(cast.admin).get(f"/admin/audit?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    alert = re.search(r'data-testid="filter-errors">(.*?)</div>', page, re.S).group(1)
    assert said in alert
    assert "events match" not in page and 'class="event-action"' not in page


def test_an_audit_filter_naming_a_project_by_part_of_its_reference_or_its_number_applies(
    cast, as_user
):
    project = cast.to("call_open")
    admin = as_user(cast.admin)
    assert "3 events match" in admin.text(f"/admin/audit?project={project.reference[-5:]}")
    assert "3 events match" in admin.text(f"/admin/audit?project={project.id}")


def _event(session, **data) -> None:
    append_event(session, action="document_uploaded", now=datetime.now(UTC), data=data)
    session.commit()


def _details(page: str) -> list[str]:
    """The data cells as a reader sees them (<wbr> only marks where a line may break)."""
    return [
        html.unescape(c.replace("<wbr>", "")) for c in re.findall(r'class="kv">(.*?)</span>', page)
    ]


def test_the_audit_log_shows_lists_and_changes_in_words_not_python(cast, as_user, session):
    _event(
        session,
        owed=["coordinator", "lead_member_state"],
        changes={"status": {"from": "planned", "to": "ongoing"}, "participants": 12},
        reached={"from": None, "to": "6.00"},
    )
    page = as_user(cast.admin).text("/admin/audit")
    assert {
        "owed: coordinator, lead_member_state",
        "changes: participants: 12; status: planned → ongoing",
        "reached: ∅ → 6.00",
    } <= set(_details(page))
    assert "[&#39;" not in page and "{&#39;" not in page and "None" not in page


def test_a_long_value_in_the_audit_log_can_wrap_so_the_table_fits_its_card(cast, as_user, session):
    long_name = "Quarterly_report_of_the_twinning_project_final_version_signed.pdf"
    _event(session, sha256="0123456789abcdef" * 4, filename=long_name)
    page = as_user(cast.admin).text("/admin/audit")
    table = re.search(r'<div class="card table-wrap">(.*?)</table>', page, re.S).group(1)
    cells = re.findall(r'<span class="kv">(.*?)</span>', table)
    shown = _details(page)
    assert f"filename: {long_name}" in shown and f"sha256: {'0123456789abcdef' * 4}" in shown
    # Without a break opportunity, one 64-character hash widened the table past the card.
    words = [w for c in cells for w in html.unescape(c.replace("<wbr>", " ")).split()]
    assert max(len(w) for w in words) <= 24
