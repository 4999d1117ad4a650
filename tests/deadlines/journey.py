"""Walks a project one stage at a time (tests.factories.Cast always starts from the beginning)
and runs scheduler passes at every alert moment in between, like a scheduler that never
sleeps through an alert."""

from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.deadlines.scheduler import run_pass
from twinflow.notifications.models import Notification


class Journey:
    def __init__(self, make, workflow: str, settings):
        self.cast = Cast(make, workflow)
        self.make, self.settings = make, settings
        self.session, self.clock = make.session, make.clock
        self.project = self.cast.project

    def enter(self, stage: str):
        c, make, p = self.cast, self.make, self.project
        if stage == "call_open":
            make.fire(c.beneficiary, p, "submit_fiche")
            make.fire(c.coordinator, p, "approve_fiche")
            c.proposal = make.proposal(c.france, p)
        elif stage == "selection":
            make.fire(c.coordinator, p, "close_call")
        elif stage == "work_plan":
            make.select(c.coordinator, p, c.proposal)
            result = make.fire(c.beneficiary, p, "select_partner")
            make.engine.decide(self.session, c.coordinator, result.approval.id, "approve")
            c.name_team()
        elif stage == "contracting":
            make.fire(c.beneficiary, p, "submit_contract")
        elif stage == "implementation":
            result = make.fire(c.coordinator, p, "sign_contract")
            make.engine.decide(self.session, c.france, result.approval.id, "approve")
        elif stage == "final_reporting":
            make.fire(c.coordinator, p, "end_implementation")
        elif stage == "closed":
            c.approve_interim_reports()  # closing waits for every interim report owed
            c.approve_final_report()  # and for the final report's approval
            make.fire(c.coordinator, p, "approve_final_report")
        self.session.refresh(p)
        return p

    def open_deadlines(self, state: str | None = None) -> list[Deadline]:
        query = select(Deadline).where(
            Deadline.project_id == self.project.id, Deadline.status == "open"
        )
        if state:
            query = query.where(Deadline.set_in_state == state)
        return list(self.session.scalars(query.order_by(Deadline.due_at, Deadline.id)))

    def run_until(self, until, on_pass=None) -> int:
        """Jump from alert to alert up to `until`, one pass at each; returns passes run."""
        passes = 0
        while True:
            moment = self.session.scalar(
                select(func.min(Deadline.next_alert_at)).where(Deadline.status == "open")
            )
            if moment is None or moment > until:
                break
            self.clock.set(moment)
            run_pass(self.session, self.clock, self.settings)
            passes += 1
            if on_pass:
                on_pass()
        self.clock.set(max(self.clock.now(), until))
        return passes

    def alerts(self) -> dict[int, dict[str, set[int]]]:
        """{deadline id: {alert label: {user ids told}}} from the notifications made."""
        out: dict[int, dict[str, set[int]]] = {}
        for key, user_id in self.session.execute(
            select(Notification.key, Notification.user_id).where(
                Notification.key.startswith("deadline:")
            )
        ):
            _, deadline_id, kind, number, _user, _uid = key.split(":")
            out.setdefault(int(deadline_id), {}).setdefault(f"{kind}:{number}", set()).add(user_id)
        return out


def expected_labels(deadline: Deadline, end) -> set[str]:
    """Every reminder still ahead when the deadline was set (of those whose moment had already
    come, the latest alone: a meeting due soon after a late call closes is reminded at once),
    then one escalation per interval overdue up to `end`."""
    earliest_first = sorted(set(deadline.reminder_offsets_days), reverse=True)
    come = [d for d in earliest_first if deadline.due_at - timedelta(days=d) <= deadline.created_at]
    labels = {f"reminder:{d}d" for d in earliest_first if d not in come}
    labels |= {f"reminder:{come[-1]}d"} if come else set()
    step = timedelta(days=deadline.escalate_every_days)
    k = 1
    while deadline.due_at + k * step <= end:
        labels.add(f"escalation:{k}")
        k += 1
    return labels
