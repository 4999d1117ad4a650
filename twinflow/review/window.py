"""The review mission's window: `rules.after_end_months: {min, max}` of its workflow file
(6 to 12 months by default) counted from the project's implementation end."""

from datetime import datetime

from twinflow.deadlines.models import Deadline
from twinflow.deadlines.schedule import first_alert
from twinflow.workflow.durations import add_months

DEADLINE_KEY = "review_mission_report"
DEFAULT_WINDOW = (6, 12)


def window_of(project, workflow) -> tuple[datetime, datetime] | None:
    end = project.implementation_end
    if end is None:
        return None
    low, high = workflow.rules.after_end_months or DEFAULT_WINDOW
    return add_months(end, low), add_months(end, high)


def open_window(session, project, workflow, mission, now) -> None:
    window = window_of(project, workflow)
    if window is None:
        return
    mission.window_opens, mission.window_closes = window
    deadline = Deadline(
        project_id=project.id,
        key=f"{DEADLINE_KEY}#{mission.id}",
        title=f"Review mission report ({mission.title})",
        set_in_state=project.state,
        met_on="record",
        due_at=window[1],
        status="open",
        reminder_offsets_days=[30, 7],
        notify_parties=["coordinator"],
        escalate_every_days=14,
        alerts_sent=0,
        created_at=now,
    )
    deadline.next_alert_at = first_alert(deadline, now)
    session.add(deadline)
