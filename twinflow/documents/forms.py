"""The upload form of the documents page (and of a report's own upload)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField

from twinflow.documents.models import DOCUMENT_CATEGORIES
from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

CATEGORY_LABELS = {
    "fiche": lazy_gettext("Fiche"),
    "proposal": lazy_gettext("Proposal"),
    "selection_minutes": lazy_gettext("Selection minutes"),
    "work_plan": lazy_gettext("Work plan"),
    "contract": lazy_gettext("Contract"),
    "interim_report": lazy_gettext("Interim report"),
    "final_report": lazy_gettext("Final report"),
    "audit_certificate": lazy_gettext("Audit certificate"),
    "steering_minutes": lazy_gettext("Steering minutes"),
    "side_letter": lazy_gettext("Side letter"),
    "addendum": lazy_gettext("Addendum"),
    "other": lazy_gettext("Other"),
}


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
