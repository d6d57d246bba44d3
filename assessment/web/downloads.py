"""File names for downloads, so an organisation named in any script still downloads."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote


def content_disposition(kind: str, stem: str, suffix: str, fallback: str) -> str:
    """An RFC 6266 header: `filename*` (RFC 5987, UTF-8) carries the real name, and `filename`
    an ASCII one for clients that know no better (`fallback` when nothing ASCII is left).

    Only letters and digits of the stem are kept, every other run becomes one hyphen, so
    neither header can break out of its quotes."""
    name = re.sub(r"[^\w]+|_", "-", unicodedata.normalize("NFC", stem)).strip("-")[:60] or fallback
    plain = re.sub(r"[^A-Za-z0-9]+", "-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    plain = plain.strip("-") or fallback
    return f"{kind}; filename=\"{plain}{suffix}\"; filename*=UTF-8''{quote(name + suffix, safe='')}"
