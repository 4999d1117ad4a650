"""The import page in a real browser: an administrator uploads the portfolio, reads the
dry-run report, applies it, and finds a project by its historic reference."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from twinflow.projects.models import Project

pytestmark = pytest.mark.browser

PORTFOLIO = Path(__file__).resolve().parents[1] / "imports" / "portfolio.csv"


def test_an_administrator_checks_the_file_then_applies_the_import(person, session, backend):
    before = session.scalar(select(func.count(Project.id)))
    me = person("admin@twinflow.demo")
    page = me.page
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import projects")).to_be_visible()
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(PORTFOLIO))
    page.get_by_test_id("dry-run").click()
    expect(page.get_by_role("heading", name="Dry run: nothing was written yet")).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_contain_text("30 would be created")
    expect(page.get_by_test_id("import-rows")).to_contain_text("TW JO/12/ENP/OT/20")
    expect(page.get_by_test_id("import-warnings")).to_contain_text("call_open")
    me.screenshot("import-report.png", backend)
    assert session.scalar(select(func.count(Project.id))) == before

    page.get_by_test_id("apply-import").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_contain_text("30 created")
    session.expire_all()
    assert session.scalar(select(func.count(Project.id))) == before + 30

    page.get_by_role("link", name="KS 09 IB JH 01").click()
    expect(page.get_by_role("heading", name=re.compile("Kosovo Police"))).to_be_visible()
