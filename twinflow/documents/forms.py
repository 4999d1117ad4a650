"""The upload form of the documents page (and of a report's own upload)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField

from twinflow.documents.models import CATEGORY_WORDS, DOCUMENT_CATEGORIES
from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

CATEGORY_LABELS = CATEGORY_WORDS


class UploadForm(SafeForm):
    file = FileField(
        lazy_gettext("File"),
        validators=[FileRequired(message=lazy_gettext("choose a file to upload"))],
    )
    category = SelectField(
        lazy_gettext("Category"),
        choices=choices((c, CATEGORY_LABELS[c]) for c in DOCUMENT_CATEGORIES),
    )
    report_id = SelectField(lazy_gettext("Attach to report"), choices=[], validate_choice=False)
    next = HiddenField()
