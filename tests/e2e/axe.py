"""axe-core (vendored from its npm package, tests/e2e/vendor/README.md) run on a page of the
browser tests: the WCAG 2.1 A and AA rules; a serious or critical violation fails the test,
and every page checked gets one line in the report printed at the end of the run."""

import re
from collections import Counter
from pathlib import Path

AXE_FILE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE_FILE.read_text(encoding="utf-8")
AXE_VERSION = re.match(r"/\*! axe v(\S+)", AXE_SOURCE).group(1)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

# One line per page checked in this run, printed by tests/e2e/conftest.py's terminal summary.
REPORT: list[str] = []

# Evaluated over DevTools rather than added as a <script>: the app's Content-Security-Policy
# forbids inline scripts, and the tests keep that policy on rather than bypass it.
_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: n.failureSummary})),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it stands."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE + "\n;0")
    return page.evaluate(_RUN, WCAG_TAGS)


def check_page(page, role: str, language: str, label: str | None = None) -> list[dict]:
    """Run axe, record the page's line in the report, and return its serious and critical
    violations (the caller asserts there are none, so that one failing page does not hide the
    others of a walk)."""
    violations = axe_violations(page)
    counts = Counter()
    for violation in violations:
        counts[violation["impact"]] += len(violation["nodes"])
    where = label or page.url.split("//", 1)[-1].split("/", 1)[-1]
    REPORT.append(
        f"{language:3} {role:18} /{where:56} "
        + " ".join(f"{impact}={counts[impact]}" for impact in IMPACTS)
        + "".join(f" [{v['impact']}:{v['id']}]" for v in violations)
    )
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(found: dict[str, list[dict]]) -> str:
    """The blocking violations of a walk, one entry per rule and element, with the pages it is
    on (the same element of the base template fails on every page)."""
    pages: dict[tuple, list[str]] = {}
    for where, violations in found.items():
        for violation in violations:
            for node in violation["nodes"]:
                key = (violation["impact"], violation["id"], violation["help"], node["target"])
                pages.setdefault(key, [node["html"], node["summary"]]).append(where)
    lines = []
    for (impact, rule, help_text, target), (html, summary, *where) in pages.items():
        lines.append(f"{impact} {rule} ({help_text}) on {len(where)} page(s): {target}")
        lines.append(f"    {html}\n    {summary}".replace("\n  ", "\n        "))
        lines.append("    on " + ", ".join(where[:6]) + (" ..." if len(where) > 6 else ""))
    return "\n".join(lines)


def assert_accessible(page, role: str, language: str, label: str | None = None) -> None:
    blocking = check_page(page, role, language, label)
    assert not blocking, describe({label or page.url: blocking})
