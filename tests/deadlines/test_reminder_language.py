"""A reminder is written in the language its reader chose for the pages: a French-speaking
beneficiary reads "Rappel" and "demain" while an English-speaking coordinator of the same time
zone reads "Reminder" and "tomorrow"."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.factories import Cast
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification

# Midnight in Brussels between 1 and 2 March 2027.
DUE = datetime(2027, 3, 1, 23, 0, tzinfo=UTC)


def test_each_reader_gets_the_reminder_in_the_language_they_chose(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    cast.coordinator.time_zone = cast.beneficiary.time_zone = "Europe/Brussels"
    cast.beneficiary.language = "fr"
    session.commit()
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    clock.set(DUE - timedelta(hours=4))
    make.fire(
        cast.coordinator,
        cast.project,
        "approve_fiche",
        data={"proposal_deadline": DUE.isoformat()},
    )
    run_pass(session, clock, pass_settings)
    subjects = dict(
        session.execute(
            select(Notification.user_id, Notification.subject).where(
                Notification.kind == "deadline_reminder"
            )
        ).all()
    )
    french, english = subjects[cast.beneficiary.id], subjects[cast.coordinator.id]
    assert "] Rappel : " in french and french.endswith("(demain)")
    assert "] Reminder: " in english and english.endswith("(tomorrow)")
    mailed = {m["To"]: m for m in smtp_server.messages}
    french_mail = mailed[cast.beneficiary.email].get_body(("plain",)).get_content()
    assert "est à rendre le mardi 02 mars 2027, 00:00 (Europe/Brussels), demain." in french_mail
    english_mail = mailed[cast.coordinator.email].get_body(("plain",)).get_content()
    assert "is due on Tuesday 02 March 2027, 00:00 (Europe/Brussels), tomorrow." in english_mail
