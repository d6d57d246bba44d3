"""Long lists a page at a time: a window of rows and the total, in two statements whatever the list's length."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

from sqlalchemy import Select, func
from sqlalchemy.orm import Session

Row = TypeVar("Row")


@dataclass(frozen=True)
class Window:
    """Which page is asked for: its number, counted from 1, and how many rows a page holds."""

    number: int = 1
    size: int = 50

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


FIRST_PAGE = Window()


@dataclass(frozen=True)
class Page(Generic[Row]):
    items: list[Row]
    number: int
    size: int
    total: int
    """Rows in the whole list."""

    @property
    def pages(self) -> int:
        """How many pages the list fills; an empty list is one empty page."""
        return max(1, ceil(self.total / self.size))


def page_of(session: Session, query: Select[tuple[Row]], window: Window) -> Page[Row]:
    """The rows of `query` in `window`, and how many rows it has in all.

    `query` must order its rows completely (a unique column last), or pages could repeat or skip a row.
    A window past the end has no rows, and is not asked for.
    """
    counted = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    total = session.scalar(counted) or 0
    if window.offset >= total:
        return Page([], window.number, window.size, total)
    items = list(session.scalars(query.limit(window.size).offset(window.offset)))
    return Page(items, window.number, window.size, total)
