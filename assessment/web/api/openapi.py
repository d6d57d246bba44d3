"""The API's OpenAPI description, kept in `openapi.yaml` beside the views it describes."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SOURCE = Path(__file__).with_name("openapi.yaml")


@cache
def description() -> dict[str, Any]:
    """The description as JSON data, read once: the file changes only with the code."""
    document: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return document
