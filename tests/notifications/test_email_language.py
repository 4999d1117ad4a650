"""Each e-mail and notification reads in its recipient's language: French for a user who chose
French, English for one who chose English or nothing (the scheduler writes them, outside of
anyone's request, so the sender's language must not leak into them)."""

import re
from datetime import timedelta

from sqlalchemy import select

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.i18n import gettext, speaking
from twinflow.notifications.models import Notification
from twinflow.notifications.operations import notify_parties


def _plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


def _choose(session, **languages):
    for user, language in languages.values():
        user.language = language
    session.commit()


def _reminders(smtp_server, address):
    return [m for m in smtp_server.to(address) if re.search("Reminder|Rappel", m["Subject"])]


def test_a_reminder_reaches_a_french_user_in_french_and_an_english_user_in_english(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    _choose(session, fr=(cast.beneficiary, "fr"), en=(cast.france, "en"))
    project = cast.to("call_open")
    due = session.scalar(
        select(Deadline).where(Deadline.project_id == project.id, Deadline.key == "proposals_due")
    )
    clock.set(due.due_at - timedelta(days=14))
    # The pass runs in French, as if a French user's request had caused it: no matter.
    with speaking("fr"):
        run_pass(session, clock, pass_settings)
    link = f"http://twinflow.test/projects/{project.id}"

    [french] = _reminders(smtp_server, cast.beneficiary.email)
    assert f"Ouvrir dans twinflow : {link}" in _plain(french)
    assert '<html lang="fr">' in _html(french) and "Ouvrir dans twinflow</a>" in _html(french)
    assert "Open in twinflow" not in _plain(french) + _html(french)
    assert "résumé quotidien" in _html(french)
    assert "Rappel :" in french["Subject"]

    for english_reader in (cast.france, cast.germany):  # chose English / chose nothing
        [english] = _reminders(smtp_server, english_reader.email)
        assert f"Open in twinflow: {link}" in _plain(english)
        assert "Reminder:" in english["Subject"]
        assert '<html lang="en">' in _html(english) and "Ouvrir" not in _html(english)

    # The reminders' de-duplication holds across languages: a second pass tells nobody again.
    run_pass(session, clock, pass_settings)
    assert len(_reminders(smtp_server, cast.beneficiary.email)) == 1
    assert len(_reminders(smtp_server, cast.france.email)) == 1


def test_a_notice_to_a_projects_parties_is_worded_in_each_readers_language(
    make, session, clock, pass_settings, smtp_server
):
    """The fan-out written by the database (INSERT ... SELECT) picks each reader's wording."""
    cast = Cast(make)
    _choose(session, fr=(cast.beneficiary, "fr"), en=(cast.coordinator, "en"))
    project = cast.project
    with speaking("fr"):  # the request of a French actor
        notify_parties(
            session,
            project,
            ["beneficiary", "coordinator"],
            None,
            kind="test_notice",
            key="language-test",
            now=clock.now(),
            subject=lambda: gettext("Audit log"),
            body=lambda: gettext("No new notifications."),
        )
    session.commit()
    told = dict(
        session.execute(
            select(Notification.user_id, Notification.subject).where(
                Notification.kind == "test_notice"
            )
        ).all()
    )
    assert told == {cast.beneficiary.id: "Journal d’audit", cast.coordinator.id: "Audit log"}

    run_pass(session, clock, pass_settings)
    [french] = smtp_server.to(cast.beneficiary.email)
    assert french["Subject"] == "Journal d’audit"
    assert "Aucune nouvelle notification." in _plain(french)
    [english] = smtp_server.to(cast.coordinator.email)
    assert english["Subject"] == "Audit log" and "No new notifications." in _plain(english)


def test_a_french_administrators_daily_digest_is_in_french_with_its_audit_checkpoint(
    make, session, clock, pass_settings, smtp_server, tmp_path
):
    cast = Cast(make)
    second_admin = make.user("admin")
    for admin in (cast.admin, second_admin):
        admin.digest_enabled = True
    _choose(session, fr=(cast.admin, "fr"))
    # The next local 07:00 (Brussels; the test clock starts at 09:00 UTC on a Monday).
    clock.set(clock.now().replace(hour=6, minute=5) + timedelta(days=1))
    run_pass(session, clock, pass_settings)

    [french] = smtp_server.to(cast.admin.email)
    assert french["Subject"] == "Résumé quotidien twinflow : 0 notification"
    text = _plain(french)
    assert "Vos notifications twinflow jusqu’au mardi" in text
    assert "Point de contrôle de la piste d’audit" in text and '"sig"' in text
    assert "Audit trail" not in text

    [english] = smtp_server.to(second_admin.email)
    assert english["Subject"] == "twinflow daily digest: 0 notification(s)"
    assert "Your twinflow notifications until Tuesday" in _plain(english)
    assert "Audit trail checkpoint" in _plain(english)
