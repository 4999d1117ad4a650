"""The report of a migration (workflow/migrate.py): per project, then in sum; the API's answer
and the command's output are its `as_dict()`."""

from dataclasses import dataclass, field


@dataclass
class ProjectMigration:
    """One project's plan, and after an applied run what was done."""

    project_id: int
    reference: str
    from_version: str
    to_version: str
    from_state: str
    to_state: str | None = None
    mapped_by: str | None = None  # "same_name" or "map"
    outcome: str = "would_migrate"  # would_migrate | migrated | refused
    reasons: list[str] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)
    kept: list[dict] = field(default_factory=list)
    withdrawn: list[dict] = field(default_factory=list)
    signoffs_kept: list[int] = field(default_factory=list)
    # What applying it touches (never reported as such).
    _drop: list = field(default_factory=list, repr=False)
    _rehome: list = field(default_factory=list, repr=False)
    # On hold: the state `resume` goes back to, under its name in the new version.
    _held_from: str | None = field(default=None, repr=False)
    _add_keys: list[str] = field(default_factory=list, repr=False)
    _withdraw: list = field(default_factory=list, repr=False)

    def refuse(self, reason: str) -> "ProjectMigration":
        self.outcome = "refused"
        self.reasons.append(reason)
        return self

    def as_dict(self) -> dict:
        return {
            "project_id": self.project_id,
            "reference": self.reference,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "state": {"from": self.from_state, "to": self.to_state, "mapped_by": self.mapped_by},
            "deadlines": {"added": self.added, "dropped": self.dropped, "kept": self.kept},
            "signoffs": {"withdrawn": self.withdrawn, "kept": self.signoffs_kept},
        }


@dataclass
class MigrationReport:
    workflow: str
    to_version: str
    dry_run: bool
    mapping: dict[str, str]
    projects: list[ProjectMigration] = field(default_factory=list)
    # Projects named in the request that already run the target version: nothing to do.
    already_current: list[int] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return sum(p.outcome == "refused" for p in self.projects)

    def summary(self) -> dict:
        done = "would_migrate" if self.dry_run else "migrated"
        return {
            "selected": len(self.projects),
            done: sum(p.outcome == done for p in self.projects),
            "refused": self.refused,
        }

    def as_dict(self) -> dict:
        return {
            "workflow": self.workflow,
            "to_version": self.to_version,
            "dry_run": self.dry_run,
            "map": dict(self.mapping),
            "projects": [p.as_dict() for p in self.projects],
            "already_current": list(self.already_current),
            "summary": self.summary(),
        }
