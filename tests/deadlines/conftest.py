"""Fixtures for deadlines: a loopback SMTP server and the pass settings pointing at it."""

from zoneinfo import ZoneInfo

import pytest

from tests.notifications.smtp_server import LoopbackSmtp
from twinflow.deadlines.scheduler import PassSettings
from twinflow.notifications.smtp import SmtpSettings


@pytest.fixture
def smtp_server():
    server = LoopbackSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def pass_settings(smtp_server):
    return PassSettings(
        base_url="http://twinflow.test",
        smtp=SmtpSettings(
            host=smtp_server.host,
            port=smtp_server.port,
            mail_from="twinflow@twinflow.test",
            timeout=5,
        ),
        timezone=ZoneInfo("Europe/Brussels"),
        digest_hour=7,
    )
