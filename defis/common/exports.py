"""Exports of lists to CSV and XLSX, streamed so that memory does not grow with the rows."""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

Cell = str | int | float | None

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Cell:
    """Make a value safe for a spreadsheet: text that could run as a formula is quoted."""
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(*, header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so that spreadsheet software reads UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralise(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, title: str = "Export"
) -> FileResponse:
    workbook = Workbook(write_only=True)  # rows go to disk as they come
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115  # closed by the FileResponse
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
