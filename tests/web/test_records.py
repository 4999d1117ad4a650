"""The implementation pages: progress with bars, the activities' timeline drawn on the server,
team, reports co-signed and approved, side letters and addenda, steering meetings; refusals
explained on the page and nothing changed."""

import html
import re
from datetime import date, timedelta
from itertools import pairwise
from types import SimpleNamespace

import pytest

from tests.factories import Cast
from twinflow.activities import operations as activities
from twinflow.activities.gantt import gantt_svg
from twinflow.activities.operations import Timeline, TimelineBar
from twinflow.reports import operations as reports
from twinflow.reports.models import Report
from twinflow.results import operations as results
from twinflow.team.models import TeamMember
from twinflow.workflow.durations import add_months


def form_fields(page: str, action: str) -> dict:
    """The hidden inputs (CSRF token included) of the form posting to `action`."""
    found = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    assert found, f"no form posting to {action}"
    return dict(re.findall(r'name="([^"]+)" type="hidden" value="([^"]*)"', found.group(1)))


def submit(b, page_path: str, action: str, values: dict):
    data = form_fields(b.text(page_path), action) | values
    return b.client.post(action, data=data)


def flashes(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'class="flash flash-\w+"[^>]*>([^<]*)<', page)]


@pytest.fixture
def defined(cast, make):
    """The project at contracting, one component with a result and an indicator 0 -> 120."""
    project = cast.to("contracting")
    s, e, who = make.session, make.engine, cast.beneficiary
    component = results.add_component(s, e, who, project.id, {"title": "Probation service"})
    result = results.add_result(s, e, who, component.id, {"title": "Officers trained"})
    values = {"name": "Officers trained", "unit": "people", "baseline": 0, "target": 120}
    indicator = results.add_indicator(s, e, who, result.id, values)
    return cast, project, indicator


def test_results_are_defined_through_the_forms_while_the_contract_is_drafted(cast, as_user):
    project = cast.to("contracting")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    answer = submit(b, f"{base}/progress", f"{base}/components", {"title": "Probation service"})
    assert answer.status_code == 302
    page = b.text(f"{base}/progress")
    assert "Component 1: Probation service" in page and "Component added." in flashes(page)
    empty = submit(b, f"{base}/progress", f"{base}/components", {"title": ""})
    assert empty.status_code == 422
    assert 'id="title-err">This field is required.' in empty.get_data(as_text=True)


def test_the_progress_view_shows_each_indicator_as_a_bar_and_a_percentage(defined, as_user, clock):
    cast, project, indicator = defined
    cast.to("implementation")
    clock.advance(days=100)
    b, base = as_user(cast.france), f"/projects/{project.id}"
    action = f"{base}/indicators/{indicator.id}"
    answer = submit(b, f"{base}/progress", action, {f"i{indicator.id}-reached": "90"})
    assert answer.status_code == 302
    page = b.text(f"{base}/progress")
    row = re.search(rf'data-testid="indicator-{indicator.id}">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)', row) == ["0", "120", "90"]
    assert '<progress max="100" value="75"' in row and "75 %" in row
    assert re.search(r'data-testid="overall-percent">.*?75 %', page, re.S)
    # The project page sums it up and links to the view.
    overview = b.text(base)
    assert "Indicators, on average" in overview and f'href="{base}/progress"' in overview


def test_a_value_that_is_not_a_number_is_refused_at_its_field(defined, as_user, session):
    cast, project, indicator = defined
    cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    action = f"{base}/indicators/{indicator.id}"
    answer = submit(b, f"{base}/progress", action, {f"i{indicator.id}-reached": "lots"})
    assert answer.status_code == 422
    assert f'id="i{indicator.id}-reached-err">Not a valid decimal value.' in answer.get_data(
        as_text=True
    )
    session.refresh(indicator)
    assert indicator.reached is None


def test_a_negative_value_for_an_indicator_counting_from_zero_is_refused_at_its_field(
    defined, as_user, session
):
    cast, project, indicator = defined
    cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    action = f"{base}/indicators/{indicator.id}"
    answer = submit(b, f"{base}/progress", action, {f"i{indicator.id}-reached": "-5"})
    assert answer.status_code == 422
    said = "must not be negative: this indicator counts from 0.00 to 120.00"
    assert f'id="i{indicator.id}-reached-err">{said}' in answer.get_data(as_text=True)
    session.refresh(indicator)
    assert indicator.reached is None


def test_the_activities_timeline_is_an_svg_drawn_on_the_server_without_inline_style(
    cast, as_user, make, clock
):
    project = cast.to("implementation")
    start = project.implementation_start.date()
    for title, offset in (("Risk assessment training", 10), ("Study visit to Lyon", 60)):
        activities.plan_activity(
            make.session, make.engine, cast.beneficiary, project.id,
            {"kind": "training", "title": title, "planned_start": start + timedelta(days=offset),
             "planned_end": start + timedelta(days=offset + 4)},
        )  # fmt: skip
    clock.set(project.implementation_start + timedelta(days=30))
    b = as_user(cast.coordinator)
    for path in (f"/projects/{project.id}", f"/projects/{project.id}/activities"):
        page = b.text(path)
        svg = re.search(r'<svg class="gantt".*?</svg>', page, re.S).group(0)
        assert svg.count('class="g-planned"') == 2 and 'class="g-today"' in svg
        assert "Risk assessment training" in svg and "Study visit to Lyon" in svg
        assert "style=" not in page and "<script>" not in page


def test_planning_an_activity_that_ends_before_it_starts_is_refused_at_the_field(
    cast, as_user, session
):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    answer = submit(
        b,
        f"{base}/activities",
        f"{base}/activities",
        {
            "plan-kind": "workshop",
            "plan-title": "Kick-off",
            "plan-planned_start": "2027-06-10",
            "plan-planned_end": "2027-06-01",
        },
    )
    assert answer.status_code == 422
    assert 'id="plan-planned_end-err">must not be before planned start<' in answer.get_data(
        as_text=True
    )
    assert "No activity planned yet." in b.text(f"{base}/activities")


def test_an_rta_seconded_under_twelve_months_is_refused_with_the_reason(cast, as_user, session):
    project = cast.to("implementation")
    b, base = as_user(cast.france), f"/projects/{project.id}"
    start = project.implementation_start.date()
    members = session.query(TeamMember).count()  # the cast's leaders and RTA
    answer = submit(
        b,
        f"{base}/team",
        f"{base}/team",
        {
            "role": "rta",
            "name": "Paul Durand",
            "secondment_start": start.isoformat(),
            "secondment_end": (add_months(start, 8) - timedelta(days=1)).isoformat(),
        },
    )
    assert answer.status_code == 422
    error = re.search(r'id="secondment_end-err">([^<]*)<', answer.get_data(as_text=True))
    assert html.unescape(error.group(1)).startswith(
        "the RTA secondment must last 12 to 36 months on a Twinning project"
    )
    assert session.query(TeamMember).count() == members


def test_a_twinning_light_refuses_an_rta_on_the_team_page(make, as_user):
    light = Cast(make, workflow="twinning_light")
    project = light.to("implementation")
    b, base = as_user(light.beneficiary), f"/projects/{project.id}"
    answer = submit(b, f"{base}/team", f"{base}/team", {"role": "rta", "name": "Paul Durand"})
    assert answer.status_code == 422
    assert "a Twinning Light project has no Resident Twinning Adviser" in answer.get_data(
        as_text=True
    )


def _report_ready(cast, make, author):
    report = reports.create_report(
        make.session, make.engine, author, cast.project.id, {"kind": "interim", "number": 1}
    )
    make.clock.set(add_months(cast.project.implementation_start, 3) + timedelta(days=1))
    return report


def _step(b, project, report, trigger, comment=""):
    base = f"/projects/{project.id}"
    action = f"{base}/reports/{report.id}/steps/{trigger}"
    response = submit(b, f"{base}/reports", action, {f"s{report.id}-{trigger}-comment": comment})
    return response, b.text(f"{base}/reports") if response.status_code == 302 else None


def test_both_leaders_sign_a_report_and_a_coordinator_approves_it_on_the_page(
    cast, make, as_user, session
):
    project = cast.to("implementation")
    report = _report_ready(cast, make, cast.beneficiary)
    _, page = _step(as_user(cast.beneficiary), project, report, "submit")
    assert "waiting for: Lead Member State" in " ".join(flashes(page))
    assert "Sign and submit the report: You have signed; waiting for: Lead Member State." in page
    _, page = _step(as_user(cast.france), project, report, "submit")
    assert "Done: sign and submit the report. Interim report 1 is now submitted." in flashes(page)
    coordinator = as_user(cast.coordinator)
    _, page = _step(coordinator, project, report, "approve", "Complete.")
    state = re.search(rf'data-testid="report-state-{report.id}">([^<]*)<', page).group(1)
    assert state == "Approved"
    progress = coordinator.text(f"/projects/{project.id}/progress")
    assert re.search(r'data-testid="reports-approved">1 of 1 drafted<', progress)


def test_a_report_approved_by_its_own_author_is_refused_with_a_clear_message(
    cast, make, as_user, session
):
    project = cast.to("implementation")
    report = _report_ready(cast, make, cast.coordinator)
    reports.submit_report(make.session, make.engine, cast.beneficiary, report.id)
    reports.submit_report(make.session, make.engine, cast.france, report.id)
    author = as_user(cast.coordinator)
    page = author.text(f"/projects/{project.id}/reports")
    assert (
        "Approve the report: You wrote, edited or signed it: another user must take this step."
        in page
    )
    assert f"/reports/{report.id}/steps/approve" not in page
    # The form as a stale page would still send it:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = f"/projects/{project.id}/reports/{report.id}/steps/approve"
    refused = author.client.post(action, data={f"s{report.id}-approve-csrf_token": token})
    assert refused.status_code == 403
    assert (
        "Not saved: Interim report 1 may not be approved by one who wrote, edited or signed "
        "it; another user must take this step."
    ) in flashes(refused.get_data(as_text=True))
    session.refresh(report)
    assert report.state == "submitted"


def test_returning_a_report_without_a_comment_is_refused(cast, make, as_user, session):
    project = cast.to("implementation")
    report = _report_ready(cast, make, cast.beneficiary)
    reports.submit_report(make.session, make.engine, cast.beneficiary, report.id)
    reports.submit_report(make.session, make.engine, cast.france, report.id)
    response, _ = _step(as_user(cast.coordinator), project, report, "return")
    assert response.status_code == 422
    assert "comment: a comment is required to return the report for revision" in flashes(
        response.get_data(as_text=True)
    )
    assert session.get(Report, report.id).state == "submitted"


def test_an_addendum_signed_on_the_page_moves_the_end_date(cast, make, as_user, session):
    project = cast.to("implementation")
    end = project.implementation_end
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    proposed = submit(
        b,
        f"{base}/changes",
        f"{base}/changes",
        {
            "kind": "addendum",
            "title": "Three more months",
            "justification": "The law was adopted late.",
            "extend_months": "3",
        },
    )
    assert proposed.status_code == 302
    page = b.text(f"{base}/changes")
    change_id = re.search(r'data-testid="change-(\d+)"', page).group(1)
    steps = f"{base}/changes/{change_id}/steps"
    assert submit(b, f"{base}/changes", f"{steps}/submit", {}).status_code == 302
    assert (
        submit(as_user(cast.france), f"{base}/changes", f"{steps}/approve", {}).status_code == 302
    )
    coordinator = as_user(cast.coordinator)
    assert submit(coordinator, f"{base}/changes", f"{steps}/approve", {}).status_code == 302
    page = coordinator.text(f"{base}/changes")
    applied = re.search(rf'data-testid="applied-{change_id}">(.*?)</p>', page, re.S).group(1)
    assert "Implementation (months): 24 → 27" in html.unescape(applied)
    session.refresh(project)
    assert project.implementation_end == add_months(end, 3)


def test_a_side_letter_beyond_its_limit_is_refused_at_the_field(cast, as_user):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    refused = submit(
        b,
        f"{base}/changes",
        f"{base}/changes",
        {
            "kind": "side_letter",
            "title": "Move money",
            "justification": "Needed.",
            "reallocation_eur": "900000",
        },
    )
    assert refused.status_code == 422
    error = re.search(r'id="reallocation_eur-err">([^<]*)<', refused.get_data(as_text=True))
    assert error.group(1).startswith("exceeds 15% of the budget")


def test_a_missing_steering_meeting_shows_as_overdue_until_it_is_recorded(cast, as_user, clock):
    project = cast.to("implementation")
    clock.set(add_months(project.implementation_start, 3) + timedelta(days=10))
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    page = b.text(f"{base}/steering")
    assert re.search(r'data-testid="overdue-meetings">.*?Overdue', page, re.S)
    held = (project.implementation_start + timedelta(days=45)).date().isoformat()
    answer = submit(
        b, f"{base}/steering", f"{base}/steering",
        {"held_on": held, "attendees": "Nino Beridze\nJeanne Martin", "minutes": "Plan agreed."},
    )  # fmt: skip
    assert answer.status_code == 302
    page = b.text(f"{base}/steering")
    assert "Missing meetings" not in page and "Nino Beridze, Jeanne Martin" in page


def test_records_pages_are_not_shown_to_a_member_state_that_was_not_selected(cast, as_user):
    project = cast.to("implementation")
    germany = as_user(cast.germany)
    for page in ("progress", "activities", "team", "reports", "steering", "changes"):
        response = germany.get(f"/projects/{project.id}/{page}")
        assert response.status_code == 403, page
        assert "shown to the project&#39;s parties" in response.get_data(as_text=True)
    overview = germany.text(f"/projects/{project.id}")
    assert f'href="/projects/{project.id}/progress"' not in overview
    assert f'href="/projects/{project.id}/documents"' in overview


def test_a_date_in_the_year_9999_is_refused_at_its_field_and_the_pages_still_open(cast, as_user):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    values = {"plan-kind": "workshop", "plan-title": "Kick-off"}
    values |= {"plan-planned_start": "2027-06-10", "plan-planned_end": "9999-12-20"}
    answer = submit(b, f"{base}/activities", f"{base}/activities", values)
    assert answer.status_code == 422
    assert 'id="plan-planned_end-err">must be between the years 1900 and 2200' in (
        answer.get_data(as_text=True)
    )
    for page in (base, f"{base}/activities", f"{base}/progress"):
        assert b.client.get(page).status_code == 200

    rta = {"role": "rta", "name": "Paul Durand", "secondment_start": "2027-01-01"}
    answer = submit(
        as_user(cast.france), f"{base}/team", f"{base}/team", rta | {"secondment_end": "9999-12-31"}
    )
    assert answer.status_code == 422
    assert 'id="secondment_end-err">must be between the years 1900 and 2200' in (
        answer.get_data(as_text=True)
    )


def test_an_addendum_budget_beyond_what_can_be_stored_is_refused_at_the_field(cast, as_user):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    values = {"kind": "addendum", "title": "More money", "justification": "Needed."}
    refused = submit(b, f"{base}/changes", f"{base}/changes", values | {"budget_eur": "1e40"})
    assert refused.status_code == 422
    error = re.search(r'id="budget_eur-err">([^<]*)<', refused.get_data(as_text=True))
    assert error.group(1) == "must be a positive amount in EUR, at most 999,999,999,999"


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{pid}/documents/{huge}/download",
        "/projects/{huge}/reports",
        "/projects/{huge}",
    ],
)
def test_an_id_too_large_for_the_database_is_simply_not_found(cast, as_user, path):
    b = as_user(cast.coordinator)
    response = b.client.get(path.format(pid=cast.project.id, huge=10**25))
    assert response.status_code == 404


def test_a_step_comment_too_long_is_said_at_the_top_and_nothing_changes(
    cast, make, as_user, session
):
    project = cast.to("implementation")
    report = reports.create_report(
        make.session, make.engine, cast.beneficiary, project.id, {"kind": "interim", "number": 1}
    )
    make.clock.set(add_months(project.implementation_start, 3) + timedelta(days=3))
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    action = f"{base}/reports/{report.id}/steps/submit"
    prefix = f"s{report.id}-submit-"
    refused = submit(b, f"{base}/reports", action, {f"{prefix}comment": "x" * 4001})
    assert refused.status_code == 422
    assert "Not saved: comment: Field cannot be longer than 4000 characters." in flashes(
        refused.get_data(as_text=True)
    )
    session.refresh(report)
    assert report.state == "draft"


def test_planning_an_activity_in_1901_is_refused_at_its_date_fields_and_nothing_is_planned(
    cast, as_user
):
    project = cast.to("implementation")
    start = project.implementation_start.date()
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    answer = submit(
        b,
        f"{base}/activities",
        f"{base}/activities",
        {
            "plan-kind": "workshop",
            "plan-title": "Kick-off",
            "plan-planned_start": "1901-06-01",
            "plan-planned_end": "1901-06-02",
        },
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    reason = f"is before the implementation start ({start:%Y-%m-%d})"
    assert f'id="plan-planned_start-err">{reason}<' in page
    assert f'id="plan-planned_end-err">{reason}<' in page
    assert "No activity planned yet." in b.text(f"{base}/activities")


def test_an_actual_start_before_the_implementation_start_is_refused_at_its_field(
    cast, as_user, make, clock
):
    project = cast.to("implementation")
    start = project.implementation_start.date()
    activity = activities.plan_activity(
        make.session, make.engine, cast.beneficiary, project.id,
        {"kind": "training", "title": "Risk assessment training",
         "planned_start": start + timedelta(days=5), "planned_end": start + timedelta(days=6)},
    )  # fmt: skip
    clock.set(project.implementation_start + timedelta(days=10))
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    key = f"a{activity.id}"
    answer = submit(
        b,
        f"{base}/activities",
        f"{base}/activities/{activity.id}",
        {f"{key}-status": "ongoing", f"{key}-actual_start": "1901-01-01"},
    )
    assert answer.status_code == 422
    assert (
        f'id="{key}-actual_start-err">is before the implementation start ({start:%Y-%m-%d})<'
        in answer.get_data(as_text=True)
    )
    row = re.search(
        rf'data-testid="activity-{activity.id}">(.*?)</tr>', b.text(f"{base}/activities"), re.S
    )
    assert "Planned" in row.group(1) and "1901" not in row.group(1)


def test_marking_an_activity_done_without_its_dates_names_them_as_the_form_labels_them(
    cast, as_user, make
):
    project = cast.to("implementation")
    start = project.implementation_start.date()
    activity = activities.plan_activity(
        make.session, make.engine, cast.beneficiary, project.id,
        {"kind": "training", "title": "Risk assessment training",
         "planned_start": start + timedelta(days=5), "planned_end": start + timedelta(days=6)},
    )  # fmt: skip
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    key = f"a{activity.id}"
    answer = submit(
        b, f"{base}/activities", f"{base}/activities/{activity.id}", {f"{key}-status": "done"}
    )
    assert answer.status_code == 422
    assert (
        f'id="{key}-status-err">an activity marked done needs its actual start and actual end<'
        in answer.get_data(as_text=True)
    )


def test_a_quarter_out_of_range_is_refused_in_the_words_of_its_label(cast, as_user):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    answer = submit(b, f"{base}/reports", f"{base}/reports", {"kind": "interim", "number": "500"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="number-err">must be a quarter between 1 and 200<' in page
    assert "Number must be" not in page


def test_a_side_letter_shows_its_reallocation_under_its_label_in_euros(cast, as_user):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    answer = submit(
        b,
        f"{base}/changes",
        f"{base}/changes",
        {
            "kind": "side_letter",
            "title": "Move money to trainings",
            "justification": "More trainings than planned.",
            "reallocation_eur": "5000",
        },
    )
    assert answer.status_code == 302
    page = html.unescape(b.text(f"{base}/changes"))
    assert "Reallocation (EUR): 5,000" in page
    assert "reallocation eur" not in page.lower()


def test_a_change_refused_for_its_kind_names_the_figures_as_the_form_labels_them(cast, as_user):
    project = cast.to("implementation")
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    answer = submit(
        b,
        f"{base}/changes",
        f"{base}/changes",
        {
            "kind": "side_letter",
            "title": "Longer",
            "justification": "Late law.",
            "extend_months": "3",
        },
    )
    assert answer.status_code == 422
    error = re.search(r'id="extend_months-err">([^<]*)<', answer.get_data(as_text=True))
    message = html.unescape(error.group(1))
    assert "reallocation (EUR)" in message and "reallocation_eur" not in message


def _month_labels(start, end, width=720):
    activity = SimpleNamespace(
        title="Kick-off", kind="workshop", status="planned", planned_start=start, planned_end=start
    )
    bar = TimelineBar(activity, 0, 1, None, None)
    svg = str(gantt_svg(Timeline(start, end, [bar]), start, width=width))
    box = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    labels = re.findall(r'<text class="g-month" x="([\d.]+)"[^>]*>([^<]*)<', svg)
    return box, [(float(x), text) for x, text in labels]


@pytest.mark.parametrize("width", [720, 1100])
def test_the_timelines_last_month_label_is_drawn_whole_inside_the_picture(width):
    # The timeline ends two days into April: April's label starts near the right edge.
    box, labels = _month_labels(date(2027, 1, 1), date(2027, 4, 2), width)
    assert labels[-1][1] == "Apr 27"
    # A label such as "Apr 27" at 11 px takes about 40 units: all of it must be in the box.
    assert all(x + 40 <= box for x, _ in labels), labels


def test_the_timelines_month_labels_never_overlap_when_it_starts_late_in_a_month():
    _, labels = _month_labels(date(2027, 1, 29), date(2027, 6, 30))
    # January is three days long here: its label would lie on February's.
    assert [text for _, text in labels] == ["Feb 27", "Mar 27", "Apr 27", "May 27", "Jun 27"]
    gaps = [b[0] - a[0] for a, b in pairwise(labels)]
    assert gaps and min(gaps) >= 40, labels


def test_the_file_mark_beside_a_document_needs_no_emoji_font(app, browser):
    b = browser()
    page = b.get("/login").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    with b.get(stylesheet) as response:
        css = response.get_data(as_text=True)
    rule = re.search(r"\.files li::before \{([^}]*)\}", css).group(1)
    # Drawn with a border; no character that shows as an empty box without an emoji font.
    assert 'content: ""' in rule and "border" in rule
    assert not [c for c in css if ord(c) >= 0x1F000]
