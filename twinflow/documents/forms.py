"""The upload form of the documents page (and of a report's own upload)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField

from twinflow.documents.models import DOCUMENT_CATEGORIES
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

CATEGORY_LABELS = {c: c.replace("_", " ").capitalize() for c in DOCUMENT_CATEGORIES}


class UploadForm(SafeForm):
    file = FileField("File", validators=[FileRequired(message="choose a file to upload")])
    category = SelectField(
        "Category", choices=choices((c, CATEGORY_LABELS[c]) for c in DOCUMENT_CATEGORIES)
    )
    report_id = SelectField("Attach to report", choices=[], validate_choice=False)
    next = HiddenField()
