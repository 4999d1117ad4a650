"""The dashboard's repeated rows written in Python, as web/page_rows.py writes the project
page's: the state strip, the next steps, the deadlines and the recent activity. In the
template each row cost a loop pass, several macro calls (~40 Python calls each) and a filter
per value; a dashboard prints 30-40 of them. Each function gives exactly the text its loop
gave (bench/page_snapshots.py compares the dashboards of nine users in two languages)."""

from markupsafe import Markup, escape

from twinflow.i18n import current_translations
from twinflow.web.filters import fmt_datetime, state_badge, state_label, workflow_title
from twinflow.web.labels import country_name
from twinflow.web.page_reads import project_url as page_url
from twinflow.web.page_rows import deadline_row, event_actor, event_text

# projects/_what_next.html next_link: where a next step's sentence links to.
_ANCHORED = {"actions": "#actions", "approvals": "#approvals", "proposals": "#proposals"}
_PAGES = {
    "fiche": "web_fiche.fiche_page",
    "proposal_form": "web_proposals.proposal",
    "reports": "web_reports.reports_page",
    "selection": "web_selection.selection_page",
}


def next_link(step, project) -> Markup:
    """The macro next_link's address for a step on a project (empty when it names no page)."""
    target = step.target
    if target in _ANCHORED:
        address = page_url("web_projects.detail", project.id)
        return Markup(f"{escape(address)}{_ANCHORED[target]}")
    endpoint = _PAGES.get(target)
    return escape(page_url(endpoint, project.id)) if endpoint else Markup("")


def state_strip(state_order, counts: dict, list_url) -> Markup:
    """The state chips: one per state with visible projects, in the lifecycles' order."""
    return Markup(
        "".join(
            f'\n  <li><a href="{escape(list_url({"state": s}))}"><span class="n">'
            f'{escape(counts[s])}</span> <span class="badge state-{escape(s)}">'
            f"{escape(state_label('', s))}</span></a></li>\n  "
            for s in state_order
            if counts.get(s)
        )
    )


def action_rows(actions) -> Markup:
    """[(project, usable options, next step)] as the list of actions to take now."""
    out = []
    for project, options, step in actions:
        chips = ""
        if len(options) > 1:
            chips = "".join(
                f'<span class="chip">{escape(o.spec.label)}</span>' for o in options[1:]
            )
            chips = f'<div class="chips">{chips}</div>'
        out.append(
            f'\n      <li data-testid="next-step">\n        '
            f'<a href="{escape(next_link(step, project))}">{escape(project.reference)} · '
            f"{escape(project.title)}</a> {state_badge(project)}\n        "
            f'<div class="small">{escape(step.sentence)}</div>\n        '
            f"{chips}\n      </li>\n      "
        )
    return Markup("".join(out))


def deadline_rows(deadlines, now) -> Markup:
    """[(deadline, project)] as the deadlines' list items (page_rows writes each)."""
    return Markup("".join(deadline_row(d, p, now, True, "") for d, p in deadlines))


def activity_rows(activity, project_url) -> Markup:
    """[(event, project, data)] as the recent activity's timeline items."""
    return Markup(
        "".join(
            f'\n      <li>\n        <time datetime="{escape(e.occurred_at.isoformat())}">'
            f"{escape(fmt_datetime(e.occurred_at))}</time>\n        "
            f'<div><a href="{escape(project_url(p.id))}">{escape(p.reference)}</a> · '
            f"{event_text(e, data)}</div>\n        "
            f'<div class="muted small">{event_actor(e, data)}</div>\n      </li>\n      '
            for e, p, data in activity
        )
    )


def call_rows(calls, project_url) -> Markup:
    """[(project, my proposal or None)] as a Member State's open calls' table rows."""
    words = current_translations()
    submitted, amend, write = (
        Markup(words.ugettext("Submitted")),
        Markup(words.ugettext("Amend")),
        Markup(words.ugettext("Write a proposal")),
    )
    out = []
    for p, mine in calls:
        proposal = escape(page_url("web_proposals.proposal", p.id))
        if mine:
            yours = (
                f'<span class="badge badge-ok">{submitted}</span> <a href="{proposal}">{amend}</a>'
            )
        else:
            yours = f'<a class="btn btn-small" href="{proposal}">{write}</a>'
        out.append(
            f'\n      <tr>\n        <td><a href="{escape(project_url(p.id))}">{escape(p.title)}</a>'
            f'<div class="muted small">{escape(p.reference)} · {escape(workflow_title(p.workflow))}'
            f"</div></td>\n        <td>{escape(country_name(p.beneficiary_country))}</td>\n        "
            f"<td>{escape(fmt_datetime(p.proposal_deadline))}</td>\n        "
            f"<td>{yours}</td>\n      </tr>\n      "
        )
    return Markup("".join(out))
