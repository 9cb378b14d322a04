"""Files the API sends: the Content-Disposition of a download, and an xlsx written to a temporary file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO
from urllib.parse import quote

from django.http import FileResponse

from quizzes.importing.template import XLSX_CONTENT_TYPE

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def attachment(filename: str) -> str:
    """A Content-Disposition for a download named ``filename`` (Chinese allowed: RFC 6266 ``filename*``),
    with an ASCII ``export.<ext>`` for clients that do not read ``filename*``."""
    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_file(write: Callable[[IO[bytes]], None], filename: str) -> FileResponse:
    """Write the workbook to an anonymous temporary file (gone when the response closes it) and send it."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  # FileResponse closes it
    write(out)
    out.seek(0)
    response = FileResponse(out, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response
