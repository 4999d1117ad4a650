"""Benchmark: importing an XLSX portfolio (`twinflow import projects`), a dry run, the applied
import and the same file again (every row matched, nothing written), on SQLite and PostgreSQL.
Not a test.

    .venv/bin/python bench/import_xlsx.py [--rows 500,2000] [--backends sqlite,postgresql]

PostgreSQL: TWINFLOW_BENCH_DATABASE_URL (or TWINFLOW_TEST_DATABASE_URL) names a server where
the user may create databases; a throwaway database is made and dropped. The rows mix every
state, each date precision, historic instruments and references in their old forms, empty
cells and the 21/24 duration form, as real portfolios do.
"""

import argparse
import io
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from bench.common import fresh_database  # noqa: E402
from twinflow.clock import FrozenClock  # noqa: E402
from twinflow.imports.reader import COLUMNS  # noqa: E402

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
COUNTRIES = ("GE", "UA", "MD", "AM", "AZ", "MA", "TN", "JO", "RS", "XK", "AL", "MK")
STATES = ("closed",) * 6 + ("final_reporting", "implementation", "work_plan", "fiche_drafting")
INSTRUMENTS = ("ENPI", "ENI", "IPA", "IPA II", "NDICI")
SECTORS = ("JH", "FI", "ST", "EN", "AG", "TP", "SO")
LEADS = ("DE", "FR", "LT", "EL", "AT", "NL", "ES")


def workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(COLUMNS))
    for i in range(rows):
        country = COUNTRIES[i % len(COUNTRIES)]
        year = 2008 + i % 16
        start = (
            f"{year}",
            f"{year}-Q{i % 4 + 1}",
            f"{year}-{i % 12 + 1:02d}",
            f"{year}-03-0{i % 9 + 1}",
        )[i % 4]
        reference = (
            f"{country} {year % 100:02d} ENI {SECTORS[i % 7]} {i:04d} {(year + 2) % 100:02d}"
            if i % 3
            else f"{country}/{year % 100:02d}/ENP/{SECTORS[i % 7]}/{i}"
        )
        values = {
            "reference": reference if i % 17 else "",
            "title": f"Strengthening institution number {i} of {country}",
            "type": "twinning_light" if i % 5 == 0 else "twinning",
            "instrument": INSTRUMENTS[i % 5] if i % 11 else "",
            "beneficiary_country": country,
            "beneficiary_institution": f"Institution {i}" if i % 7 else "",
            "sector": SECTORS[i % 7],
            "budget_eur": 1_000_000 + 1000 * i if i % 5 else 200_000,
            "implementation_months": "21/24" if i % 4 == 0 else 24,
            "total_months": "",
            "start": start,
            "end": f"{year + 2}",
            "lead_member_state": LEADS[i % 7],
            "junior_member_states": "LV;PL" if i % 2 else "",
            "state": STATES[i % len(STATES)],
            "status_note": "" if i % 3 else "From the NCP archive",
            "source_url": f"https://ncp.example/{i}",
        }
        sheet.append([values[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(url: str, data: bytes) -> dict:
    from twinflow import create_app
    from twinflow.extensions import db
    from twinflow.imports.operations import run_import

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, CLOCK=FrozenClock(NOW))
    timings = {}
    with app.app_context():
        engine = app.extensions["twinflow.engine"]
        for label, dry in (("dry run", True), ("apply", False), ("again", False)):
            started = time.perf_counter()
            report = run_import(db.session, engine, None, data, filename="bench.xlsx", dry_run=dry)
            if report.applied:
                db.session.commit()
            else:
                db.session.rollback()
            timings[label] = time.perf_counter() - started
            assert not report.errors, report.text()[:2000]
            timings[f"{label} summary"] = report.summary()
        db.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="500,2000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    pg = os.environ.get("TWINFLOW_BENCH_DATABASE_URL") or os.environ.get(
        "TWINFLOW_TEST_DATABASE_URL"
    )
    for rows in (int(n) for n in args.rows.split(",")):
        data = workbook(rows)
        for backend in args.backends.split(","):
            if backend == "postgresql" and not pg:
                print("postgresql: set TWINFLOW_TEST_DATABASE_URL")
                continue
            url, cleanup = fresh_database(backend, pg)
            try:
                t = measure(url, data)
            finally:
                cleanup()
            print(
                f"{backend:10} {rows:5} rows ({len(data) / 1024:.0f} KiB): "
                f"dry run {t['dry run']:.1f}s, apply {t['apply']:.1f}s "
                f"({rows / t['apply']:.0f} rows/s), same file again {t['again']:.1f}s"
            )
            print(f"    {t['apply summary']}")
            print(f"    {t['again summary']}")


if __name__ == "__main__":
    main()
