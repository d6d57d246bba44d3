"""A workspace's logo: checked for type, size and dimensions, then re-encoded as PNG.

Re-encoding drops whatever else the file carried (metadata, trailing data, scripts in a
polyglot), so what the app serves and prints is only ever a plain image.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 512 * 1024
MAX_SIDE = 2000
FORMATS = {"PNG", "JPEG"}


class LogoForm(FlaskForm):
    logo = FileField(
        _l("Logo"),
        description=_l("PNG or JPEG, at most 512 KB and 2000 pixels a side. It appears on report covers."),
        validators=[
            FileRequired(_l("Choose an image file.")),
            FileAllowed(["png", "jpg", "jpeg"], _l("Upload a PNG or JPEG image.")),
            FileSize(max_size=MAX_BYTES, message=_l("The image is larger than 512 KB.")),
        ],
    )


@dataclass(frozen=True)
class Logo:
    data: bytes
    kind: str


def read_logo(form: LogoForm) -> Logo | None:
    """The uploaded logo as a clean PNG; errors go on the form's field."""
    raw = form.logo.data.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        form.logo.errors.append(_l("The image is larger than 512 KB."))
        return None
    too_large = _l("The image is larger than 2000 pixels on a side.")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in FORMATS:
                raise UnidentifiedImageError(kind)
            if max(width, height) > MAX_SIDE:
                form.logo.errors.append(too_large)
                return None
            probe.load()
            clean = io.BytesIO()
            probe.convert("RGBA").save(clean, format="PNG", optimize=True)
    except Image.DecompressionBombError:
        # Pillow refuses to open a header claiming hundreds of millions of pixels: a huge image, not a broken one.
        form.logo.errors.append(too_large)
        return None
    except (UnidentifiedImageError, OSError, ValueError):
        form.logo.errors.append(_l("This file is not a PNG or JPEG image."))
        return None
    return Logo(clean.getvalue(), "image/png")
