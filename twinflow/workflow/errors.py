"""Distinct failures of the engine; every adapter maps each to one clear answer."""


class WorkflowError(Exception):
    """Base of every refusal the engine gives; `message` is safe to show to the user."""

    code = "workflow_error"

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotPermitted(WorkflowError):
    code = "not_permitted"


class NotFound(WorkflowError):
    code = "not_found"


class Conflict(WorkflowError):
    code = "conflict"


class InvalidInState(Conflict):
    """The trigger exists but not from the project's current state."""

    code = "invalid_in_state"


class StaleVersion(Conflict):
    """The caller acted on a version of the project that has since changed."""

    code = "stale_version"


class GuardFailed(WorkflowError):
    code = "guard_failed"

    def __init__(self, guard: str, reason: str):
        super().__init__(reason, {"guard": guard})
        self.guard = guard


class InvalidData(WorkflowError):
    """All field errors together: {"field": ["reason", ...]}."""

    code = "invalid_data"

    def __init__(self, errors: dict, message: str = "The data sent is not valid."):
        super().__init__(message, errors)
        self.errors = errors


class DefinitionError(Exception):
    """A lifecycle definition that cannot be used; names the file, the path inside it and why."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [
            f"{source}: {path}: {reason}" if path else f"{source}: {reason}"
            for path, reason in problems
        ]
        super().__init__("\n".join(lines))
