"""/admin/imports: the dry-run report first, then the very file judged is applied;
/admin/reference: the reference data in use."""

import io
import re
from html import unescape

from sqlalchemy import func, select

from tests.imports.conftest import PORTFOLIO, csv_bytes, row
from tests.web.conftest import Browser
from twinflow.projects.models import Project

HIDDEN = re.compile(r'<input[^>]*name="(payload|sha256|filename|skip_invalid)"[^>]*value="([^"]*)"')


def _admin_browser(app, make, session, role="admin"):
    user = make.user(role)
    session.commit()
    return Browser(app).sign_in(user)


def _upload(browser, data: bytes, name="portfolio.csv", **extra):
    form = {"file": (io.BytesIO(data), name)} | extra
    return browser.post(
        "/admin/imports",
        data=form,
        token_from="/admin/imports",
        content_type="multipart/form-data",
    )


def _projects(session) -> int:
    return session.scalar(select(func.count(Project.id)))


def test_the_dry_run_report_comes_first_and_apply_imports_the_same_file(app, make, session):
    browser = _admin_browser(app, make, session)
    dry = _upload(browser, PORTFOLIO.read_bytes())
    page = unescape(dry.get_data(as_text=True))
    assert dry.status_code == 200
    assert "Dry run: nothing was written yet" in page
    assert "30 row(s): 30 would be created" in page
    assert "GE 16 ENI ST 06 18" in page and "TW JO/12/ENP/OT/20" in page
    assert _projects(session) == 0

    hidden = dict(HIDDEN.findall(dry.get_data(as_text=True)))
    applied = browser.post("/admin/imports/apply", data=hidden, token_from="/admin/imports")
    assert applied.status_code == 200
    assert "30 created" in unescape(applied.get_data(as_text=True))
    assert _projects(session) == 30


def test_a_file_with_errors_shows_each_and_offers_no_apply(app, make, session):
    browser = _admin_browser(app, make, session)
    data = csv_bytes([row(reference="A 1"), row(reference="A 2", start="spring 2017")])
    response = _upload(browser, data, name="bad.csv")
    page = unescape(response.get_data(as_text=True))
    assert "<td>start</td><td><code>spring 2017</code></td><td>is not a date" in page
    assert "apply-import" not in page
    assert _projects(session) == 0


def test_an_altered_file_is_not_applied(app, make, session):
    browser = _admin_browser(app, make, session)
    dry = _upload(browser, csv_bytes([row(reference="A 1")]), name="a.csv")
    hidden = dict(HIDDEN.findall(dry.get_data(as_text=True)))
    hidden["sha256"] = "0" * 64
    refused = browser.post("/admin/imports/apply", data=hidden, token_from="/admin/imports")
    assert refused.status_code == 400
    assert "not the one judged" in unescape(refused.get_data(as_text=True))
    assert _projects(session) == 0


def test_the_reference_page_lists_old_instruments_sectors_and_member_state_periods(
    app, make, session
):
    browser = _admin_browser(app, make, session, role="coordinator")
    page = unescape(browser.text("/admin/reference"))
    assert "<code>ENPI</code>" in page and "<code>PHARE</code>" in page
    assert "<code>ST</code>" in page and "Statistics" in page
    assert "<code>EL</code></td><td>Greece" in page
    assert "2020-01-31" in page  # the United Kingdom's membership ends
    assert "2013-07-01" in page  # Croatia's begins


def test_an_imported_project_page_shows_what_the_source_states_at_its_precision(app, make, session):
    browser = _admin_browser(app, make, session)
    assert app.test_cli_runner().invoke(args=["import", "projects", str(PORTFOLIO)]).exit_code == 0
    geostat = session.scalar(select(Project.id).where(Project.reference == "GE 16 ENI ST 06 18"))
    page = unescape(browser.text(f"/projects/{geostat}"))
    assert "21 of 24 months: Sep 2018 – Q2 2020" in page
    assert "Sweden (lead), Finland, Netherlands" in page
    assert "Completed; closing conference held in Tbilisi" in page
    assert "https://eu4georgia.example/projects/geostat-twinning" in page
    bank = session.scalar(select(Project.id).where(Project.reference == "GE-IMP-0001"))
    page = unescape(browser.text(f"/projects/{bank}"))
    assert "<dd>Georgia</dd>" in page  # no institution stated: none invented


def test_an_imported_closed_project_has_a_public_page_with_its_dates_and_partners(app, session):
    assert app.test_cli_runner().invoke(args=["import", "projects", str(PORTFOLIO)]).exit_code == 0
    jordan = session.scalar(select(Project.id).where(Project.reference == "TW JO/12/ENP/OT/20"))
    response = app.test_client().get(f"/public/projects/{jordan}")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "<dd>Jun 2013</dd>" in page and "<dd>Jun 2015</dd>" in page
    assert "Jordan, Greece, Spain" in page
    assert "None" not in page
