"""A portfolio to find things in: records imported with the pinned columns (historic
references, partial dates, Member States), a live project whose partner was selected, and a
coordinator of a Delegation that covers Georgia only."""

import csv
import io
from dataclasses import dataclass

import pytest

from tests.factories import Cast
from twinflow.imports.operations import run_import_and_commit
from twinflow.imports.reader import COLUMNS

ROWS = [
    # reference, title, type, instrument, country, institution, sector, budget, start, end,
    # lead, juniors, state
    ("MD 16 ENI AG 01 19", "Food safety controls along the value chain", "twinning", "ENI",
     "MD", "National Food Safety Agency", "AG", "1200000", "2017-Q3", "2019", "FR", "LT;RO",
     "closed"),
    ("GE 16 ENI ST 06 18", "Capacities of the National Statistics Office", "twinning", "ENI",
     "GE", "National Statistics Office of Georgia (Geostat)", "ST", "1500000", "2018-09",
     "2020-Q2", "SE", "FI;NL", "closed"),
    ("AZ/15/ENP/EN/43", "Water management of river basins", "twinning", "ENPI", "AZ",
     "Ministry of Ecology and Natural Resources", "EN", "", "2016", "2018", "DE", "",
     "closed"),
    ("UA/47b", "Standards for public procurement", "twinning_light", "ENPI", "UA",
     "", "FI", "250000", "", "", "", "", "closed"),
    ("GE 21 NDICI JH 02 23", "Probation service reform", "twinning", "NDICI", "GE",
     "Ministry of Justice of Georgia", "JH", "1000000", "2023-01-15", "", "", "",
     "fiche_drafting"),
]  # fmt: skip


@dataclass
class Portfolio:
    cast: Cast
    live: object  # a project driven to implementation; France its selected lead
    georgia: object  # a coordinator of the Delegation covering Georgia only


def portfolio_csv() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    keys = ("reference", "title", "type", "instrument", "beneficiary_country",
            "beneficiary_institution", "sector", "budget_eur", "start", "end",
            "lead_member_state", "junior_member_states", "state")  # fmt: skip
    for values in ROWS:
        writer.writerow(dict(zip(keys, values, strict=True)))
    return out.getvalue().encode()


@pytest.fixture
def portfolio(make) -> Portfolio:
    cast = Cast(make)
    live = cast.to("implementation")
    report = run_import_and_commit(make.session, make.engine, cast.admin, portfolio_csv())
    assert report.applied, report
    delegation = make.organisation("EU Delegation to Georgia", countries=["GE"])
    georgia = make.user("coordinator", organisation_id=delegation.id)
    return Portfolio(cast=cast, live=live, georgia=georgia)


@pytest.fixture
def as_user(app):
    """as_user(user) -> a browser signed in as that user (tests/web's)."""
    from tests.web.conftest import Browser

    return lambda user: Browser(app).sign_in(user)


@pytest.fixture
def anyone(app):
    """A browser that is not signed in."""
    from tests.web.conftest import Browser

    return Browser(app)
