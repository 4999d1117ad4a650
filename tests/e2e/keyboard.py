"""Driving a page by keyboard alone (Tab, Shift+Tab, Enter, Space and typing), checking at
every stop that the focused element shows it: an outline at least 2 px wide whose colour stands
out from what surrounds it by 3:1 (WCAG 2.1, 2.4.7 and 1.4.11)."""

import re

# What the focused element is, and how its focus is drawn (the outline sits outside the
# element, on the background of the nearest ancestor that paints one).
_FOCUSED = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  let node = el.parentElement, background = 'rgb(255, 255, 255)';
  while (node) {
    const paint = getComputedStyle(node).backgroundColor;
    if (paint && paint !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(paint)) {
      background = paint; break;
    }
    node = node.parentElement;
  }
  return {
    what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' '
          + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    outline: style.outlineStyle !== 'none' && width >= 2 ? style.outlineColor : null,
    background: background,
    matches: el.matches(selector),
    style: style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor,
  };
}"""


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", css)[:3])


def _luminance(css: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class Keyboard:
    """One person's keyboard on one page; `stops` counts the focus stops checked."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def focus_shown(self, selector: str = "*") -> dict:
        """The focused element, asserted to show its focus; None when nothing is focused."""
        focused = self.page.evaluate(_FOCUSED, selector)
        if focused is None:
            return None
        self.stops += 1
        assert focused["outline"], f"no visible focus on {focused['what']!r}: {focused['style']}"
        ratio = contrast(focused["outline"], focused["background"])
        assert ratio >= 3, (
            f"the focus outline of {focused['what']!r} ({focused['outline']} on "
            f"{focused['background']}) has contrast {ratio:.2f}:1, under 3:1"
        )
        return focused

    def tab_to(self, selector: str, backwards: bool = False, limit: int = 250) -> None:
        """Tab (or Shift+Tab) until the element matching `selector` has the focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            self.page.keyboard.press(key)
            focused = self.focus_shown(selector)
            if focused and focused["matches"]:
                return
        raise AssertionError(f"{selector} never got the focus after {limit} presses of {key}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def activate(self, selector: str, key: str = "Enter") -> None:
        """Tab to the element and press Enter (links, buttons, summaries) or Space."""
        self.tab_to(selector)
        self.page.keyboard.press(key)

    def fill(self, selector: str, text: str, backwards: bool = False) -> None:
        """Tab to a field and type into it."""
        self.tab_to(selector, backwards)
        self.page.keyboard.type(text)
