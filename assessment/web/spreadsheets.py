"""Downloads as spreadsheets: one way to answer a CSV or XLSX download, whatever it holds.

Text that a spreadsheet would run as a formula (an organisation named "=HYPERLINK(...)") is
defused in both formats: in CSV it gets a leading apostrophe, in XLSX it is written as a plain
string cell, which never becomes a formula. Numbers stay numbers and days stay days, so a reader
can sum and sort them.

openpyxl is imported by the first XLSX written, not when the app starts: it would add a tenth to
every start, command-line ones included, for a feature most requests never use.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from flask import abort
from flask_babel import get_locale
from werkzeug.wrappers import Response

from assessment.web.downloads import content_disposition

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

CSV, XLSX = "csv", "xlsx"
MIMETYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""
DAY_FORMAT, MOMENT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
WIDTHS = (8, 60)
"""The narrowest and widest column, in characters."""
Cell = str | int | float | date | datetime | None


def spreadsheet_response(stem: str, header: Sequence[str], rows: Iterable[Sequence[object]], fmt: str) -> Response:
    """A download of `header` and `rows` as `stem`.csv or `stem`.xlsx; any other format is not found."""
    if fmt not in MIMETYPES:
        abort(404)
    table = [[plain(value) for value in row] for row in rows]
    heading = [plain(value) for value in header]
    body = csv_bytes(heading, table) if fmt == CSV else xlsx_bytes(workbook(heading, table))
    return download(body, stem, fmt)


def download(body: bytes, stem: str, fmt: str) -> Response:
    """The file as an attachment, never cached by a shared proxy."""
    response = Response(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition("attachment", stem, f".{fmt}", "crm-gate")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def plain(value: object) -> Cell:
    """A value as a cell holds it: numbers, days and moments as they are (a moment in UTC, which
    spreadsheets cannot hold with its zone), anything else (a lazy translation too) as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, int | float | date):
        return value
    return str(value)


def defused(text: str) -> str:
    """Text a spreadsheet would run as a formula, behind an apostrophe that it reads as "this is text"."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> bytes:
    """RFC 4180 (quoted where needed, CRLF line ends) in UTF-8 with a byte order mark, by which
    Excel knows the encoding and shows Persian as Persian."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in (header, *rows):
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> object:
    if isinstance(value, str):
        return defused(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def workbook(header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> Workbook:
    """One sheet: the header in bold and frozen, columns as wide as their text (within WIDTHS), laid
    out right to left for a reader of a right-to-left language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.freeze_panes = "A2"
    locale = get_locale()
    sheet.sheet_view.rightToLeft = locale is not None and locale.character_order == "right-to-left"
    for index, width in enumerate(_widths(header, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, value, bold) for value in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    return book


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _widths(header: Sequence[Cell], rows: Sequence[Sequence[Cell]]) -> list[int]:
    widths = [len(str(value or "")) for value in header]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            shown = len(DAY_FORMAT) if isinstance(value, date) else len(str(value or ""))
            widths[index] = max(widths[index], shown)
    least, most = WIDTHS
    return [min(max(width + 2, least), most) for width in widths]


def _xlsx_cell(sheet: Any, value: Cell, font: Any = None) -> WriteOnlyCell:
    """A cell of the value's own type; text is always a string cell (data type "s"), so text
    that starts with "=" stays text, without the characters XML cannot carry."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = isinstance(value, str)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value) if text else value)
    if text:
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = MOMENT_FORMAT
    elif isinstance(value, date):
        cell.number_format = DAY_FORMAT
    if font is not None:
        cell.font = font
    return cell
