"""What a side letter or an addendum decides, for those who sign or approve it: each figure it
changes as it stands now beside what the change makes it, and the comments made on it so far."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_visible
from twinflow.auth.models import User
from twinflow.auth.permissions import name_for
from twinflow.i18n import gettext as _
from twinflow.team.people import member_on
from twinflow.web.labels import ACTION_LABELS
from twinflow.workflow.durations import add_months

TEAM_ROLES = ("ms_project_leader", "bc_project_leader", "rta")


def before_after(session, change, project) -> list[tuple[str, object, object]]:
    """[(figure, now, with the change)], the values raw (changes.views.change_value words
    them); once applied, as it was applied."""
    if change.applied:
        return [(name, v.get("from"), v.get("to")) for name, v in sorted(change.applied.items())]
    rows = []
    for name, value in (change.changes or {}).items():
        if name == "extend_months":
            rows += _extension(project, value)
        elif name == "budget_eur":
            now = project.budget_eur
            rows.append((name, None if now is None else str(now), value))
        elif name in TEAM_ROLES:
            current = member_on(session, project.id, name, date.max)
            rows.append((name, current.name if current else None, value))
        elif name == "rta_secondment_end":
            rta = member_on(session, project.id, "rta", date.max)
            end = rta.secondment_end if rta else None
            rows.append((name, end.isoformat() if end else None, value))
        else:  # a reallocation, a reason: nothing stands before it
            rows.append((name, None, value))
    return rows


def _extension(project, months) -> list[tuple[str, object, object]]:
    total, end = project.implementation_months, project.implementation_end
    if not isinstance(months, int) or total is None or end is None:
        return [("extend_months", None, months)]
    return [
        ("implementation_months", total, total + months),
        ("implementation_end", end.isoformat(), add_months(end, months).isoformat()),
    ]


@dataclass
class Comment:
    who: str
    at: datetime
    what: str  # the step, in words: "Side letter signed", "Side letter returned for revision"
    text: str


def comments_so_far(session, viewer, project, changes, skip_round: int | None = None):
    """{change id: [Comment]}: every comment made on each change, oldest first, from the
    audit trail (so a return's reason stays after the next decision replaces it on the
    record), in one query. `skip_round`: leave out the signatures of that signing round (the
    approval card shows them already)."""
    wanted = {(c.kind, c.id) for c in changes}
    out: dict[int, list[Comment]] = {c.id: [] for c in changes}
    if not wanted:
        return out
    kinds = {kind for kind, _ in wanted}
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.project_id == project.id,
            or_(*(AuditEvent.action.like(f"{k}\\_%", escape="\\") for k in kinds)),
        )
        .order_by(AuditEvent.seq)
    )
    found = []
    for event in events:
        data = load_data(event)
        kind = next((k for k in kinds if event.action.startswith(f"{k}_")), None)
        if (kind, data.get("record_id")) not in wanted:
            continue
        if not isinstance(data.get("comment"), str) or not data["comment"].strip():
            continue
        signed = event.action.endswith("_signed")
        if signed and skip_round is not None and data.get("round") == skip_round:
            continue
        if event_visible(viewer, project, event, data):
            found.append((event, data))
    ids = {e.actor_id for e, _ in found if e.actor_id}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    for event, data in found:
        out[data["record_id"]].append(
            Comment(
                who=name_for(viewer, users.get(event.actor_id)),
                at=event.occurred_at,
                what=ACTION_LABELS.get(event.action) or _("Comment"),
                text=data["comment"],
            )
        )
    return out
