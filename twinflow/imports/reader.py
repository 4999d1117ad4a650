"""Reading an import file: CSV (the standard library's csv, UTF-8, comma, semicolon or tab) or
XLSX (openpyxl in read-only mode, streamed row by row), checked against the pinned columns."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from twinflow.i18n import gettext as _

# The pinned columns (issue 16): header names, any order; unknown ones are refused by name.
COLUMNS = (
    "reference",
    "title",
    "type",
    "instrument",
    "beneficiary_country",
    "beneficiary_institution",
    "sector",
    "budget_eur",
    "implementation_months",
    "total_months",
    "start",
    "end",
    "lead_member_state",
    "junior_member_states",
    "state",
    "status_note",
    "source_url",
)
REQUIRED_COLUMNS = ("title", "type", "beneficiary_country")
FORMATS = ("csv", "xlsx")
MAX_ROWS = 50_000


class FileProblem(ValueError):
    """The file as a whole cannot be read: no row is looked at."""


@dataclass
class Table:
    columns: list[str]
    rows: Iterator[tuple[int, dict]]  # (row number as a spreadsheet shows it, cells by column)


def guess_format(filename: str | None, head: bytes) -> str:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    return "xlsx" if head.startswith(b"PK\x03\x04") else "csv"


def read_table(data: bytes, fmt: str) -> Table:
    if fmt not in FORMATS:
        raise FileProblem(f"format must be one of: {', '.join(FORMATS)}")
    rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    try:
        header_number, header = next(rows)
    except StopIteration:
        raise FileProblem(_("the file is empty: the first row must name the columns")) from None
    columns = [str(cell).strip().lower() if cell is not None else "" for cell in header]
    while columns and not columns[-1]:
        columns.pop()  # trailing empty header cells (spreadsheets often carry some)
    _check_header(columns)
    return Table(columns, _records(columns, rows))


def _check_header(columns: list[str]) -> None:
    problems = []
    unknown = [c or "(empty)" for c in columns if c not in COLUMNS]
    if unknown:
        problems.append(
            _(
                "unknown column(s): %(unknown)s; the columns are: %(columns)s",
                unknown=", ".join(unknown),
                columns=", ".join(COLUMNS),
            )
        )
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if twice:
        problems.append(_("column(s) given twice: %(columns)s", columns=", ".join(twice)))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append(_("missing required column(s): %(columns)s", columns=", ".join(missing)))
    if problems:
        raise FileProblem("; ".join(problems))


def _records(columns: list[str], rows) -> Iterator[tuple[int, dict]]:
    count = 0
    for number, cells in rows:
        cells = list(cells)
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # blank lines between records are not records
        count += 1
        if count > MAX_ROWS:
            raise FileProblem(
                _("more than %(max)s rows: split the file", max=format(MAX_ROWS, ","))
            )
        extra = [c for c in cells[len(columns) :] if c not in (None, "")]
        record = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(columns)}
        if extra:
            record["_extra"] = extra
        yield number, record


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("a CSV file must be UTF-8 text (save it as CSV UTF-8)")) from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        said = _("line %(line)s: not valid CSV (%(error)s)", line=reader.line_num, error=exc)
        raise FileProblem(said) from None


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        said = _("not a readable XLSX workbook (%(error)s)", error=exc.__class__.__name__)
        raise FileProblem(said) from None
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()
