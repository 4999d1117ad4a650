"""What differs between the things the engine moves: a project, or a record of one (a report, a
side letter...). The engine's one path (engine.py) asks its subject how to lock and load it,
which definition drives it, who has had a hand in it, how its moves and consents are written
to the audit trail and who hears of them. Everything else is the same for both kinds."""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import append_event
from twinflow.auth.permissions import named_in_notice
from twinflow.i18n import gettext as _
from twinflow.i18n.formats import all_of
from twinflow.notifications.operations import notify_parties, parties_notice
from twinflow.workflow.errors import Conflict, NotFound
from twinflow.workflow.hooks import persons_of
from twinflow.workflow.modes import under
from twinflow.workflow.parties import party_name, the_party

# record type -> model class; a model mixing in RecordMixin registers itself here.
RECORD_MODELS: dict[str, type] = {}
# The project leaders hear of every move of a record.
LEADERS = ("beneficiary", "lead_member_state")


@dataclass
class RecordTarget:
    """What a caller names to move a record: its model, its id, and the feature's check that
    the actor may see the project's records (raises NotFound/NotPermitted; returns parties)."""

    model: type
    record_id: int
    check_view: Any


class ProjectSubject:
    kind = "project"
    # A second start of a pending sign-off is refused (409): the others decide in the inbox.
    joins_pending = False
    # A project answers "not your step" (403) before "not now" (409); a record the reverse,
    # as each API has always done.
    parties_first = True

    def __init__(self, engine, session, project):
        self.engine, self.session, self.project, self.row = engine, session, project, project
        self.definition = engine.definition_of(session, project)
        self.lifecycle = self.definition
        self.type, self.id, self.round = "project", project.id, 1
        self.memo: dict = {}  # the guards' and effects' reads of this move (hooks.remembered)

    def parties(self, actor) -> list[str]:
        mine = self.engine.parties(self.session, actor, self.project)
        return mine + persons_of(
            self.session, self.project, self.definition, actor, self.engine.clock.now().date()
        )

    def unknown(self, trigger: str) -> str:
        known = ", ".join(self.definition.triggers)
        return _(
            "unknown trigger %(trigger)s; known: %(known)s", trigger=repr(trigger), known=known
        )

    def not_now(self, label: str) -> str:
        state = self.definition.states[self.project.state].label
        return _(
            "%(step)s is not possible while the project is at the stage “%(state)s”.",
            step=label,
            state=state,
        )

    def not_party(self, spec) -> str:
        return _("You may not %(step)s on this project.", step=spec.label.lower())

    def had_a_hand_in(self, actor, signoff) -> bool:
        return signoff is not None and any(d.user_id == actor.id for d in signoff.decisions)

    def check_project_state(self, label: str) -> None:
        return None

    def consented(self, actor, spec, signoff, party, comment, now) -> None:
        # The project's version (its ETag) moves: what it shows, its pending approvals, changed.
        self.engine.bump_version(self.session, self.project)
        notice = parties_notice(
            self.session,
            self.project,
            signoff.owed_parties,
            self.project.lead_member_state,
            kind="approval_requested",
            key=f"approval:{signoff.id}:requested",
            now=now,
            subject=lambda: f"[{self.project.reference}] your approval is needed: {spec.label}",
            body=lambda: (
                f"{named_in_notice(actor, signoff.owed_parties)} asks to {spec.label.lower()} "
                f"on {self.project.title}. Waiting for: {', '.join(signoff.owed_parties)}."
            ),
            link=self.engine.link(self.project),
        )
        # The notice rides in the event's statement on PostgreSQL (as a move's does).
        append_event(
            self.session,
            action="approval_requested",
            now=now,
            actor=actor,
            project_id=self.project.id,
            trigger=spec.trigger,
            data={
                "approval_id": signoff.id,
                "party": party,
                "comment": comment,
                "owed": signoff.owed_parties,
            },
            along=notice,
        )

    def moved(self, actor, spec, from_state, comment, raw_data, signoff, now, row_write=None):
        project, definition = self.project, self.definition
        audit_data = {"comment": comment, "data": raw_data or {}}
        if signoff is not None:
            audit_data["approval_id"] = signoff.id
        state = definition.states[project.state]
        parties = {p for t in definition.transitions_from(project.state) for p in t.parties}
        parties |= {p for d in state.deadlines for p in d.notify}
        parties.add("beneficiary")
        # Keyed by the project's new version (flushed already), which no other change shares.
        notice = parties_notice(
            self.session,
            project,
            parties,
            project.lead_member_state,
            kind="state_changed",
            key=f"project:{project.id}:v{project.version}",
            now=now,
            subject=lambda: f"[{project.reference}] {state.label}: {project.title}",
            body=lambda: (
                f"{named_in_notice(actor, parties)} did '{spec.label}': the project moved from "
                f"{definition.states[from_state].label} to {state.label}."
            ),
            link=self.engine.link(project),
            except_user_id=getattr(actor, "id", None),
        )
        append_event(
            self.session,
            action="transition",
            now=now,
            actor=actor,
            project_id=project.id,
            trigger=spec.trigger,
            from_state=from_state,
            to_state=project.state,
            data=audit_data,
            along=notice,
            row_write=row_write,
        )


class RecordSubject:
    kind = "record"
    # Firing a co-signed step whose sign-off is open adds the actor's signature to it.
    joins_pending = True
    parties_first = False

    def __init__(self, engine, session, project, record, parties):
        self.engine, self.session, self.project, self.row = engine, session, project, record
        self.record, self._parties = record, parties
        self.definition = under(engine.record_workflow(session, record), project.management_mode)
        self.lifecycle = engine.definition_of(session, project)
        self.type, self.id, self.round = record.record_type, record.id, record.signing_round
        self.memo: dict = {}  # the guards' and effects' reads of this move (hooks.remembered)

    @classmethod
    def load(cls, engine, session, actor, target: RecordTarget, lock):
        """The record and its project, the project row locked so that changes to its records
        queue; a record on a project the user may not see does not exist for them."""
        record = session.get(target.model, target.record_id)
        if record is None:
            raise NotFound(f"No {target.model.__name__.lower()} {target.record_id}.")
        project = lock(session, record.project_id)
        session.refresh(record)
        parties = target.check_view(session, engine, actor, project, project.id)
        return cls(engine, session, project, record, parties)

    def parties(self, actor) -> list[str]:
        return self._parties + persons_of(
            self.session, self.project, self.definition, actor, self.engine.clock.now().date()
        )

    def unknown(self, trigger: str) -> str:
        known = ", ".join(self.definition.triggers)
        return _("unknown step %(trigger)s; known: %(known)s", trigger=repr(trigger), known=known)

    def not_now(self, label: str) -> str:
        state = self.definition.label_of(self.record.state).lower()
        return _(
            "%(step)s is not possible: %(record)s is %(state)s.",
            step=label,
            record=self.record.label,
            state=state,
        )

    def not_party(self, spec) -> str:
        who = all_of(the_party(p) for p in spec.parties)
        return _("Only %(who)s may %(step)s.", who=who, step=spec.label.lower())

    def check_project_state(self, label: str) -> None:
        check_project_state(self.definition, self.project, label)

    def had_a_hand_in(self, actor, signoff) -> bool:
        """Wrote it, edited its text, or signed it in this round: such a user may not also be
        the one who approves it. Edits are read from the audit trail (`<type>_updated`)."""
        record = self.record
        signed = self.engine.signoffs_of(self.session, self.type, record.id, self.round)
        if actor.id == record.author_id or any(
            d.user_id == actor.id for s in signed for d in s.decisions
        ):
            return True
        edits = self.session.scalars(
            select(AuditEvent.data).where(
                AuditEvent.project_id == record.project_id,
                AuditEvent.action == f"{record.record_type}_updated",
                AuditEvent.actor_id == actor.id,
            )
        )
        return any(json.loads(data).get("record_id") == record.id for data in edits)

    def consented(self, actor, spec, signoff, party, comment, now) -> None:
        record, owed = self.record, signoff.owed_parties
        event = append_event(
            self.session,
            action=f"{record.record_type}_signed",
            now=now,
            actor=actor,
            project_id=self.project.id,
            data={
                "record_id": record.id,
                "number": getattr(record, "number", None),
                "step": spec.trigger,
                "party": party,
                "round": record.signing_round,
                "comment": comment,
                "owed": owed,
            },
        )
        if owed:
            self._tell(
                owed,
                actor,
                event["seq"],
                now,
                subject=lambda: (
                    f"[{self.project.reference}] your signature is needed: {record.label}"
                ),
                body=lambda: (
                    f"{actor.display_name} signed {record.label} ({spec.label.lower()}) as "
                    f"{party_name(party)}; waiting for: {', '.join(map(party_name, owed))}."
                ),
            )

    def moved(self, actor, spec, from_state, comment, raw_data, signoff, now, row_write=None):
        record, workflow = self.record, self.definition
        record.updated_at = now
        event = append_event(
            self.session,
            action=f"{record.record_type}_{spec.trigger}",
            now=now,
            actor=actor,
            project_id=self.project.id,
            data={
                "record_id": record.id,
                "number": getattr(record, "number", None),
                "from": from_state,
                "to": record.state,
                "comment": comment,
                "signed_by": signoff.approved_parties if signoff is not None else [],
            },
        )
        # Those who act next on the record, and the project leaders, hear that it moved.
        told = {p for t in workflow.transitions_from(record.state) for p in t.parties}
        self._tell(
            told | set(LEADERS),
            actor,
            event["seq"],
            now,
            subject=lambda: (
                f"[{self.project.reference}] {record.label}: {workflow.label_of(record.state)}"
            ),
            body=lambda: (
                f"{actor.display_name} did '{spec.label}': {record.label} is now "
                f"{workflow.label_of(record.state).lower()}."
                + (f" Comment: {comment}" if comment else "")
            ),
        )

    def _tell(self, parties, actor, seq, now, subject, body) -> None:
        notify_parties(
            self.session,
            self.project,
            parties,
            self.project.lead_member_state,
            kind="record_changed",
            key=f"audit:{seq}",
            now=now,
            subject=subject,
            body=body,
            link=self.engine.link(self.project),
            except_user_id=actor.id,
        )


def stages(states) -> str:
    """["implementation", "suspended"] -> '“Implementation” or “Suspended”' (a stage's label is
    its name in words; a message must not read "while the project is in suspended")."""
    names = [f"“{s.replace('_', ' ').capitalize()}”" for s in states]
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def check_project_state(workflow, project, what: str) -> None:
    """A record moves only while its project is in one of its workflow's project states."""
    if project.state not in workflow.project_states:
        raise Conflict(
            f"{what} is possible only while the project is at the stage "
            f"{stages(workflow.project_states)}; it is at the stage {stages([project.state])}.",
            {"project_state": project.state},
        )
