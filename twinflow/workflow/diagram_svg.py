"""The lifecycle diagram drawn on the server as SVG, from the definition alone.

It replaced a 3.5 MB diagram library shipped to every browser (issue 18). States are stacked
in the definition's order (the path a project takes); a step to the next state is a straight
arrow, a step forward over states an arc on the left, a step back or a loop an arc on the
right. Every state and step is named by its label, and the current and passed states say so
in words, not by colour alone; <title>/<desc> carry the same in prose for screen readers.
"""

from html import escape

from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext
from twinflow.workflow.definition import Definition
from twinflow.workflow.registry import return_states
from twinflow.workflow.schema import PREVIOUS

BOX_W, BOX_H, GAP = 210, 34, 46
LEFT = 330  # room on the left for the labels of forward arcs
LANE = 22  # distance between nested arcs
WIDTH = LEFT + BOX_W + 330
CX = LEFT + BOX_W // 2

FILL = {"current": ("#fde68a", "#b45309", 3), "visited": ("#dbeafe", "#1d4ed8", 2)}
PLAIN = ("#ffffff", "#94a3b8", 1.5)
MARK = {"current": lazy_gettext("● now: %(state)s"), "visited": lazy_gettext("✓ %(state)s")}


def everywhere_triggers(definition: Definition) -> set[str]:
    """Triggers that leave every open state (e.g. cancel): not a step of the path."""
    open_states = set(definition.states) - definition.terminal_states
    return {t.trigger for t in definition.transitions if open_states <= set(t.sources)}


def edges(definition: Definition, current: str | None) -> list[tuple[str, str, str]]:
    """(source, dest, label) drawn: a trigger that leaves every state (cancel) only from the
    current state, so that it does not bury the path."""
    everywhere = everywhere_triggers(definition)
    out = []
    for spec in definition.transitions:
        for source in spec.sources:
            if spec.trigger in everywhere and source != current:
                continue
            # `dest: previous` (resume) is drawn back to each state it may return to.
            dests = return_states(definition, source) if spec.dest == PREVIOUS else [spec.dest]
            out.extend((source, dest, spec.label) for dest in dests)
    return list(dict.fromkeys(out))


def _t(x, y, text, anchor="start", cls="lc-label", weight=None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{cls}" font-size="12"'
        f' fill="#1e293b" stroke="#ffffff" stroke-width="4" paint-order="stroke"{bold}>'
        f"{escape(text)}</text>"
    )


def svg(definition: Definition, current: str | None = None, visited=()) -> str:
    """The diagram as one <svg> element (no script, no style attribute: the CSP allows it)."""
    order = list(definition.states)
    row = {name: i for i, name in enumerate(order)}
    passed = {s for s in visited if s != current and s in row}
    top = lambda name: 40 + row[name] * (BOX_H + GAP)  # noqa: E731
    height = top(order[-1]) + BOX_H + 20
    drawn = edges(definition, current)

    parts, prose = [], []
    lanes = {"left": 0, "right": 0}
    for source, dest, label in drawn:
        prose.append(
            _(
                "%(source)s to %(dest)s: %(step)s.",
                source=definition.label_of(source),
                dest=definition.label_of(dest),
                step=label,
            )
        )
        ys, yd = top(source), top(dest)
        if row[dest] == row[source] + 1:  # the next state: straight down
            y1, y2 = ys + BOX_H, yd
            parts.append(f'<path class="lc-edge" d="M{CX},{y1} V{y2 - 2}" {_LINE}/>')
            parts.append(_t(CX - 8, (y1 + y2) // 2 + 4, label, "end"))
            continue
        side = "left" if row[dest] > row[source] else "right"
        lanes[side] += 1
        reach = 18 + LANE * lanes[side]
        if side == "left":
            x0, apex, anchor, dx = LEFT, LEFT - reach, "end", -6
        else:
            x0, apex, anchor, dx = LEFT + BOX_W, LEFT + BOX_W + reach, "start", 6
        y1 = ys + BOX_H // 2 - (6 if dest != source else 8)
        y2 = yd + BOX_H // 2 + (6 if dest != source else 8)
        parts.append(
            f'<path class="lc-edge" d="M{x0},{y1} C{apex},{y1} {apex},{y2} {x0 + (2 if side == "left" else -2)},{y2}" {_LINE}/>'  # noqa: E501
        )
        parts.append(_t(apex + dx, (y1 + y2) // 2 + 4, label, anchor))

    for name in order:
        status = "current" if name == current else "visited" if name in passed else "future"
        fill, stroke, width = FILL.get(status, PLAIN)
        y = top(name)
        label = definition.label_of(name)
        text = str(MARK[status]) % {"state": label} if status in MARK else label
        parts.append(
            f'<g class="lc-state lc-{status}" data-state="{escape(name)}">'
            f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}"'
            f' stroke="{stroke}" stroke-width="{width}"/>'
            + _t(
                CX,
                y + BOX_H // 2 + 4,
                text,
                "middle",
                "lc-name",
                700 if status == "current" else None,
            )
            + "</g>"
        )
    start = top(definition.initial)
    parts.insert(0, f'<circle cx="{CX}" cy="{start - 22}" r="6" fill="#1e293b"/>')
    parts.insert(1, f'<path d="M{CX},{start - 16} V{start - 2}" {_LINE}/>')

    where = _("The project is in %(state)s.", state=definition.label_of(current)) if current else ""
    gone = ", ".join(definition.label_of(s) for s in order if s in passed)
    passed_text = _("States passed: %(states)s.", states=gone) if gone else ""
    desc = " ".join(filter(None, [where, passed_text, _("Steps:"), *prose]))
    title = _("Lifecycle of a %(type)s project", type=definition.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lifecycle" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" aria-labelledby="lc-title lc-desc"'
        ' font-family="system-ui, sans-serif" data-testid="diagram">'
        f'<title id="lc-title">{escape(title)}</title>'
        f'<desc id="lc-desc">{escape(desc)}</desc>'
        '<defs><marker id="lc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"'
        ' fill="#64748b"/></marker></defs>' + "".join(parts) + "</svg>"
    )


_LINE = 'fill="none" stroke="#64748b" stroke-width="1.4" marker-end="url(#lc-arrow)"'
