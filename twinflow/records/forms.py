"""What the forms of the record pages share: reading a form as the operations read values, and
the comment sent with a step of a record's workflow. Each form checks the shape of what is
typed; whether it is allowed (dates in order, a secondment's length, who may act) is the
operations' answer."""

from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm


def values_of(form, *names: str) -> dict:
    """The fields filled in, as the operations read them (lists from one-per-line text)."""
    out = {}
    for field in form:
        name = field.short_name
        if name in ("csrf_token",) or (names and name not in names):
            continue
        value = field.data
        if isinstance(value, str):
            value = value.strip()
            if field.type == "TextAreaField" and name in ("experts", "attendees"):
                value = [line.strip() for line in value.splitlines() if line.strip()]
        if value in (None, "", []) and name not in ("attendees",):
            continue
        out[name] = value
    return out


class StepForm(SafeForm):
    comment = TextAreaField(lazy_gettext("Comment"), validators=[Optional(), Length(max=4000)])
