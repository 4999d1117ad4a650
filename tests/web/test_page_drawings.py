"""The drawings the project page keeps once drawn (activities/gantt.py) are drawn again as
soon as anything they show changes: an activity, the day, the language."""

from datetime import date
from types import SimpleNamespace

from twinflow.activities.gantt import gantt_svg
from twinflow.activities.operations import Timeline, TimelineBar
from twinflow.i18n import speaking

START, END = date(2027, 1, 4), date(2027, 6, 30)


def _timeline(**changes) -> Timeline:
    activity = SimpleNamespace(
        title="Kick-off", kind="workshop", status="planned", planned_start=START,
        planned_end=date(2027, 1, 8),
    )  # fmt: skip
    for name, value in changes.items():
        setattr(activity, name, value)
    return Timeline(START, END, [TimelineBar(activity, 0, 5, None, None)])


def test_a_gantt_drawn_again_shows_what_changed_in_its_activity():
    planned = str(gantt_svg(_timeline(), START))
    done = str(gantt_svg(_timeline(status="done", title="Kick-off meeting"), START))
    assert "g-status-planned" in planned and "g-status-done" in done
    assert "Kick-off meeting" in done and "Kick-off meeting" not in planned
    assert str(gantt_svg(_timeline(), START)) == planned


def test_a_gantt_drawn_on_another_day_or_in_another_language_says_so():
    english = str(gantt_svg(_timeline(), START))
    with speaking("fr"):
        french = str(gantt_svg(_timeline(), START))
    assert "Timeline of 1 activity" in english and "Timeline of 1 activity" not in french
    assert "g-today" in english
    assert "g-today" not in str(gantt_svg(_timeline(), date(2028, 1, 1)))


def test_a_kept_project_address_is_url_for_for_any_project_and_root(app):
    # The project page's links (web/page_reads.project_url) keep the text around the id: every
    # id, extra value and application root (a reverse proxy's prefix) gives url_for's own text.
    from flask import url_for

    from twinflow.web.page_reads import project_url

    cases = [
        ("web_projects.detail", {}),
        ("web_projects.detail", {"events": 50}),
        ("web_projects.fire", {"trigger": "select_partner"}),
        ("web_proposals.select", {"proposal_id": 12}),
        ("web_team.team_page", {}),
    ]
    for root in ("", "/twinflow"):
        with app.test_request_context("/", base_url=f"http://twinflow.test{root}/"):
            for endpoint, values in cases:
                for ident in (1, 987, 987654321):
                    expected = url_for(endpoint, project_id=ident, **values)
                    assert project_url(endpoint, ident, **values) == expected
                    assert expected.startswith(f"{root}/")
