"""Lists a page at a time: which page a request asks for, and the links to the others, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import abort, request

from assessment.services.paging import Page, Window

PER_PAGE = 50
MAX_PER_PAGE = 200
"""A page's rows unless `?per_page=` asks for other, and the most it may ask for: the cost of a page is bounded."""


def window() -> Window:
    """The page that `?page=` and `?per_page=` ask for; anything but a whole number from 1 is not found."""
    return Window(_whole("page", 1), min(_whole("per_page", PER_PAGE), MAX_PER_PAGE))


def _whole(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(404)
    if value < 1:
        abort(404)
    return value


@dataclass(frozen=True)
class Navigation:
    """A page and the links to the first, previous, next and last pages (None where there is none)."""

    page: Page[Any]
    current: str
    first: str
    previous: str | None
    next: str | None
    last: str

    def links(self) -> dict[str, str | None]:
        """As the API gives them."""
        return {
            "self": self.current,
            "first": self.first,
            "prev": self.previous,
            "next": self.next,
            "last": self.last,
        }


def navigation(page: Page[Any], external: bool = False) -> Navigation:
    """Links around `page` that keep the request's other arguments (a list's filters); a page past the end is not found.

    `external` gives absolute links, for the API.
    """
    if page.number > page.pages:
        abort(404)
    base = request.base_url if external else request.script_root + request.path

    def to(number: int) -> str:
        arguments = request.args.copy()
        arguments["page"] = str(number)
        return f"{base}?{urlencode(list(arguments.items(multi=True)))}"

    return Navigation(
        page=page,
        current=to(page.number),
        first=to(1),
        previous=to(page.number - 1) if page.number > 1 else None,
        next=to(page.number + 1) if page.number < page.pages else None,
        last=to(page.pages),
    )
