"""Drawing certificates (合格证书) as PDF, and a zip of many, streamed.

fpdf2 writes the PDF and embeds a subset of a CJK font: only the glyphs a certificate uses (about 15 KB a
certificate). The font is not shipped with Xuefa (a Chinese font is 16–25 MB; a subset small enough to
commit would miss the rare characters of people's names); the server's font is used: ``XUEFA_CERTIFICATE_FONT``
when set, else the first of ``FONT_CANDIDATES`` present (Debian/Ubuntu ``fonts-noto-cjk``, then
``fonts-wqy-zenhei`` and ``fonts-arphic-uming``). Without one, certificates refuse with
``CertificateFontMissing`` and ``manage.py check`` warns (docs/deployment.md). Nothing is downloaded.

fpdf2 rather than reportlab: Noto CJK's outlines are CFF (PostScript), which reportlab cannot embed, and
both spend their time on the font (bench/certificates_bench.py). fpdf2's reading of the font (its character
map and every glyph's width) is done once per process (``_parsed_font``); each document gets a copy of it
with its own subset and its own lazily opened font file, which fpdf2's output subsets in place.
"""

from __future__ import annotations

import copy
import functools
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable, table__c_m_a_p
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from . import certificates
from .errors import CertificateFontMissing

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-serif-cjk-fonts/NotoSerifCJK-Regular.ttc",  # Fedora, RHEL
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
)
RED = (150, 27, 27)
GOLD = (184, 134, 11)
INK = (33, 33, 33)
GREY = (110, 110, 110)


@dataclass(frozen=True)
class CertificateFont:
    path: str
    index: int  # the face of a font collection (.ttc): Noto CJK's simplified Chinese one


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate shows: the current facts of the certificate's person, exam and counting attempt."""

    code: str
    name: str
    unit: str
    exam_title: str
    score: str
    grade: str
    exam_date: date
    issued_on: date
    issuer: str
    verify_url: str


def certificate_font() -> CertificateFont:
    """The configured CJK font, else the first candidate present; ``CertificateFontMissing`` if none."""
    configured = settings.XUEFA_CERTIFICATE_FONT
    for path in [configured] if configured else FONT_CANDIDATES:
        if Path(path).is_file():
            return _font_at(path)
    raise CertificateFontMissing()


@functools.cache
def _font_at(path: str) -> CertificateFont:
    """The font at ``path``; of a collection, the face whose name says simplified Chinese (SC), else the first."""
    if not path.lower().endswith((".ttc", ".otc")):
        return CertificateFont(path, 0)
    faces = TTCollection(path, lazy=True).fonts
    names = [str(face["name"].getDebugName(4) or "") for face in faces]
    index = next((i for i, name in enumerate(names) if " SC" in name or name.endswith("SC")), 0)
    return CertificateFont(path, index)


FAMILY = "cjk"
UNUSED_TABLES = ("GDEF", "GPOS", "GSUB", "vhea", "vmtx", "VORG")


@functools.cache
def _parsed_font(font: CertificateFont) -> TTFFont:
    """fpdf2's reading of ``font`` (the character map and every glyph's width: 65,000 glyphs in Noto CJK),
    done once per process and shared, read-only, by every document (``_add_font``): about 18 MiB held."""
    pdf = FPDF()
    pdf.add_font(FAMILY, fname=font.path, collection_font_number=font.index)
    parsed = pdf.fonts[FAMILY]
    assert isinstance(parsed, TTFFont)
    parsed.ttfont.close()  # its decompiled tables (about 36 MiB): every document opens the file anew
    parsed.ttfont = _open(font)
    return parsed


def _open(font: CertificateFont) -> TTFont:
    return TTFont(font.path, fontNumber=font.index, lazy=True, recalcTimestamp=False, recalcBBoxes=False)


def _add_font(pdf: FPDF, font: CertificateFont) -> None:
    """``pdf.add_font`` for ``font`` without reading it again: a copy of the parsed font with what one
    document changes of its own. Its ``ttfont`` is the font file opened anew (lazily, so its tables are
    read only when the output subsets them), since fpdf2's output subsets it in place. Left out before
    the subsetter reads them: the layout tables that fpdf2's output drops anyway, and the vertical
    metrics, unused in horizontal text. The subset keeps the whole font's bounding box rather than
    recomputing it from the glyphs' outlines (the PDF's font descriptor has its own)."""
    parsed = _parsed_font(font)
    mine = copy.copy(parsed)  # shares the read-only character map, widths and descriptor
    mine.ttfont = _open(font)
    for tag in UNUSED_TABLES:
        if tag in mine.ttfont:
            del mine.ttfont[tag]
    if mine.is_cff and mine.is_cid_keyed:
        # such a font (Noto CJK) is embedded as its CFF table alone, so the subsetter need not read its
        # character map of 65,000 entries (text maps to glyphs through the shared ``parsed.cmap``)
        mine.ttfont["cmap"] = _empty_cmap()
    mine.i = len(pdf.fonts) + 1
    mine.missing_glyphs = []
    mine.biggest_size_pt = 0
    mine.subset = SubsetMap(mine)
    pdf.fonts[FAMILY] = mine
    if mine.is_cff and mine.is_cid_keyed:  # as add_font does
        pdf._set_min_pdf_version("1.6")


def _empty_cmap() -> table__c_m_a_p:
    table = cast(table__c_m_a_p, newTable("cmap"))
    table.tableVersion = 0
    subtable = CmapSubtable.newSubtable(4)
    subtable.platformID, subtable.platEncID, subtable.language, subtable.cmap = 3, 1, 0, {}
    table.tables = [subtable]
    return table


def _date(day: date) -> str:
    return _("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def render_certificate(facts: CertificateFacts, font: CertificateFont) -> bytes:
    """One A4 landscape certificate with the verification code and a QR code of ``facts.verify_url``."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_("合格证书") + " " + certificates.format_code(facts.code))
    pdf.set_creator("Xuefa")
    pdf.set_auto_page_break(auto=False)
    _add_font(pdf, font)
    pdf.add_page()
    # frame: a red outer line and a thin gold inner one
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.6)
    pdf.rect(10, 10, 277, 190)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(15, 15, 267, 180)

    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, size=40)
    pdf.set_char_spacing(12)
    pdf.set_xy(15, 28)
    pdf.cell(267, 18, _("合格证书"), align="C")
    pdf.set_char_spacing(0)

    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=20)
    pdf.set_xy(40, 72)
    pdf.cell(217, 12, _("%(name)s 同志：") % {"name": facts.name})
    pdf.set_font(FAMILY, size=16)
    pdf.set_xy(40, 90)
    body = _("　　您于%(date)s参加“%(exam)s”，成绩 %(score)s 分，等级%(grade)s，经考核合格，特发此证。") % {
        "date": _date(facts.exam_date),
        "exam": facts.exam_title,
        "score": facts.score,
        "grade": facts.grade,
    }
    pdf.multi_cell(217, 10, body)
    pdf.set_font(FAMILY, size=14)
    pdf.set_xy(40, pdf.get_y() + 2)
    pdf.cell(217, 10, _("单位：%(unit)s") % {"unit": facts.unit})

    # issuer and date, bottom right
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=16)
    pdf.set_xy(150, 150)
    pdf.cell(112, 10, facts.issuer, align="R")
    pdf.set_font(FAMILY, size=13)
    pdf.set_xy(150, 161)
    pdf.cell(112, 8, _date(facts.issued_on), align="R")

    # verification, bottom left: QR code, the code and where to check it
    _draw_qr(pdf, facts.verify_url, x=30, y=140, size=34)
    pdf.set_font(FAMILY, size=10)
    pdf.set_text_color(*GREY)
    pdf.set_xy(68, 150)
    pdf.cell(80, 6, _("证书编号：%(code)s") % {"code": certificates.format_code(facts.code)})
    pdf.set_xy(68, 157)
    pdf.cell(80, 6, _("扫码或访问以下地址验证："))
    pdf.set_xy(68, 163)
    pdf.set_font(FAMILY, size=8)
    pdf.cell(80, 5, facts.verify_url)
    return bytes(pdf.output())


def _draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles (one per run of dark modules in a row): vector, sharp at any zoom,
    no image library involved."""
    qr = segno.make(data, error="m", micro=False)
    rows = [list(row) for row in qr.matrix]
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")


class _Chunks:
    """A write-only file for ``zipfile`` that hands out what was written since the last ``take``."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def certificates_zip(items: Iterable[tuple[str, CertificateFacts]], font: CertificateFont) -> Iterator[bytes]:
    """A zip of one PDF per ``(filename, facts)``, yielded a certificate at a time: memory holds one
    certificate, whatever the count. PDFs are already compressed, so they are stored, not deflated."""
    out = _Chunks()
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for filename, facts in items:
            archive.writestr(filename, render_certificate(facts, font))
            yield out.take()
    yield out.take()
