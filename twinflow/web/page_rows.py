"""Rows a page repeats many times, written in Python: a Jinja macro costs ~10 Python calls for
each value it prints and ~40 to be called, and the project page prints 25 timeline events and
up to 15 deadlines, each with its forms. Each function gives exactly what its macro gave (the
macros in _macros.html call these, so there is one way to write each row)."""

from markupsafe import Markup, escape

from twinflow.i18n import current_translations
from twinflow.i18n.formats import date_text, datetime_text
from twinflow.web.filters import deadline_title, keep_lines, state_label, trigger_label
from twinflow.web.labels import ACTION_LABELS, country_name
from twinflow.web.page_reads import project_url


def _words():
    """The catalogue of the request's language; `Markup(words.ugettext(...))` is the templates'
    `_()` of a text without values (a translation is markup, not escaped again). Each text is
    written out in its ugettext call, where the extraction of texts finds it."""
    return current_translations()


def event_text(event, data: dict) -> Markup:
    """What happened: the action, then the states, the trigger, the Member State, the comment."""
    action = event.action
    label = ACTION_LABELS.get(action, action.replace("_", " "))
    out = [f'<span class="event-action">{escape(label)}</span>']
    if action == "transition" and event.from_state:
        out.append(
            f": {escape(state_label('', event.from_state))} → "
            f"{escape(state_label('', event.to_state))}"
        )
    elif event.trigger:
        out.append(f": {escape(trigger_label(event.trigger))}")
    owner = data.get("member_state")
    if owner:
        out.append(f" ({escape(country_name(owner))})")
    comment = data.get("comment")
    if comment:
        out.append(f'<q class="comment">{keep_lines(comment)}</q>')
    return Markup("".join(out))


def event_actor(event, data: dict) -> Markup:
    """Who acted, unless it was a user of another Member State (never named to a rival)."""
    if data.get("actor_withheld"):
        return Markup(_words().ugettext("a user of another Member State"))
    if event.actor_email:
        return escape(event.actor_email)
    return Markup(_words().ugettext("system"))


def event_rows(events) -> Markup:
    """The project page's timeline: a list item per (event, data), newest first as given."""
    return Markup(
        "".join(
            f'\n      <li class="ev-{escape(event.action)}">\n        '
            f'<time datetime="{escape(event.occurred_at.isoformat())}">'
            f"{escape(datetime_text(event.occurred_at))}</time>\n        "
            f"<div>{event_text(event, data)}</div>\n        "
            f'<div class="muted small">{event_actor(event, data)}</div>\n      </li>\n      '
            for event, data in events
        )
    )


def deadline_row(deadline, project, now, show_project=True, inside="") -> Markup:
    """An open deadline's list item: when it is due (or since when overdue), what it is, the
    project's reference if asked, a coordinator's reason, and `inside` (its forms)."""
    due = deadline.due_at
    when = Markup(f'<time datetime="{escape(due.isoformat())}">{escape(date_text(due))}</time>')
    overdue = deadline.is_overdue(now)
    catalogue = _words()
    if overdue:
        said = catalogue.ugettext("<strong>Overdue</strong> since %(date)s")
    else:
        said = catalogue.ugettext("Due %(date)s")
    what = escape(deadline_title(deadline, project))
    if show_project:
        address = project_url("web_projects.detail", project.id)  # url_for's text, kept
        what += Markup(f' · <a href="{escape(address)}">{escape(project.reference)}</a>')
    reason = ""
    if deadline.decision_reason:
        text = Markup(catalogue.ugettext("(date set by a coordinator: %(reason)s)"))
        reason = f' <span class="small">{text % {"reason": deadline.decision_reason}}</span>'
    return Markup(
        f'\n\n<li class="deadline{" overdue" if overdue else ""}">\n  \n  '
        f'<span class="due">{Markup(said) % {"date": when}}</span>\n  '
        f'<span class="what">{what}</span>{reason}{escape(inside)}\n</li>\n'
    )


def decide_forms(waive_url, move_url, token: str):
    """A coordinator's two forms on an open deadline (waive it, move it), as a function of the
    deadline: the words are looked up and the token escaped once for the whole list."""
    words = _words()
    summary, waive_reason, waive, due, move_reason, move = (
        Markup(words.ugettext("Waive or move")),
        Markup(words.ugettext("Reason for the waiver")),
        Markup(words.ugettext("Waive this deadline")),
        Markup(words.ugettext("New due date (UTC)")),
        Markup(words.ugettext("Reason for the move")),
        Markup(words.ugettext("Move this deadline")),
    )
    token = escape(token)

    def forms(deadline) -> Markup:
        key, ident = escape(deadline.key), escape(deadline.id)
        due_at = escape(deadline.due_at.strftime("%Y-%m-%dT%H:%M"))
        return Markup(
            f"""
<details class="deadline-decide" data-testid="decide-{key}">
  <summary>{summary}</summary>
  <form method="post" action="{escape(waive_url(deadline.id))}">
    <input type="hidden" name="csrf_token" value="{token}">
    <label for="waive-reason-{ident}">{waive_reason}</label>
    <textarea id="waive-reason-{ident}" name="reason" rows="2" required maxlength="2000"></textarea>
    <button type="submit" class="btn">{waive}</button>
  </form>
  <form method="post" action="{escape(move_url(deadline.id))}">
    <input type="hidden" name="csrf_token" value="{token}">
    <label for="move-due-{ident}">{due}</label>
    <input type="datetime-local" id="move-due-{ident}" name="due_at" required value="{due_at}">
    <label for="move-reason-{ident}">{move_reason}</label>
    <textarea id="move-reason-{ident}" name="reason" rows="2" required maxlength="2000"></textarea>
    <button type="submit" class="btn">{move}</button>
  </form>
</details>"""
        )

    return forms
