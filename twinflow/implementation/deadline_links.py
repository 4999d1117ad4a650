"""Where implementation records meet the deadlines: a submitted report or a held steering
committee meets its deadline; a moved end date moves the deadlines that hang on it."""

from datetime import datetime

from sqlalchemy.orm import Session

from twinflow.deadlines import operations as deadlines
from twinflow.workflow.errors import NotFound

follow_project_dates = deadlines.follow_project_dates


def record_deadline_met(session: Session, project_id: int, key: str, now: datetime) -> int:
    """Meets the open deadline `key` (e.g. "interim_report#3"); returns 1, or 0 when none was
    open (already met by an earlier submission, or never scheduled)."""
    try:
        deadlines.record_deadline_met(session, project_id, key, now=now)
    except NotFound:
        return 0
    return 1
