"""The audit trail in words beside its codes, for exports a person reads: the project's
reference, the actor's name, and the labels the lifecycle files give actions, triggers and
states. Plain Python (no Flask): the CLI, the admin page and the API share it."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.projects.models import Project

WORD_FIELDS = [
    "project_reference",
    "actor_name",
    "action_label",
    "trigger_label",
    "from_state_label",
    "to_state_label",
]


class AuditWords:
    """Looks each project and person up once per export (a trail has few of either)."""

    def __init__(self, session: Session, registry):
        self.session, self.registry = session, registry
        self._projects: dict[int, tuple[str, str]] = {}
        self._names: dict[int, str] = {}

    def of(self, event) -> dict:
        from twinflow.web.labels import ACTION_LABELS

        reference, version = self._project(event.project_id)
        definition = self._definition(version)
        return {
            "project_reference": reference,
            "actor_name": self._name(event.actor_id),
            "action_label": ACTION_LABELS.get(event.action, event.action.replace("_", " ")),
            "trigger_label": self._trigger(definition, event.trigger),
            "from_state_label": self._state(definition, event.from_state),
            "to_state_label": self._state(definition, event.to_state),
        }

    def _project(self, project_id):
        if project_id is None:
            return "", ""
        if project_id not in self._projects:
            row = self.session.execute(
                select(Project.reference, Project.workflow_version).where(Project.id == project_id)
            ).first()
            self._projects[project_id] = (row[0], row[1]) if row else ("", "")
        return self._projects[project_id]

    def _name(self, user_id):
        if user_id is None:
            return ""
        if user_id not in self._names:
            user = self.session.get(User, user_id)
            self._names[user_id] = user.display_name if user else ""
        return self._names[user_id]

    def _definition(self, version):
        try:
            return self.registry.get(version, self.session) if version else None
        except Exception:  # a version no longer stored: codes in words instead
            return None

    @staticmethod
    def _trigger(definition, trigger):
        if not trigger:
            return ""
        specs = definition.transitions_named(trigger) if definition else []
        return specs[0].label if specs else trigger.replace("_", " ").capitalize()

    @staticmethod
    def _state(definition, state):
        if not state:
            return ""
        if definition is not None and state in definition.states:
            return definition.states[state].label
        return state.replace("_", " ").capitalize()
