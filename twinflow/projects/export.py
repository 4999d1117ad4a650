"""CSV and XLSX exports of a project list (the web's and the API's), streamed: rows are read
from the database in batches, CSV goes out line by line from a generator, XLSX is written by
openpyxl's write-only mode into a temporary file that is then sent in chunks."""

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select

from twinflow.extensions import db
from twinflow.proposals.models import Proposal
from twinflow.reference import reference_for

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_RESPONSE = {"type": "string", "format": "binary"}
BATCH = 500
COLUMNS = (
    "Reference",
    "Title",
    "Type",
    "Instrument",
    "Beneficiary country",
    "Beneficiary institution",
    "Sector",
    "State",
    "Lead Member State",
    "Junior Member States",
    "Start",
    "End",
    "Budget (EUR)",
    "Implementation months",
    "Total months",
    "Last change",
)


def rows(query, engine) -> Iterator[list]:
    """The header, then one row per project of `query` in its order: labels in words, the
    reference as stated, dates at their precision, the budget as a number."""
    reference = reference_for(engine)
    registry = engine.registry
    yield list(COLUMNS)
    batch = []
    for project in db.session.scalars(query.execution_options(yield_per=BATCH)):
        batch.append(project)
        if len(batch) == BATCH:
            yield from _rows(batch, reference, registry)
            batch = []
    yield from _rows(batch, reference, registry)


def _rows(projects, reference, registry) -> Iterator[list]:
    juniors = _selected_juniors([p.id for p in projects if p.lead_member_state])
    for p in projects:
        try:
            definition = registry.current(p.workflow)
            kind, state = definition.title, definition.label_of(p.state)
        except KeyError:  # a type or state the current definitions dropped
            kind, state = p.workflow, p.state.replace("_", " ").capitalize()
        partners = juniors.get(p.id, p.junior_member_states or [])
        yield [
            p.reference,
            p.title,
            kind,
            reference.instrument_label(p.instrument),
            reference.country_name(p.beneficiary_country),
            p.beneficiary_institution or "",
            reference.sector_label(p.sector),
            state,
            reference.country_name(p.lead_member_state) if p.lead_member_state else "",
            ", ".join(reference.country_name(c) for c in partners),
            _display(p.start_display, p.implementation_start),
            _display(p.end_display, p.implementation_end),
            p.budget_eur,
            p.implementation_months,
            p.total_months,
            p.state_changed_at.astimezone(UTC).replace(tzinfo=None),
        ]


def _display(stated: str | None, moment: datetime | None) -> str:
    """A date as the source states it, else the day of the live project's event."""
    if stated:
        return stated
    return f"{moment:%-d %b %Y}" if moment else ""


def _selected_juniors(project_ids: list[int]) -> dict[int, list[str]]:
    """A live project's juniors are on its selected proposal (known once selection applied:
    only projects with a lead are asked)."""
    if not project_ids:
        return {}
    found = db.session.execute(
        select(Proposal.project_id, Proposal.junior_member_states).where(
            Proposal.project_id.in_(project_ids), Proposal.is_selected.is_(True)
        )
    )
    return {project_id: list(codes or []) for project_id, codes in found}


def export_response(query, file_format: str, engine) -> Response:
    """The response carrying the export of `query` as `csv` or `xlsx`."""
    name = f"projects-{datetime.now(UTC):%Y%m%d-%H%M}.{file_format}"
    if file_format == "xlsx":
        return _xlsx(query, engine, name)
    body = stream_with_context(_csv(query, engine))
    response = Response(body, mimetype=f"{CSV_TYPE}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv(query, engine) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # a byte-order mark: spreadsheet programs then read the file as UTF-8
    for row in rows(query, engine):
        writer.writerow([_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _cell(value) -> str:
    """A text cell that a spreadsheet would read as a formula is quoted with an apostrophe
    (CSV injection: "=HYPERLINK(...)" in a title stays text)."""
    if value is None:
        return ""
    text = f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _xlsx(query, engine, name: str) -> Response:
    """openpyxl's write-only workbook keeps rows on disk, not in memory; the finished file
    is sent from a temporary file in chunks, closed (and so removed) once sent."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Projects")
    for row in rows(query, engine):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _chunks when sent
    book.save(spool)
    size = spool.tell()
    spool.seek(0)
    response = Response(_chunks(spool), mimetype=XLSX_TYPE)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _chunks(spool, size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := spool.read(size):
            yield chunk
    finally:
        spool.close()


def _xlsx_cell(sheet, value):
    # openpyxl reads a text starting with "=" as a formula: a title stays text.
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell
