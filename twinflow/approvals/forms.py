"""Approve or reject a pending request, with a comment (required to reject: the engine says)."""

from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm


class DecisionForm(SafeForm):
    comment = TextAreaField(
        lazy_gettext("Comment (required to reject)"),
        validators=[Optional(), Length(max=4000)],
        render_kw={"rows": 2},
    )
    seen_seq = HiddenField()
