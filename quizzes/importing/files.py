"""One entry point for every accepted file: detect the format, parse, return the questions."""

from __future__ import annotations

from .detect import decode_text, detect_format
from .parse_docx import parse_docx
from .parse_table import csv_rows, looks_like_table, parse_rows, parse_xlsx
from .parse_text import parse_text
from .types import ParseResult


def parse_file(*, filename: str, content: bytes) -> ParseResult:
    """Parsed questions with their errors and warnings; ``ImportFileError`` when the file is unusable."""
    file_format = detect_format(filename=filename, content=content)
    if file_format == "xlsx":
        return parse_xlsx(content)
    if file_format == "docx":
        return parse_docx(content)
    text = decode_text(content)
    if file_format == "csv" or looks_like_table(text):
        return parse_rows(csv_rows(text), file_format="csv")
    result = parse_text(text)
    result.file_format = "txt"
    return result
