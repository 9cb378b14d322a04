"""The certificate PDF drawn with the font parsed once per process (quizzes.certificate_pdf._parsed_font):
every document still carries the true outline of each character it shows, its text reads back, and nothing
of one document (its characters, its subset) leaks into the next."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pypdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from quizzes import certificate_pdf
from quizzes.certificate_pdf import CertificateFacts, CertificateFont, certificate_font, render_certificate
from quizzes.errors import CertificateFontMissing

FONT: CertificateFont | None
try:
    FONT = certificate_font()
except CertificateFontMissing:  # pragma: no cover - a machine without fonts-noto-cjk
    FONT = None
pytestmark = pytest.mark.skipif(FONT is None, reason="no CJK font on this machine: install fonts-noto-cjk")

FACTS = CertificateFacts(
    code="7K3MQ9XD2FHT",
    name="王伟芳",
    unit="党政办",
    exam_title="2026年度学纪学法网上考试（民法典专题）",
    score="95",
    grade="优秀",
    exam_date=date(2026, 11, 3),
    issued_on=date(2026, 11, 4),
    issuer="清河市普法办",
    verify_url="https://xuefa.example.gov.cn/verify/7K3MQ9XD2FHT",
)


def _text(content: bytes) -> str:
    # pypdf reads fpdf2's two-byte glyph codes with a NUL before each character
    return re.sub(r"[\s\x00]+", "", pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text())


def _font_program(content: bytes) -> bytes:
    page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    resources: Any = page["/Resources"]
    (font,) = resources["/Font"].values()
    descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return bytes(descriptor["/FontFile3"].get_object().get_data())


def _embedded_cff(content: bytes) -> CFFFontSet:
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(_font_program(content)), None)
    return cff


def _page(content: bytes) -> bytes:
    contents = pypdf.PdfReader(io.BytesIO(content)).pages[0].get_contents()
    assert contents is not None
    return bytes(contents.get_data())


def _outline(charstrings: Any, name: str) -> list[tuple[str, tuple[Any, ...]]]:
    pen = DecomposingRecordingPen(None)
    charstrings[name].draw(pen)
    return pen.value


@pytest.fixture(scope="module")
def font() -> CertificateFont:
    assert FONT is not None
    return FONT


@pytest.fixture(scope="module")
def source(font: CertificateFont) -> TTFont:
    source = TTFont(font.path, fontNumber=font.index, lazy=True)
    if "CFF " not in source:  # pragma: no cover - a TrueType fallback font: the outline check does not apply
        pytest.skip("the outline check reads CFF fonts (Noto CJK)")
    return source


def test_each_character_shown_is_embedded_with_its_own_outline(font, source):
    content = render_certificate(FACTS, font)
    text = _text(content)
    for shown in (
        "合格证书",
        "王伟芳同志",
        "党政办",
        FACTS.exam_title,
        "95分",
        "优秀",
        "7K3M-Q9XD-2FHT",
        "清河市普法办",
    ):
        assert shown in text, shown
    embedded = _embedded_cff(content)
    charstrings = embedded[embedded.fontNames[0]].CharStrings
    source_strings = source["CFF "].cff[source["CFF "].cff.fontNames[0]].CharStrings
    cmap = source.getBestCmap()
    for char in "合格证书王伟芳党政办优秀清河市普法95":
        glyph = cmap[ord(char)]
        assert glyph in charstrings, char
        assert _outline(charstrings, glyph) == _outline(source_strings, glyph), char
    assert len(content) < 80_000  # a subset, not the 16 MB face


def test_documents_drawn_one_after_another_keep_to_their_own_characters(font, source):
    first = render_certificate(FACTS, font)
    second = render_certificate(replace(FACTS, name="欧阳堃", code="2FHT7K3MQ9XD"), font)
    third = render_certificate(FACTS, font)
    assert "欧阳堃同志" in _text(second) and "王伟芳" not in _text(second)
    assert "王伟芳同志" in _text(first) and "欧阳堃" not in _text(third)
    cmap = source.getBestCmap()
    embedded = _embedded_cff(second)
    assert cmap[ord("堃")] in embedded[embedded.fontNames[0]].CharStrings
    embedded = _embedded_cff(third)
    assert cmap[ord("堃")] not in embedded[embedded.fontNames[0]].CharStrings
    # the same facts, the same font program and page (the PDFs differ only in their creation time)
    assert (_font_program(first), _page(first)) == (_font_program(third), _page(third))


def test_the_font_is_read_once_per_process(font):
    render_certificate(FACTS, font)
    before = certificate_pdf._parsed_font.cache_info()
    render_certificate(replace(FACTS, name="李四"), font)
    after = certificate_pdf._parsed_font.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 1
