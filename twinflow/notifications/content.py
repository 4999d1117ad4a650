"""The words of an e-mail: plain text for every client, HTML beside it, a link to the project."""

from html import escape


def email_bodies(subject: str, body: str, link: str | None) -> tuple[str, str]:
    text = f"{body}\n\nOpen in twinflow: {link}\n" if link else f"{body}\n"
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    button = f'<p><a href="{escape(link, quote=True)}">Open in twinflow</a></p>' if link else ""
    html = (
        '<!doctype html><html><body style="font-family: sans-serif">'
        f"<h2>{escape(subject)}</h2>{paragraphs}{button}"
        '<hr><p style="color:#666;font-size:small">Sent by twinflow. You can switch to one '
        "daily digest in your profile.</p></body></html>"
    )
    return text, html


def digest_bodies(
    items: list[tuple[str, str, str | None]], period: str, extra: tuple[str, str] | None = None
) -> tuple[str, str]:
    """items: (subject, body, link) of each notification in the digest; extra: a section
    (text, html) after them (the audit checkpoint in an administrator's digest)."""
    lines = [f"Your twinflow notifications {period}:", ""]
    if not items:
        lines += ["No new notifications.", ""]
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
        '<!doctype html><html><body style="font-family: sans-serif">'
        f"<h2>Your twinflow notifications {escape(period)}</h2><ul>{html_items}</ul>"
        f"{extra[1] if extra else ''}</body></html>"
    )
    if extra:
        lines.append(extra[0])
    return "\n".join(lines), html
