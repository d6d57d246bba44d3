"""An uploaded CSV or XLSX file as rows of cells, within limits of size, rows and columns.

Nothing here knows what the rows mean (`services/answer_import.py` does). An XLSX file is a zip
of XML: its unpacked size is checked before it is opened, and only cached values are read
(`data_only`), so a formula a file carries is never evaluated, only its last value seen.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

from assessment.engine.text import N_
from assessment.web.spreadsheets import FORMULA_STARTS

MAX_BYTES = 1024 * 1024
"""As large as a request may be (the app's MAX_CONTENT_LENGTH): a larger upload is refused before it is read."""
MAX_UNPACKED = 40 * 1024 * 1024
"""An XLSX file's parts unpacked: an upload of 1 MB holding far more is a zip bomb, not a template."""
MAX_ROWS = 10_000
"""Answers a file may hold: a workshop of 100 people answering 100 questions each."""
MAX_COLUMNS = 50

NOT_A_SPREADSHEET = N_("This file cannot be read as a spreadsheet: upload the template, filled in, as CSV or XLSX.")
NOT_UTF8 = N_("Save the CSV file as UTF-8 (in Excel: “CSV UTF-8”), then upload it again.")
TOO_LARGE = N_("The file is larger than %(size)s MB: split it into several files.")
TOO_MANY_ROWS = N_("The sheet has more than %(count)s rows: split it into several files.")
TOO_MANY_COLUMNS = N_("The sheet has more than %(count)s columns: keep the template's columns only.")

Rows = list[tuple[object, ...]]


class UnreadableFileError(ValueError):
    """The file is no spreadsheet, or too large to read; `message` is an English msgid with `params`."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def read_rows(data: bytes, suffix: str) -> Rows:
    """The first sheet's rows (the header first), each cut after its last value."""
    if len(data) > MAX_BYTES:
        raise UnreadableFileError(TOO_LARGE, size=MAX_BYTES // (1024 * 1024))
    rows = _xlsx_rows(data) if suffix == "xlsx" else _csv_rows(data)
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFileError(TOO_MANY_ROWS, count=MAX_ROWS)
    if any(len(row) > MAX_COLUMNS for row in rows):
        raise UnreadableFileError(TOO_MANY_COLUMNS, count=MAX_COLUMNS)
    return rows


def _csv_rows(data: bytes) -> Rows:
    if b"\0" in data:
        raise UnreadableFileError(NOT_A_SPREADSHEET)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFileError(NOT_UTF8) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # Excel writes ";" where the decimal mark is ","
    try:
        rows = [tuple(_undefused(cell) for cell in row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise UnreadableFileError(NOT_A_SPREADSHEET) from None
    return _trimmed(rows)


def _undefused(cell: str) -> str:
    """A cell as it was before `spreadsheets.defused` put an apostrophe before it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _xlsx_rows(data: bytes) -> Rows:
    from openpyxl import load_workbook  # on first use: see web/spreadsheets.py

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            unpacked = sum(part.file_size for part in packed.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFileError(NOT_A_SPREADSHEET) from None
    if unpacked > MAX_UNPACKED:
        raise UnreadableFileError(TOO_LARGE, size=MAX_BYTES // (1024 * 1024))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # One row and one column past the limits, to tell that a sheet goes beyond them.
            found = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
            rows = [tuple(row) for row in found]
        finally:
            book.close()
    except Exception:  # a broken part can fail in any of openpyxl's readers; each means the same here
        raise UnreadableFileError(NOT_A_SPREADSHEET) from None
    return _trimmed(rows)


def _trimmed(rows: Sequence[tuple[object, ...]]) -> Rows:
    """Without empty cells at the end of each row, and without empty rows at the end."""
    cut = [row[: max((i + 1 for i, cell in enumerate(row) if not _empty(cell)), default=0)] for row in rows]
    while cut and not cut[-1]:
        cut.pop()
    return cut


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
