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
    owner = data.get("member_state")
    head = _event_head(event.action, event.from_state, event.to_state, event.trigger, owner)
    return Markup(head + _comment(data))


def _event_head(action, from_state, to_state, trigger, owner) -> str:
    """event_text but the comment: made of these values only (and the reader's language)."""
    label = ACTION_LABELS.get(action, action.replace("_", " "))
    out = [f'<span class="event-action">{escape(label)}</span>']
    if action == "transition" and from_state:
        out.append(f": {escape(state_label('', from_state))} → {escape(state_label('', to_state))}")
    elif trigger:
        out.append(f": {escape(trigger_label(trigger))}")
    if owner:
        out.append(f" ({escape(country_name(owner))})")
    return "".join(out)


def _comment(data: dict) -> str:
    comment = data.get("comment")
    return f'<q class="comment">{keep_lines(comment)}</q>' if comment else ""


def event_actor(event, data: dict) -> Markup:
    """Who acted, unless it was a user of another Member State (never named to a rival)."""
    if data.get("actor_withheld"):
        return Markup(_words().ugettext("a user of another Member State"))
    if event.actor_email:
        return escape(event.actor_email)
    return Markup(_words().ugettext("system"))


def event_rows(events) -> Markup:
    """The project page's timeline: a list item per (event, data), newest first as given. An
    event's class and head (event_text but its comment) are written once per kind of event
    in the list, the actor's words once a list (event_actor's)."""
    heads: dict[tuple, tuple] = {}
    words = _words()
    withheld, system = None, None
    out = []
    for event, data in events:
        what = (event.action, event.from_state, event.to_state, event.trigger)
        what += (data.get("member_state"),)
        try:
            kept = heads.get(what)
        except TypeError:  # an unhashable Member State: written for this event alone
            kept = (escape(event.action), _event_head(*what))
        if kept is None:
            kept = heads[what] = (escape(event.action), _event_head(*what))
        if data.get("actor_withheld"):
            actor = withheld = withheld or words.ugettext("a user of another Member State")
        elif event.actor_email:
            actor = escaped_text(event.actor_email)
        else:
            actor = system = system or words.ugettext("system")
        at = event.occurred_at
        out.append(  # an ISO date-time has no character to escape
            f'\n      <li class="ev-{kept[0]}">\n        '
            f'<time datetime="{at.isoformat()}">{escaped_text(datetime_text(at))}</time>\n        '
            f"<div>{kept[1]}{_comment(data)}</div>\n        "
            f'<div class="muted small">{actor}</div>\n      </li>\n      '
        )
    return Markup("".join(out))


def deadline_row(deadline, project, now, show_project=True, inside="") -> Markup:
    """An open deadline's list item: when it is due (or since when overdue), what it is, the
    project's reference if asked, a coordinator's reason, and `inside` (its forms)."""
    return Markup(_deadline_writer(project, now, show_project)(deadline, escape(inside)))


def deadline_rows(deadlines, project, now, forms=None) -> Markup:
    """The project page's open deadlines: each deadline_row (without the project's link), with
    `forms(deadline)` inside when given (decide_forms: a coordinator's); the words looked up
    once a list."""
    write = _deadline_writer(project, now, False)
    if forms is None:
        return Markup("".join([write(d) for d in deadlines]))
    return Markup("".join([write(d, forms(d)) for d in deadlines]))


def _deadline_writer(project, now, show_project):
    """deadline_row for one project, reader and moment, as a function of (deadline, the HTML
    inside its item) giving the item's HTML."""
    catalogue = _words()
    overdue_said = _around_date(catalogue.ugettext("<strong>Overdue</strong> since %(date)s"))
    due_said = _around_date(catalogue.ugettext("Due %(date)s"))
    link = ""
    if show_project:
        address = project_url("web_projects.detail", project.id)  # url_for's text, kept
        link = f' · <a href="{escaped_text(address)}">{escape(project.reference)}</a>'

    def write(deadline, inside: str = "") -> str:
        due = deadline.due_at
        # An ISO date-time has no character to escape.
        when = f'<time datetime="{due.isoformat()}">{escaped_text(date_text(due))}</time>'
        overdue = deadline.is_overdue(now)
        said = overdue_said if overdue else due_said
        said = f"{said[0]}{when}{said[1]}" if type(said) is tuple else said % {"date": Markup(when)}
        reason = ""
        if deadline.decision_reason:
            text = Markup(catalogue.ugettext("(date set by a coordinator: %(reason)s)"))
            reason = f' <span class="small">{text % {"reason": deadline.decision_reason}}</span>'
        what = escape(deadline_title(deadline, project))
        return (
            f'\n\n<li class="deadline{" overdue" if overdue else ""}">\n  \n  '
            f'<span class="due">{said}</span>\n  '
            f'<span class="what">{what}{link}</span>{reason}{inside}\n</li>\n'
        )

    return write


# markupsafe.escape's five replacements, for a plain str in one call (escape makes a Markup:
# ~5 Python calls); for rows joined into one Markup at the end.
_ESCAPES = str.maketrans({"&": "&amp;", ">": "&gt;", "<": "&lt;", "'": "&#39;", '"': "&#34;"})


def escaped_text(value: str) -> str:
    """escape(value) for a str, as a str."""
    return value.translate(_ESCAPES)


def _around_date(said: str):
    """A translation "... %(date)s ..." as (text before, text after) to write a date between,
    as `Markup(said) % {"date": markup}` writes it; the text as Markup when it has any other
    "%" (then it is filled by %)."""
    head, mark, tail = said.partition("%(date)s")
    if mark and "%" not in head and "%" not in tail:
        return head, tail
    return Markup(said)


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
    token = escaped_text(token)

    def forms(deadline) -> str:
        """The forms' HTML (safe: every value escaped; an id and a date-time need none)."""
        key, ident = escaped_text(deadline.key), deadline.id
        due_at = deadline.due_at.strftime("%Y-%m-%dT%H:%M")
        return f"""
<details class="deadline-decide" data-testid="decide-{key}">
  <summary>{summary}</summary>
  <form method="post" action="{escaped_text(waive_url(ident))}">
    <input type="hidden" name="csrf_token" value="{token}">
    <label for="waive-reason-{ident}">{waive_reason}</label>
    <textarea id="waive-reason-{ident}" name="reason" rows="2" required maxlength="2000"></textarea>
    <button type="submit" class="btn">{waive}</button>
  </form>
  <form method="post" action="{escaped_text(move_url(ident))}">
    <input type="hidden" name="csrf_token" value="{token}">
    <label for="move-due-{ident}">{due}</label>
    <input type="datetime-local" id="move-due-{ident}" name="due_at" required value="{due_at}">
    <label for="move-reason-{ident}">{move_reason}</label>
    <textarea id="move-reason-{ident}" name="reason" rows="2" required maxlength="2000"></textarea>
    <button type="submit" class="btn">{move}</button>
  </form>
</details>"""

    return forms
