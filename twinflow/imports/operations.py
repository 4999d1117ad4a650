"""Importing projects: every row read and judged on its own, then (unless a dry run) the new
ones placed in their states with their dates kept, all in the caller's one transaction.

A row is matched to a project already there on its reference (spacing and punctuation
ignored), or, without one, on beneficiary country + title + start: a file imported twice
changes nothing the second time. A matched row whose values differ changes nothing either;
the report names the differences (correct them with a reason, PATCH /projects/<id>).
"""

import hashlib

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.deadlines.operations import place_imported
from twinflow.i18n import gettext as _
from twinflow.imports.reader import FileProblem, guess_format, read_table
from twinflow.imports.report import ImportReport, Note, RowOutcome
from twinflow.imports.rows import Row, read_row
from twinflow.partial_dates import PartialDate, stored
from twinflow.projects.fields import blank, shown
from twinflow.projects.models import Project
from twinflow.projects.particulars import apply_particulars, as_json, current_particulars
from twinflow.projects.references import reference_key
from twinflow.reference import reference_for
from twinflow.workflow.errors import InvalidData, NotPermitted


class ImportRefused(InvalidData):
    """The file, or a row of it without --skip-invalid: nothing was written; the details are
    the whole report (every error by row, column, value and reason)."""

    code = "import_refused"


def can_import(user) -> bool:
    """Bringing in a portfolio is an administrator's act (the CLI runs as the operator)."""
    return user is not None and getattr(user, "is_active", False) and user.role == "admin"


def run_import(
    session: Session,
    engine,
    actor,
    data: bytes,
    *,
    filename: str = "import",
    fmt: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    via: str = "api",
) -> ImportReport:
    """Reads, judges and (unless `dry_run`, or an invalid row without `skip_invalid`) applies
    the file. Flushes; the caller commits when `report.applied`, and rolls back otherwise."""
    if actor is not None and not can_import(actor):
        raise NotPermitted("Only administrators import projects.")
    report = ImportReport(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    try:
        table = read_table(data, fmt or guess_format(filename, data[:4]))
        rows = _judge(session, engine, table.rows, report)
    except FileProblem as exc:
        report.errors.insert(0, Note(None, "", "", str(exc)))
        return report
    if dry_run or not report.ok:
        return report
    now = engine.clock.now()
    engine.registry.store_current(session)
    # Projects in one flush, their deadlines in another, then one audit event each.
    taken: dict[str, int] = {}
    projects = [_project(session, actor, row, now, taken) for row in rows]
    session.add_all(projects)
    session.flush()
    deadlines = place_imported(
        session, [(p, row.definition) for p, row in zip(projects, rows, strict=True)], now
    )
    outcomes = {r.row: r for r in report.rows}
    for project, row in zip(projects, rows, strict=True):
        _audit(session, actor, project, row, now, filename, via, deadlines[project.id])
        outcome = outcomes[row.number]
        outcome.status, outcome.project_id = "created", project.id
        outcome.reference = project.reference
    session.flush()
    report.applied = True
    return report


def run_import_and_commit(session: Session, engine, actor, data: bytes, **options) -> ImportReport:
    """run_import for the adapters (CLI, web, API): commits what was applied, rolls back
    anything else (a dry run, a refused file, an error)."""
    try:
        report = run_import(session, engine, actor, data, **options)
        if report.applied:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    return report


def _judge(session, engine, records, report: ImportReport) -> list[Row]:
    """Every row judged; returns those to create. Fills the report's rows and notes."""
    reference = reference_for(engine)
    seen_keys: dict[str, int] = {}
    seen_natural: dict[tuple, int] = {}
    to_create = []
    read = [
        (number, cells, *read_row(number, cells, reference, engine.registry))
        for number, cells in records
    ]
    existing = _Existing(session, [row.values for *_, row in read if row is not None])
    for number, cells, errors, row in read:
        outcome = RowOutcome(number, "new", shown(cells.get("title")).strip())
        report.rows.append(outcome)
        if row is not None:
            outcome.reference = row.values.get("reference")
            natural = _natural_key(row.values)
            key = reference_key(outcome.reference) if outcome.reference else None
            first = seen_keys.get(key) if key else seen_natural.get(natural)
            if first is not None:
                errors.append(
                    Note(
                        number,
                        "reference" if key else "title",
                        outcome.reference or outcome.title,
                        _("the same project as row %(row)s", row=first),
                    )
                )
            elif key:
                seen_keys[key] = number
            else:
                seen_natural[natural] = number
        if errors:
            outcome.status = "skipped" if report.skip_invalid else "invalid"
            report.errors += errors
            continue
        report.warnings += row.warnings
        match = existing.match(row.values)
        if match is None:
            to_create.append(row)
            continue
        outcome.project_id, outcome.reference = match.id, match.reference
        differences = _differences(match, row)
        outcome.status = "differs" if differences else "unchanged"
        report.warnings += differences
    return to_create


def _natural_key(values: dict) -> tuple:
    start = values.get("start")
    return (
        values.get("beneficiary_country"),
        (values.get("title") or "").casefold(),
        start.text if isinstance(start, PartialDate) else None,
    )


class _Existing:
    """The projects the rows may name, read in a few queries (not one per row): by reference
    key, else by beneficiary country, title (case aside) and start."""

    CHUNK = 500

    def __init__(self, session: Session, rows: list[dict]):
        keys = sorted({reference_key(v["reference"]) for v in rows if v.get("reference")})
        # As written, and in lower case (SQLite's lower() leaves "É" as it is).
        titles = sorted({t for v in rows if not v.get("reference") for t in _spellings(v["title"])})
        self.by_key: dict[str, Project] = {}
        self.by_natural: dict[tuple, Project] = {}
        for chunk in _chunks(keys, self.CHUNK):
            for project in session.scalars(select(Project).where(Project.reference_key.in_(chunk))):
                self.by_key[project.reference_key] = project
        for chunk in _chunks(titles, self.CHUNK):
            query = select(Project).where(
                or_(Project.title.in_(chunk), func.lower(Project.title).in_(chunk))
            )
            for project in session.scalars(query.order_by(Project.id.desc())):
                start = stored(project.start_on, project.start_precision)
                natural = (
                    project.beneficiary_country,
                    project.title.casefold(),
                    start.text if start else None,
                )
                self.by_natural[natural] = project  # the oldest wins: ids descending

    def match(self, values: dict) -> Project | None:
        if values.get("reference"):
            return self.by_key.get(reference_key(values["reference"]))
        return self.by_natural.get(_natural_key(values))


def _spellings(title: str) -> tuple[str, ...]:
    return (title, title.lower())


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _differences(project: Project, row: Row) -> list[Note]:
    """What the file states that the stored project does not (stated values only: an empty
    cell never counts against a value completed since)."""
    stored = current_particulars(project) | {"type": project.workflow, "state": project.state}
    stated = {k: v for k, v in row.values.items() if not blank(row.cells.get(k))}
    stated["type"] = row.definition.name
    if not blank(row.cells.get("state")):
        stated["state"] = row.state
    notes = []
    for name, value in stated.items():
        if as_json(stored.get(name)) != as_json(value):
            notes.append(
                Note(
                    row.number,
                    name,
                    shown(row.cells.get(name)),
                    _(
                        "project %(id)s (%(reference)s) has %(value)s: not changed by an import; "
                        "correct it with a reason (PATCH /api/v1/projects/<id>)",
                        id=project.id,
                        reference=project.reference,
                        value=repr(as_json(stored.get(name))),
                    ),
                )
            )
    return notes


def _placeholder_reference(session: Session, country: str, taken: dict[str, int]) -> str:
    """An imported record with no reference gets one that says so: never today's form, which
    would pass for a real reference. `taken`: the last number per country in this run."""
    prefix = f"{country}-IMP-"
    if country not in taken:
        # The highest number in use (a corrected placeholder leaves a gap, never a clash).
        used = session.scalars(
            select(Project.reference).where(Project.reference.like(f"{prefix}%"))
        )
        taken[country] = max(
            (
                int(r[len(prefix) :])
                for r in used
                if r[len(prefix) :].isascii() and r[len(prefix) :].isdigit()
            ),
            default=0,
        )
    taken[country] += 1
    return f"{prefix}{taken[country]:04d}"


def _project(session, actor, row: Row, now, taken) -> Project:
    definition = row.definition
    values = dict(row.values)
    if not values.get("reference"):
        values["reference"] = _placeholder_reference(session, values["beneficiary_country"], taken)
    project = Project(
        title=values["title"],
        description="",
        workflow=definition.name,
        workflow_version=definition.version,
        state=row.state,
        beneficiary_country=values["beneficiary_country"],
        created_at=now,
        created_by_id=actor.id if actor is not None else None,
        state_changed_at=now,
        imported_at=now,
        recirculation_count=0,
        junior_member_states=[],
    )
    apply_particulars(project, values)
    if row.held_from is not None:
        project.held_from, project.held_since = row.held_from, now
    return project


def _audit(session, actor, project, row: Row, now, filename, via, deadlines) -> None:
    append_event(
        session,
        action="imported",
        now=now,
        actor=actor,
        project_id=project.id,
        to_state=project.state,
        data={
            "file": filename,
            "via": via,
            "row": row.number,
            "values": {
                name: shown(row.cells.get(name)) for name in row.cells if not name.startswith("_")
            },
            "reference_given": bool(row.values.get("reference")),
            "warnings": [w.as_dict() for w in row.warnings],
            "deadlines": {"open": deadlines[0], "historical": deadlines[1]},
        },
    )
