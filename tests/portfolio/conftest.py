"""A small portfolio whose figures were worked out by hand (see `World`)."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.api.conftest import ApiClient
from tests.web.conftest import Browser
from twinflow.deadlines.models import Deadline


@dataclass
class World:
    """Three projects moved through the fiche on known days (offsets from the start):

    day 0  A (Georgia, JH) and B (Armenia, FI) created      day 1   C (Georgia, JH) created
    day 10 A submitted      day 14 A returned      day 20 A and B submitted
    day 22 B returned       day 31 C submitted

    Ended stays, in days: fiche drafting A 10, A 6, B 20, C 30; fiche review A 4, B 2.
    Now: A and C in fiche review, B in fiche drafting. Georgia is covered by the EU
    Delegation to Georgia, Armenia by no organisation."""

    a: object
    b: object
    c: object
    admin: object
    hq: object  # a coordinator of the headquarters (every country)
    georgia: object  # a coordinator of the Delegation to Georgia


@pytest.fixture
def world(make, session, clock) -> World:
    start = clock.now()
    delegation = make.organisation("EU Delegation to Georgia", countries=["GE"])
    hq = make.user("coordinator")
    georgia = make.user("coordinator", organisation_id=delegation.id)
    admin = make.user("admin")
    ge = make.user("beneficiary", country="GE", organisation="Ministry of Justice of Georgia")
    am = make.user("beneficiary", country="AM", organisation="Ministry of Finance of Armenia")

    def on(day):
        clock.set(start + timedelta(days=day))

    a = make.project(ge, title="A: courts", sector="JH")
    b = make.project(am, title="B: taxes", sector="FI")
    on(1)
    c = make.project(ge, title="C: prisons", sector="JH")
    on(10)
    make.fire(ge, a, "submit_fiche")
    on(14)
    make.fire(hq, a, "return_fiche", comment="Add the indicators.")
    on(20)
    make.fire(ge, a, "submit_fiche")
    make.fire(am, b, "submit_fiche")
    on(22)
    make.fire(hq, b, "return_fiche", comment="Budget lines missing.")
    on(31)
    make.fire(ge, c, "submit_fiche")
    # The timeline reads the stated dates: A at a quarter to a month, B from a day, open.
    a.start_on, a.start_precision = date(2017, 7, 1), "quarter"
    a.end_on, a.end_precision = date(2019, 9, 1), "month"
    b.start_on, b.start_precision = date(2018, 1, 15), "day"
    now = clock.now()
    for project, key, title, due_days, status in (
        (a, "interim_report", "Interim report due", -3, "open"),
        (c, "interim_report", "Interim report due", -1, "open"),
        (b, "final_report", "Final report due", -5, "open"),
        (a, "final_report", "Final report due", 2, "open"),  # not yet due
        (c, "final_report", "Final report due", -9, "met"),  # done
    ):
        session.add(
            Deadline(
                project_id=project.id,
                key=key,
                title=title,
                set_in_state=project.state,
                due_at=now + timedelta(days=due_days),
                status=status,
                created_at=now,
            )
        )
    session.commit()
    return World(a, b, c, admin, hq, georgia)


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


@pytest.fixture
def as_user(app):
    return lambda user: Browser(app).sign_in(user)
