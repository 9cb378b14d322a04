"""What kind of file an upload is, judged by its content first and its name second."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .types import ImportFileError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB
MAX_UNPACKED_BYTES = 200 * MB  # a zip bomb stops here, before openpyxl or python-docx unpack it
SUPPORTED = gettext_lazy(".xlsx、.csv、.docx 或 .txt")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES: list[tuple[bytes, StrPromise]] = [
    (b"%PDF", gettext_lazy("PDF 文档")),
    (b"\x89PNG", gettext_lazy("PNG 图片")),
    (b"\xff\xd8\xff", gettext_lazy("JPEG 图片")),
    (b"GIF8", gettext_lazy("GIF 图片")),
    (b"Rar!", gettext_lazy("RAR 压缩包")),
    (b"7z\xbc\xaf", gettext_lazy("7z 压缩包")),
    (b"\x1f\x8b", gettext_lazy("gzip 压缩包")),
    (b"{\\rtf", gettext_lazy("RTF 文档")),
    (b"<?xml", gettext_lazy("XML 文件")),
]


def extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def detect_format(*, filename: str, content: bytes) -> str:
    """ "xlsx", "docx", "csv" or "text", or an ``ImportFileError`` saying clearly what is wrong."""
    ext = extension(filename)
    if not content or not content.strip():
        raise ImportFileError(_("文件为空。"), code="file_empty")
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("文件超过 %(mb)d MB，请拆分后上传。") % {"mb": MAX_FILE_BYTES // MB}, code="file_too_large"
        )
    if content.startswith(_OLE2):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in content:
            raise ImportFileError(
                _("文件设置了打开密码（已加密），无法读取。请在 Excel/Word 中取消密码后重新上传。"),
                code="file_encrypted",
            )
        raise ImportFileError(
            _("不支持旧版 Excel（.xls）或 Word（.doc）文件，请另存为 .xlsx 或 .docx 后上传。"),
            code="file_legacy_format",
        )
    for signature, what in _SIGNATURES:
        if content.startswith(signature):
            raise ImportFileError(
                _("文件类型不符：“%(filename)s”实际是%(what)s。请上传 %(supported)s 文件。")
                % {"filename": filename, "what": what, "supported": SUPPORTED},
                code="file_wrong_type",
            )
    if content.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ImportFileError(
                _("文件“%(filename)s”已损坏或不完整，无法读取。") % {"filename": filename}, code="file_corrupt"
            ) from exc
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _("文件解压后超过 %(mb)d MB，请拆分后上传。") % {"mb": MAX_UNPACKED_BYTES // MB}, code="file_too_large"
            )
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise ImportFileError(
            _(
                "文件类型不符：“%(filename)s”是压缩包，不是 Excel（.xlsx）或 Word（.docx）文件。"
                "请上传 %(supported)s 文件。"
            )
            % {"filename": filename, "supported": SUPPORTED},
            code="file_wrong_type",
        )
    if ext in {".xlsx", ".xlsm", ".docx"}:
        raise ImportFileError(
            _("文件类型不符：“%(filename)s”不是有效的 %(ext)s 文件（可能是改了扩展名的其他文件）。")
            % {"filename": filename, "ext": ext},
            code="file_wrong_type",
        )
    if ext in {".xls", ".doc"}:
        raise ImportFileError(
            _("不支持旧版 Excel（.xls）或 Word（.doc）文件，请另存为 .xlsx 或 .docx 后上传。"),
            code="file_legacy_format",
        )
    if b"\x00" in content[:4096] and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            _("文件类型不符：“%(filename)s”不是文本文件。请上传 %(supported)s 文件。")
            % {"filename": filename, "supported": SUPPORTED},
            code="file_wrong_type",
        )
    return "csv" if ext in {".csv", ".tsv"} else "text"


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode text”), or GB18030 (Chinese Excel)."""
    if content.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("无法识别文件的文字编码，请另存为 UTF-8 或 GB18030（GBK）编码后上传。"), code="file_bad_encoding"
    )
