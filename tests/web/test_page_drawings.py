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
