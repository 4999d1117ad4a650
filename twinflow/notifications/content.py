"""The words of an e-mail: plain text for every client, HTML beside it, a link to the project;
each in its recipient's language (the scheduler writes them, outside anyone's request)."""

from collections.abc import Callable
from html import escape

from babel.support import LazyProxy

from twinflow.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, gettext, speaking

# A notice's subject or body: a plain text (the same for every reader), or a text composed
# in the language it is read in: a lazy_gettext text, or a function called inside speaking().
Wording = str | LazyProxy | Callable[[], str]


def language_of(user) -> str:
    """The language a user reads notices in: their choice, English when none was made."""
    chosen = getattr(user, "language", None)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def worded(text: Wording, language: str) -> str:
    """`text` as read in `language`."""
    if isinstance(text, str):
        return text
    with speaking(language):
        return str(text) if isinstance(text, LazyProxy) else str(text())


def email_bodies(subject: str, body: str, link: str | None) -> tuple[str, str]:
    """In the current language (the caller speaks the recipient's)."""
    opened = gettext("Open in twinflow")
    text = (
        f"{body}\n\n{gettext('Open in twinflow: %(link)s', link=link)}\n" if link else f"{body}\n"
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    button = f'<p><a href="{escape(link, quote=True)}">{escape(opened)}</a></p>' if link else ""
    footer = gettext("Sent by twinflow. You can switch to one daily digest in your profile.")
    html = (
        f'<!doctype html><html lang="{current_language()}"><body style="font-family: sans-serif">'
        f"<h2>{escape(subject)}</h2>{paragraphs}{button}"
        f'<hr><p style="color:#666;font-size:small">{escape(footer)}</p></body></html>'
    )
    return text, html


def digest_bodies(
    items: list[tuple[str, str, str | None]], period: str, extra: tuple[str, str] | None = None
) -> tuple[str, str]:
    """items: (subject, body, link) of each notification in the digest; extra: a section
    (text, html) after them (the audit checkpoint in an administrator's digest). In the
    current language, as `email_bodies`."""
    heading = gettext("Your twinflow notifications %(period)s", period=period)
    lines = [f"{gettext('Your twinflow notifications %(period)s:', period=period)}", ""]
    if not items:
        lines += [gettext("No new notifications."), ""]
    for subject, body, link in items:
        lines.append(f"* {subject}")
        lines.append(f"  {body}")
        if link:
            lines.append(f"  {link}")
        lines.append("")
    html_items = "".join(
        f"<li><strong>{escape(subject)}</strong><br>{escape(body)}"
        + (f'<br><a href="{escape(link, quote=True)}">{escape(link)}</a>' if link else "")
        + "</li>"
        for subject, body, link in items
    )
    html = (
        f'<!doctype html><html lang="{current_language()}"><body style="font-family: sans-serif">'
        f"<h2>{escape(heading)}</h2><ul>{html_items}</ul>"
        f"{extra[1] if extra else ''}</body></html>"
    )
    if extra:
        lines.append(extra[0])
    return "\n".join(lines), html
