"""The gallery's forms: an image upload, the public toggle, the public page's filing."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from twinflow.web.forms import SafeForm


class ImageForm(SafeForm):
    image = FileField("Image (JPEG, PNG or WebP)", validators=[FileRequired("choose an image")])
    caption = StringField("Caption", validators=[Optional(), Length(max=300)])


class PublicForm(SafeForm):
    public = HiddenField()


class FilingForm(SafeForm):
    priority_area = SelectField("Priority area", validate_choice=False)
    subsector = SelectField("Subsector", validate_choice=False)
    topic = StringField("Topic", validators=[Optional(), Length(max=300)])
