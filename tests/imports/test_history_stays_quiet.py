"""Imported history raises nothing: deadlines that fell before the import are recorded as
historical, and scheduler passes send no reminder, escalation, notification or e-mail for them
(issue 16: four old projects once raised 449 e-mails, weekly)."""

from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.imports.conftest import csv_bytes, row
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import PassSettings, run_pass
from twinflow.notifications.models import Notification, OutboxEmail
from twinflow.notifications.smtp import SmtpSettings
from twinflow.projects.models import Project

GEOSTAT = "National Statistics Office of Georgia"


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count(model.id)).where(*where))


def test_an_old_project_raises_no_reminder_notification_or_email_in_scheduler_passes(
    app, make, session, clock, smtp_server, tmp_path
):
    # People who would be told of a live project's deadlines.
    make.user("coordinator")
    make.user("beneficiary", country="GE", organisation=GEOSTAT)
    make.user("member_state", country="SE")
    session.commit()
    rows = [
        row(
            reference="GE 12 ENP ST 01 15",
            beneficiary_institution=GEOSTAT,
            start="2013-Q1",
            end="2015-06",
            lead_member_state="SE",
            state="final_reporting",
        ),
        row(reference="GE 16 ENI ST 06 18", beneficiary_institution=GEOSTAT, start="2018",
            end="2020", lead_member_state="SE", state="closed"),
        row(reference="GE 09 ENP ST 02", beneficiary_institution=GEOSTAT, start="2010-03",
            end="2012", lead_member_state="SE", state="implementation"),
    ]  # fmt: skip
    path = tmp_path / "old.csv"
    path.write_bytes(csv_bytes(rows))
    result = app.test_cli_runner().invoke(args=["import", "projects", str(path)])
    assert result.exit_code == 0, result.output

    reporting = session.scalars(
        select(Project).where(Project.reference == "GE 12 ENP ST 01 15")
    ).one()
    final_report = session.scalars(
        select(Deadline).where(Deadline.project_id == reporting.id, Deadline.key == "final_report")
    ).one()
    # Due three months after the end stated (June 2015): its past, not a task.
    assert final_report.status == "historical"
    assert final_report.due_at.year == 2015 and final_report.next_alert_at is None
    assert _count(session, Deadline, Deadline.status == "open", Deadline.due_at < clock.now()) == 0

    settings = PassSettings(
        base_url="http://twinflow.test",
        smtp=SmtpSettings(
            host=smtp_server.host, port=smtp_server.port, mail_from="tf@twinflow.test", timeout=5
        ),
        timezone=ZoneInfo("Europe/Brussels"),
    )
    for _week in range(3):
        outcome = run_pass(session, clock, settings)
        assert outcome.alerts.deadlines == 0 and outcome.alerts.notifications == 0
        clock.advance(days=7)
    assert _count(session, Notification) == 0
    assert _count(session, OutboxEmail) == 0
    assert smtp_server.messages == []
