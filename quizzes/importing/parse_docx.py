"""Word (.docx) → the lines of its paragraphs and table cells, in document order → ``parse_text``.

The line number of an issue is the paragraph's number in that order (1-based; every paragraph counts,
empty ones too; a paragraph of a table cell counts where the table stands; merged cells count once).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .parse_text import parse_lines
from .types import ImportFileError, ParseResult


def _blocks(parent: Any, container: Any) -> Iterator[str]:
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            table = Table(child, parent)
            seen: dict[int, Any] = {}  # holding the elements keeps their ids stable
            for row in table.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen[id(cell._tc)] = cell._tc
                    yield from _blocks(cell, cell._tc)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(parent, content)


def docx_lines(content: bytes) -> list[tuple[int, str]]:
    try:
        document = Document(io.BytesIO(content))
        paragraphs = list(_blocks(document, document.element.body))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors… on damaged files
        raise ImportFileError(_("Word 文件已损坏或格式不正确，无法读取。"), code="file_corrupt") from exc
    lines: list[tuple[int, str]] = []
    for number, text in enumerate(paragraphs, start=1):
        for part in text.replace("\r", "\n").replace("\v", "\n").split("\n"):
            lines.append((number, part))
    return lines


def parse_docx(content: bytes) -> ParseResult:
    return parse_lines(docx_lines(content), file_format="docx")
