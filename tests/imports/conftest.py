"""Fixtures for imports: the sample portfolio of real historic references, an administrator, and
a helper that writes an import file (CSV text or an XLSX workbook made with openpyxl)."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.notifications.smtp_server import LoopbackSmtp
from twinflow.imports.reader import COLUMNS

PORTFOLIO = Path(__file__).with_name("portfolio.csv")


def csv_bytes(rows: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list], header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(**values) -> dict:
    """A minimal valid row, with the given cells."""
    return (
        {"title": "Support to the statistics office", "type": "twinning"}
        | {"beneficiary_country": "GE"}
        | values
    )


@pytest.fixture
def portfolio() -> bytes:
    return PORTFOLIO.read_bytes()


@pytest.fixture
def smtp_server():
    server = LoopbackSmtp().start()
    yield server
    server.stop()
