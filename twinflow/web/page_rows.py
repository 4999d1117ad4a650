"""Rows a page repeats many times, written in Python: a Jinja macro costs ~10 Python calls for
each value it prints and ~40 to be called, and the project page prints 25 timeline events and
up to 15 deadlines, each with its forms. Each function gives exactly what its macro gave (the
macros in _macros.html call these, so there is one way to write each row)."""

from markupsafe import Markup, escape

from twinflow.i18n import current_translations
from twinflow.web.filters import keep_lines, state_label, trigger_label
from twinflow.web.labels import ACTION_LABELS, country_name


def _words(*texts: str) -> list[Markup]:
    """The templates' `_()` of each text: the translation, as markup (not escaped again)."""
    catalogue = current_translations()
    return [Markup(catalogue.ugettext(text)) for text in texts]


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
        return _words("a user of another Member State")[0]
    if event.actor_email:
        return escape(event.actor_email)
    return _words("system")[0]


def decide_forms(waive_url, move_url, token: str):
    """A coordinator's two forms on an open deadline (waive it, move it), as a function of the
    deadline: the words are looked up and the token escaped once for the whole list."""
    summary, waive_reason, waive, due, move_reason, move = _words(
        "Waive or move",
        "Reason for the waiver",
        "Waive this deadline",
        "New due date (UTC)",
        "Reason for the move",
        "Move this deadline",
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
