"""Images judged by their content with Pillow (never by their name or the type the client
claims), and the thumbnails shown in galleries."""

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.utils import secure_filename

from twinflow.gallery.models import CONTENT_TYPES
from twinflow.i18n import gettext, lazy_gettext
from twinflow.workflow.errors import InvalidData

MAX_BYTES = 10 * 1024 * 1024
# Far below Pillow's own bomb limit: a photograph of a seminar needs no more.
MAX_PIXELS = 50_000_000
THUMBNAIL = (480, 360)
ORIENTATION = 0x0112  # the EXIF tag
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
REFUSED = lazy_gettext("is not an image twinflow accepts (JPEG, PNG or WebP)")


def _too_many_pixels() -> str:
    return gettext("has more than %(count)s pixels", count=format(MAX_PIXELS, ","))


# What a photograph may carry about the person who took it: where (GPS), with what, by whom.
# A gallery image goes public, so none of it is kept; the colour profile is not personal.
_PERSONAL_INFO = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Author", "Description")


def _carries_metadata(image) -> bool:
    return bool(image.getexif()) or any(key in image.info for key in _PERSONAL_INFO)


def without_metadata(data: bytes) -> bytes:
    """The image again without EXIF (GPS position, camera, owner), XMP, comments or text
    chunks, turned upright since its orientation tag goes too; unchanged when it carries
    none. An upright JPEG keeps its quantisation tables, so re-saving costs next to nothing."""
    with Image.open(io.BytesIO(data)) as image:
        if not _carries_metadata(image):
            return data
        kind, icc = image.format, image.info.get("icc_profile")
        options = {"icc_profile": icc} if icc else {}
        out = io.BytesIO()
        if kind == "JPEG" and image.getexif().get(ORIENTATION, 1) in (0, 1):
            # "keep" works only on the file as decoded, not on a turned copy.
            image.save(out, "JPEG", quality="keep", subsampling="keep", **options)
        else:
            upright = ImageOps.exif_transpose(image)
            quality = {"JPEG": {"quality": 95}, "WEBP": {"quality": 90}}.get(kind, {})
            upright.save(out, kind, **quality, **options)
        return out.getvalue()


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int
    filename: str
    sha256: str


def check_image(data: bytes, filename: str | None) -> CheckedImage:
    """The upload if its content is a JPEG, PNG or WebP image of sensible size, kept without
    the metadata that could place or name the photographer; else InvalidData naming the
    field `file` and the reason."""
    if not data:
        raise InvalidData({"file": [gettext("is empty")]})
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES // 2**20} MB"
        raise InvalidData({"file": [gettext("is larger than the limit of %(limit)s", limit=limit)]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in CONTENT_TYPES:
                    raise InvalidData({"file": [str(REFUSED)]})
                if width * height > MAX_PIXELS:
                    raise InvalidData({"file": [_too_many_pixels()]})
                image.verify()  # a truncated or corrupt file fails here
    except InvalidData:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning):
        raise InvalidData({"file": [str(REFUSED)]}) from None
    except Image.DecompressionBombError:
        raise InvalidData({"file": [_too_many_pixels()]}) from None
    clean = without_metadata(data)
    if clean is not data:  # turned upright: the sides may have swapped
        with Image.open(io.BytesIO(clean)) as image:
            width, height = image.size
    stem = PurePath(secure_filename(filename or "") or "image").stem[:150] or "image"
    return CheckedImage(
        data=clean,
        content_type=CONTENT_TYPES[kind],
        width=width,
        height=height,
        filename=stem + EXTENSIONS[kind],
        sha256=hashlib.sha256(clean).hexdigest(),
    )


def make_thumbnail(data: bytes) -> bytes:
    """A JPEG at most THUMBNAIL in size, turned upright, without the original's metadata."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail(THUMBNAIL)
        if upright.mode not in ("RGB", "L"):
            # Transparent areas on white, as the page shows them.
            background = Image.new("RGB", upright.size, "white")
            rgba = upright.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            upright = background
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue()
