"""The import page's forms: the upload (judged as a dry run), then the apply form carrying the
very file that was judged (compressed in a hidden field: nothing is kept on the server between
the two steps, so any web machine can apply it)."""

import base64
import zlib

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm

# The hidden field stays under Flask's form memory limit (MAX_FORM_MEMORY_SIZE, 500 kB): a
# larger file is imported with the CLI or the API, which read it as a file.
MAX_CARRIED = 480_000


class ImportUploadForm(SafeForm):
    file = FileField(
        lazy_gettext("File (CSV or XLSX)"),
        validators=[FileRequired(message=lazy_gettext("choose a CSV or XLSX file to import"))],
        description=lazy_gettext("The first row names the columns (see below); any order."),
    )
    skip_invalid = BooleanField(lazy_gettext("Import the valid rows even if some rows are invalid"))


class ImportApplyForm(SafeForm):
    payload = HiddenField(validators=[DataRequired(), Length(max=MAX_CARRIED)])
    sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    filename = HiddenField(validators=[DataRequired(), Length(max=255)])
    skip_invalid = HiddenField()


def carry(data: bytes) -> str | None:
    """The file as the apply form carries it; None when too large to carry."""
    text = base64.b64encode(zlib.compress(data, 6)).decode("ascii")
    return text if len(text) <= MAX_CARRIED else None


def uncarry(text: str) -> bytes | None:
    try:
        return zlib.decompress(base64.b64decode(text, validate=True))
    except (ValueError, zlib.error):
        return None
