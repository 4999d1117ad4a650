"""What an import found: per row its outcome, and every error and warning by row, column,
value and reason. The same report is printed by the CLI, answered by the API, shown on the
admin page."""

from dataclasses import dataclass, field

from twinflow.i18n import gettext, lazy_gettext

STATUSES = {
    "new": lazy_gettext("would be created"),
    "created": lazy_gettext("created"),
    "unchanged": lazy_gettext("already imported, unchanged"),
    "differs": lazy_gettext("already imported; the file differs, nothing changed"),
    "invalid": lazy_gettext("invalid"),
    "skipped": lazy_gettext("invalid, skipped"),
}


@dataclass
class Note:
    row: int | None  # None: the file as a whole
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        column = f", {self.column}" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        return f"{where}{column}:{value} {self.reason}"


@dataclass
class RowOutcome:
    row: int
    status: str
    title: str = ""
    reference: str | None = None
    project_id: int | None = None


@dataclass
class ImportReport:
    filename: str
    sha256: str
    dry_run: bool
    skip_invalid: bool
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    applied: bool = False

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def ok(self) -> bool:
        """Nothing stops the run: no file error, and no invalid row unless they are skipped."""
        if any(e.row is None for e in self.errors):
            return False
        return self.skip_invalid or not self.count("invalid", "skipped")

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(status)} {label}"
            for status, label in STATUSES.items()
            if self.count(status)
        )
        if self.dry_run:
            verdict = gettext("dry run: nothing was written")
        elif self.applied:
            verdict = gettext("applied")
        else:
            verdict = gettext(
                "not applied: nothing was written (fix the errors, or --skip-invalid)"
            )
        return gettext(
            "%(file)s: %(rows)s row(s): %(counts)s; %(errors)s error(s), "
            "%(warnings)s warning(s); %(verdict)s",
            file=self.filename,
            rows=len(self.rows),
            counts=counts or gettext("none"),
            errors=len(self.errors),
            warnings=len(self.warnings),
            verdict=verdict,
        )

    def as_dict(self) -> dict:
        return {
            "file": self.filename,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "applied": self.applied,
            "summary": self.summary(),
            "counts": {status: self.count(status) for status in STATUSES},
            "rows": [
                {
                    "row": r.row,
                    "status": r.status,
                    "title": r.title,
                    "reference": r.reference,
                    "project_id": r.project_id,
                }
                for r in self.rows
            ],
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }

    def text(self) -> str:
        lines = [self.summary()]
        lines += [f"error: {e}" for e in self.errors]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)
