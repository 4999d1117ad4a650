"""Reminders count days on the reader's own calendar: "in 4 hours" the same day, "tomorrow"
the next calendar day (even four minutes before it is due), "in 3 days" after."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import Cast
from twinflow.deadlines.scheduler import run_pass
from twinflow.deadlines.wording import relative_due, zone
from twinflow.notifications.models import Notification

BRUSSELS, NEW_YORK, TOKYO = zone("Europe/Brussels"), zone("America/New_York"), zone("Asia/Tokyo")
# 23:00 UTC on 1 March 2027: midnight in Brussels (UTC+1), 18:00 in New York (UTC-5), and
# 08:00 on 2 March in Tokyo (UTC+9).
DUE = datetime(2027, 3, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before", "tz", "words"),
    [
        (timedelta(minutes=4), BRUSSELS, "tomorrow"),  # 23:56 on the 1st, due at 00:00
        (timedelta(minutes=4), NEW_YORK, "in 4 minutes"),  # 17:56, due at 18:00
        (timedelta(minutes=4), TOKYO, "in 4 minutes"),  # 07:56 on the 2nd, due at 08:00
        (timedelta(hours=4), NEW_YORK, "in 4 hours"),
        (timedelta(hours=4), BRUSSELS, "tomorrow"),  # 20:00 on the 1st, due at 00:00
        (timedelta(hours=10), TOKYO, "tomorrow"),  # 22:00 on the 1st, due at 08:00
        (timedelta(hours=17), NEW_YORK, "in 17 hours"),  # 01:00 the same day
        (timedelta(days=3), BRUSSELS, "in 3 days"),
        (timedelta(days=2, hours=20), NEW_YORK, "in 3 days"),  # 22:00 three evenings before
        (timedelta(0), TOKYO, "now"),
        (timedelta(seconds=-1), BRUSSELS, "now overdue"),
    ],
)
def test_days_are_counted_on_the_readers_calendar(before, tz, words):
    assert relative_due(DUE, DUE - before, tz) == words


def test_an_unknown_zone_reads_as_brussels_rather_than_failing():
    assert zone("Mars/Olympus_Mons").key == "Europe/Brussels"
    assert zone(None).key == "Europe/Brussels"


def test_one_reminder_is_worded_for_each_readers_time_zone(
    make, session, clock, pass_settings, smtp_server
):
    cast = Cast(make)
    cast.coordinator.time_zone = "America/New_York"
    cast.beneficiary.time_zone = "Europe/Brussels"
    session.commit()
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    clock.set(DUE - timedelta(minutes=4))
    # The call closes four minutes from now: its reminder goes out at once.
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
    assert subjects[cast.coordinator.id].endswith("Member State proposals due (in 4 minutes)")
    assert subjects[cast.beneficiary.id].endswith("Member State proposals due (tomorrow)")
    mailed = {m["To"]: m for m in smtp_server.messages}
    brussels_mail = mailed[cast.beneficiary.email].get_body(("plain",)).get_content()
    assert "Tuesday 02 March 2027, 00:00 (Europe/Brussels), tomorrow." in brussels_mail
    new_york_mail = mailed[cast.coordinator.email].get_body(("plain",)).get_content()
    assert "Monday 01 March 2027, 18:00 (America/New_York), in 4 minutes." in new_york_mail
