"""The gallery's forms: an image upload, the public toggle, the public page's filing."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm


class ImageForm(SafeForm):
    image = FileField(
        lazy_gettext("Image (JPEG, PNG or WebP)"),
        validators=[FileRequired(lazy_gettext("choose an image"))],
    )
    caption = StringField(lazy_gettext("Caption"), validators=[Optional(), Length(max=300)])


class PublicForm(SafeForm):
    public = HiddenField()


class FilingForm(SafeForm):
    priority_area = SelectField(lazy_gettext("Priority area"), validate_choice=False)
    subsector = SelectField(lazy_gettext("Subsector"), validate_choice=False)
    topic = StringField(lazy_gettext("Topic"), validators=[Optional(), Length(max=300)])
