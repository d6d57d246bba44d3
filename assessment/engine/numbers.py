"""Numbers as people type them and read them back."""

from __future__ import annotations

import math
import unicodedata


def parse_number(raw: str) -> float:
    """A number typed with any script's digits (Persian ۱۲ as well as 12) and either decimal mark.

    ValueError for anything else, including infinities and not-a-number.
    """
    text = unicodedata.normalize("NFKC", raw.strip()).replace("٫", ".").replace(",", ".")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(raw)
    return number


def plain_number(number: float) -> str:
    """A number as a person types it: 12 rather than 12.0, and no float noise (0.3, not 0.30000000000000004)."""
    rounded = round(number, 6)
    return str(int(rounded)) if float(rounded).is_integer() else str(rounded)
