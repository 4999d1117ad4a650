"""The public project page and the portfolio in a real browser: a coordinator files the
project, adds an image and marks it public; a visitor sees the filing, the Leaflet map of the
countries drawn from the app's own Natural Earth shapes, and the image. The portfolio's charts
are drawn by the vendored Chart.js."""

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from twinflow.projects.models import Project

pytestmark = pytest.mark.browser

TITLE = "Strengthening the penitentiary and probation system"


def test_a_visitor_sees_the_map_and_the_image_a_coordinator_made_public(
    person, session, backend, tmp_path
):
    project_id = session.scalar(select(Project.id).where(Project.title == TITLE))
    photo = tmp_path / "kick-off.png"
    Image.new("RGB", (900, 600), (37, 99, 235)).save(photo)

    coordinator = person("delegation.ge@twinflow.demo")
    page = coordinator.go(f"/projects/{project_id}/gallery")
    page.get_by_label("Priority area").select_option(label="Stronger governance")
    subsector = "Stronger governance: Justice and rule of law"
    page.get_by_label("Subsector").select_option(label=subsector)
    page.get_by_label("Topic").fill("Probation and prison reform")
    page.get_by_role("button", name="Save the filing").click()
    expect(page.get_by_text("The public page's filing is saved.")).to_be_visible()
    page.get_by_label("Image (JPEG, PNG or WebP)").set_input_files(str(photo))
    page.get_by_label("Caption").fill("Kick-off meeting in Tbilisi")
    page.get_by_role("button", name="Add the image").click()
    expect(page.get_by_text("it is not public until a coordinator says so")).to_be_visible()
    page.get_by_role("button", name="Show on the public page").click()
    expect(page.get_by_text("is shown on the public page")).to_be_visible()

    visitor = person()
    page = visitor.go(f"/public/projects/{project_id}")
    expect(page.get_by_test_id("priority-area")).to_contain_text("Stronger governance")
    expect(page.get_by_test_id("subsector")).to_contain_text("Justice and rule of law")
    expect(page.get_by_test_id("topic")).to_contain_text("Probation and prison reform")
    expect(page.get_by_test_id("beneficiary-country")).to_contain_text("Georgia")
    expect(page.get_by_test_id("lead-member-state")).to_contain_text(
        "France — Ministère de la Justice"
    )
    # Leaflet drew the world from the served shapes, the project's countries in their part.
    expect(page.locator("#project-map.rendered")).to_be_visible()
    assert page.locator("#project-map .leaflet-overlay-pane path.country-beneficiary").count() >= 1
    assert page.locator("#project-map .leaflet-overlay-pane path.country-lead").count() >= 1
    assert page.locator("#project-map path.country-other").count() > 100
    assert page.locator("#project-map .leaflet-tile").count() == 0  # no tile server
    image = page.get_by_role("img", name="Kick-off meeting in Tbilisi")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 480
    visitor.screenshot("public-project.png", backend)


def test_a_coordinator_reads_the_portfolio_charts(person, backend):
    me = person("delegation@twinflow.demo")
    page = me.page
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    for name in ("stages", "stage_times", "timeline"):
        expect(page.locator(f".chart.rendered #chart-{name}")).to_be_attached()
    drawn = page.locator("#chart-stages").evaluate("c => c.chart.data.datasets[0].data")
    assert sum(drawn) > 0
    page.get_by_text("Projects by stage: the figures").click()
    expect(page.get_by_test_id("table-stages")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("csv-stages").click()
    assert download.value.suggested_filename == "portfolio-stages.csv"
    me.screenshot("portfolio.png", backend)
