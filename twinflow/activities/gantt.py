"""The activities' timeline drawn as a Gantt-like SVG on the server: planned bars, actual bars
over them, month lines and today's line. No script and no style attribute (the CSP refuses
both): geometry goes in SVG attributes, colours in app.css classes."""

from datetime import date, timedelta

from babel.dates import format_date
from markupsafe import Markup, escape

from twinflow.activities.forms import KIND_LABELS, STATUS_LABELS
from twinflow.activities.operations import Timeline
from twinflow.i18n import current_language, current_translations, ngettext
from twinflow.i18n import gettext as _

WIDTH = 720  # drawn at this size at most (CSS only shrinks it), so the text stays legible
LABEL = 230  # room for the activity titles on the left
ROW = 30
HEAD = 34  # month labels above the first row
BAR = 12
MAX_LABEL = 34
MONTH_LABEL = 48  # room a month label takes with the gap after it, in drawing units
LABEL_WIDE = 40  # "Apr 28" at 11 px: two labels closer than this overlap
RIGHT = MONTH_LABEL  # kept free after the last day, so the last month's label is not cut


def _months(start: date, end: date):
    """First days of the months inside the range (the first one clipped to start)."""
    day = start.replace(day=1)
    while day <= end:
        yield max(day, start)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


# Drawings already made, by everything they are drawn from (the activities' shown values, the
# day, the width, the language and its catalogue): a page drawn again draws nothing new.
_DRAWN: dict[tuple, Markup] = {}
_DRAWN_MAX = 512


def gantt_svg(timeline: Timeline, today: date, width: int = WIDTH) -> Markup:
    """One row per activity; an empty timeline gives an empty string."""
    if not timeline.bars:
        return Markup("")
    key = (
        current_language(),
        current_translations(),  # a catalogue edited and loaded again is a new one
        today,
        width,
        timeline.start,
        timeline.end,
        tuple(
            (
                b.planned_offset,
                b.planned_days,
                b.actual_offset,
                b.actual_days,
                b.activity.title,
                b.activity.kind,
                b.activity.status,
                b.activity.planned_start,
                b.activity.planned_end,
            )
            for b in timeline.bars
        ),
    )
    drawn = _DRAWN.get(key)
    if drawn is None:
        if len(_DRAWN) >= _DRAWN_MAX:
            _DRAWN.clear()
        drawn = _DRAWN[key] = _draw(timeline, today, width)
    return drawn


def _draw(timeline: Timeline, today: date, width: int) -> Markup:
    scale = (width - LABEL - RIGHT) / max(timeline.days, 1)
    height = HEAD + ROW * len(timeline.bars) + 8

    def x(offset_days: float) -> str:
        return f"{LABEL + offset_days * scale:.1f}"

    parts = [
        f'<svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'role="img" aria-labelledby="gantt-title" data-testid="gantt">',
        '<title id="gantt-title">{}</title>'.format(
            escape(
                ngettext(
                    "Timeline of %(num)d activity, %(start)s to %(end)s: planned (light) and "
                    "actual (dark)",
                    "Timeline of %(num)d activities, %(start)s to %(end)s: planned (light) and "
                    "actual (dark)",
                    len(timeline.bars),
                    start=_day(timeline.start),
                    end=_day(timeline.end),
                )
            )
        ),
    ]
    months = list(_months(timeline.start, timeline.end))
    # Fewer labels than months on long timelines, at a steady rhythm.
    every = max(1, -(-len(months) * MONTH_LABEL // (width - LABEL - RIGHT)))
    labelled = [i for i in range(len(months)) if i % every == 0]
    if len(labelled) > 1 and (months[labelled[1]] - months[0]).days * scale < LABEL_WIDE:
        # The first month, clipped to the start, may be days long: its label would lie on
        # the next one; the next one keeps the rhythm.
        labelled = labelled[1:]
    labelled_at = None
    for index, first in enumerate(months):
        left = x((first - timeline.start).days)
        parts.append(
            f'<line class="g-grid" x1="{left}" y1="{HEAD - 6}" x2="{left}" y2="{height}"/>'
        )
        if index in labelled and (labelled_at is None or float(left) - labelled_at >= LABEL_WIDE):
            labelled_at = float(left)
            month = escape(format_date(first, "MMM yy", locale=current_language()))
            parts.append(f'<text class="g-month" x="{left}" y="{HEAD - 12}">{month}</text>')
    for row, bar in enumerate(timeline.bars):
        activity = bar.activity
        top = HEAD + row * ROW
        middle = top + ROW / 2
        parts.append(
            f'<g class="g-row g-status-{escape(activity.status)}">'
            f"<title>{escape(_bar_title(activity))}</title>"
            f'<text class="g-label" x="4" y="{middle + 4:.1f}">{escape(_short(activity.title))}'
            "</text>"
            f'<rect class="g-planned" x="{x(bar.planned_offset)}" y="{middle - BAR / 2:.1f}" '
            f'width="{max(bar.planned_days * scale, 2):.1f}" height="{BAR}" rx="3"/>'
        )
        if bar.actual_offset is not None:
            parts.append(
                f'<rect class="g-actual" x="{x(bar.actual_offset)}" y="{middle - BAR / 4:.1f}" '
                f'width="{max(bar.actual_days * scale, 2):.1f}" height="{BAR / 2}" rx="2"/>'
            )
        parts.append("</g>")
    if timeline.start <= today <= timeline.end:
        left = x((today - timeline.start).days)
        parts.append(
            f'<line class="g-today" x1="{left}" y1="{HEAD - 6}" x2="{left}" y2="{height}"/>'
            f'<text class="g-today-label" x="{left}" y="{height - 2}">{escape(_("today"))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(day: date) -> str:
    return format_date(day, "dd MMM y", locale=current_language())


def _bar_title(activity) -> str:
    return _(
        "%(title)s (%(kind)s, %(status)s): planned %(start)s – %(end)s",
        title=activity.title,
        kind=str(KIND_LABELS.get(activity.kind, activity.kind)).lower(),
        status=str(STATUS_LABELS.get(activity.status, activity.status)).lower(),
        start=_day(activity.planned_start),
        end=_day(activity.planned_end),
    )
