"""The NCP's forwarding form."""

from wtforms import DateTimeLocalField, TextAreaField
from wtforms.validators import Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm


class ForwardForm(SafeForm):
    internal_deadline = DateTimeLocalField(
        lazy_gettext("Internal deadline for your institutions (UTC, optional)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=lazy_gettext(
            "Before the call's proposal deadline; leave empty to keep the call's."
        ),
    )
    note = TextAreaField(
        lazy_gettext("Note to your institutions (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
