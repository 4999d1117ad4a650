"""Runs one scheduler pass in its own process and kills itself with SIGKILL at a chosen step,
as a machine losing power would: no cleanup, no rollback, no goodbye to the SMTP server.

    python -m tests.notifications.crashing_pass DB_URL SMTP_PORT NOW_ISO STEP COUNT
"""

import os
import signal
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from config import TestingConfig
from twinflow import models  # noqa: F401 - every table known to the ORM
from twinflow.audit.keys import engine_options
from twinflow.clock import FrozenClock
from twinflow.deadlines.scheduler import PassSettings, run_pass
from twinflow.notifications.smtp import SmtpSettings


def main(db_url: str, smtp_port: str, now: str, step: str, count: str) -> None:
    seen = 0

    def hook(name: str) -> None:
        nonlocal seen
        if name == step:
            seen += 1
            if seen == int(count):
                os.kill(os.getpid(), signal.SIGKILL)

    settings = PassSettings(
        base_url="http://twinflow.test",
        smtp=SmtpSettings(
            host="127.0.0.1", port=int(smtp_port), mail_from="twinflow@twinflow.test", timeout=5
        ),
        timezone=ZoneInfo("UTC"),
    )
    engine = create_engine(db_url, execution_options=engine_options(TestingConfig.AUDIT_KEY))
    with Session(engine) as session:
        run_pass(session, FrozenClock(datetime.fromisoformat(now)), settings, step_hook=hook)
    sys.exit(3)  # reaching here means the kill never happened


if __name__ == "__main__":
    main(*sys.argv[1:])
