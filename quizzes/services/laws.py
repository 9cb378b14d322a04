"""Writes of the law-text library: the shipped texts (quizzes/data/laws/*.txt) and the texts organizers
add (pasted, or a .txt/.docx upload), each split into articles by ``quizzes.lawtexts``.

Adding a text is a preview (``law_text_preview``: nothing written; the article count, first and last
headings, numbering problems) and a commit (``law_text_create``: the same input, split again, refused
while it has errors, written all or nothing). Format and messages: docs/import-formats.md §10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import AuditContext, audit_record
from accounts.models import AuditEvent, Unit, User

from .. import caching
from ..errors import ImportFileError, LawTextInvalid
from ..importing.detect import decode_text, detect_format
from ..importing.parse_docx import docx_lines
from ..lawtexts import ParsedArticle, article_heading, law_key, split_articles, split_problems
from ..models import LawArticle, LawText

LAWS_DIR = Path(__file__).resolve().parent.parent / "data" / "laws"
MAX_NAME = 200
_HEADER_FIELDS = {"名称": "name", "版本": "edition", "来源": "source"}


@dataclass
class LawPreview:
    """What an added text would become: its articles, and problems with where they are (a line of the
    text, or a paragraph of the .docx)."""

    name: str
    key: str
    edition: str
    articles: list[ParsedArticle]
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    replaces_current: str | None = None  # the edition that stops being current on commit

    def to_dict(self) -> dict[str, Any]:
        first = self.articles[0] if self.articles else None
        last = self.articles[-1] if self.articles else None
        return {
            "name": self.name,
            "edition": self.edition,
            "article_count": len(self.articles),
            "first_heading": first.heading if first else None,
            "last_heading": last.heading if last else None,
            "chapters": list(dict.fromkeys(a.chapter for a in self.articles if a.chapter)),
            "sample": [{"heading": a.heading, "text": a.text} for a in self.articles[:3]],
            "errors": self.errors,
            "warnings": self.warnings,
            "replaces_current": self.replaces_current,
        }


def law_text_lines(*, filename: str = "", content: bytes | None = None, text: str | None = None) -> list[str]:
    """The lines of a pasted text, or of an uploaded .txt (any common Chinese encoding) or .docx (its
    paragraphs); ``ImportFileError`` for anything else."""
    if content is None:
        if not (text or "").strip():
            raise ImportFileError(_("请粘贴法规文本或上传 .txt、.docx 文件。"), code="file_empty")
        return (text or "").splitlines()
    file_format = detect_format(filename=filename, content=content)
    if file_format == "docx":
        return [line for _number, line in docx_lines(content)]
    if file_format == "xlsx":
        raise ImportFileError(_("法规文本请上传 .txt 或 .docx 文件。"), code="file_wrong_type")
    return decode_text(content).splitlines()


def _issue(line: int | None, code: str, message: str, field: str = "text") -> dict[str, Any]:
    return {"line": line, "field": field, "code": code, "message": message}


def law_text_preview(*, unit: Unit | None, name: str, edition: str, lines: Sequence[str]) -> LawPreview:
    """Split a text into articles and report what is wrong (errors: no article, a number twice, no name or
    edition, the edition already in the library; warnings: gaps, numbers out of order, empty articles).
    Reads the library, writes nothing."""
    name = name.strip().strip("《》").strip()
    edition = edition.strip()
    key = law_key(name)
    articles = split_articles(lines)
    preview = LawPreview(name=name, key=key, edition=edition, articles=articles)
    if not name:
        preview.errors.append(_issue(None, "name_required", _("请填写法规名称。"), "name"))
    if not edition:
        preview.errors.append(
            _issue(None, "edition_required", _("请填写版本（如通过或修订日期、施行日期）。"), "edition")
        )
    for problem in split_problems(articles):
        heading = ""
        if problem.number is not None:
            heading = articles[0].heading if problem.code == "none" else article_heading(problem.number, problem.sub)
        if problem.code == "none":
            preview.errors.append(
                _issue(None, "no_articles", _("没有找到任何条文：每条应以“第一条”“第二条”……开头，另起一行。"))
            )
        elif problem.code == "duplicate":
            preview.errors.append(
                _issue(problem.line, "duplicate_article", _("%(heading)s 出现了两次。") % {"heading": heading})
            )
        elif problem.code == "gap":
            preview.warnings.append(
                _issue(
                    problem.line,
                    "article_gap",
                    _("%(heading)s 之前缺少条文（上一条是%(previous)s）。")
                    % {
                        "heading": heading,
                        "previous": article_heading(problem.previous, 0) if problem.previous else _("无"),
                    },
                )
            )
        elif problem.code == "order":
            preview.warnings.append(
                _issue(problem.line, "article_order", _("%(heading)s 排在了更大的条号之后。") % {"heading": heading})
            )
        else:
            preview.warnings.append(
                _issue(problem.line, "article_empty", _("%(heading)s 没有条文内容。") % {"heading": heading})
            )
    if name and edition:
        same = LawText.objects.filter(unit=unit, key=key)
        if same.filter(edition=edition).exists():
            preview.errors.append(
                _issue(None, "edition_exists", _("法规库中已有《%(name)s》的这一版本。") % {"name": name}, "edition")
            )
        current = same.filter(is_current=True).values_list("edition", flat=True).first()
        preview.replaces_current = current
    return preview


def _write_articles(law: LawText, articles: Sequence[ParsedArticle]) -> int:
    LawArticle.objects.bulk_create(
        [
            LawArticle(law=law, number=a.number, sub=a.sub, heading=a.heading, text=a.text, chapter=a.chapter[:300])
            for a in articles
        ],
        batch_size=1000,
    )
    return len(articles)


def _make_current(law: LawText) -> None:
    LawText.objects.filter(unit=law.unit, key=law.key, is_current=True).exclude(pk=law.pk).update(is_current=False)
    if not law.is_current:
        law.is_current = True
        law.save(update_fields=["is_current"])


@transaction.atomic
def law_text_create(
    *,
    unit: Unit,
    name: str,
    edition: str,
    lines: Sequence[str],
    source: str = "",
    created_by: User | None = None,
    audit: AuditContext | None = None,
) -> LawText:
    """Add a text to a unit's library as the current edition of its law (the previous current edition
    stays, not current). Refused (``LawTextInvalid``, the preview's errors by field: name, edition, text)
    while it has errors."""
    preview = law_text_preview(unit=unit, name=name, edition=edition, lines=lines)
    if preview.errors:
        fields: dict[str, list[str]] = {}
        for issue in preview.errors:
            message = issue["message"]
            if issue["line"] is not None:
                message = _("第 %(line)d 行：%(message)s") % {"line": issue["line"], "message": message}
            fields.setdefault(issue["field"], []).append(message)
        raise LawTextInvalid(_("法规文本中还有 %(count)d 处错误。") % {"count": len(preview.errors)}, fields=fields)
    law = LawText.objects.create(
        unit=unit,
        name=preview.name[:MAX_NAME],
        key=preview.key[:MAX_NAME],
        edition=preview.edition[:200],
        source=source,
        is_current=False,
        created_by=created_by,
    )
    _write_articles(law, preview.articles)
    _make_current(law)
    audit_record(
        context=audit,
        action=AuditEvent.Action.LAW_TEXT_CREATE,
        unit=unit,
        target=law,
        after={"name": law.name, "edition": law.edition, "articles": len(preview.articles)},
    )
    caching.laws_changed()
    return law


@transaction.atomic
def law_text_delete(*, law: LawText, audit: AuditContext | None = None) -> None:
    """Remove an organizer's text from its unit's library; if it was the current edition, the most recently
    added other edition of the law there becomes current. Questions citing it are left as they are (their
    reviews show the article text from whichever edition is then current, or none)."""
    audit_record(
        context=audit,
        action=AuditEvent.Action.LAW_TEXT_DELETE,
        unit=law.unit,
        target=law,
        before={"name": law.name, "edition": law.edition, "is_current": law.is_current},
    )
    LawText.objects.select_for_update().filter(pk=law.pk).delete()
    caching.laws_changed()
    if law.is_current:
        latest = LawText.objects.filter(unit=law.unit, key=law.key).order_by("-created_at", "-pk").first()
        if latest is not None:
            _make_current(latest)


# --- the shipped texts --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedLaw:
    path: Path
    name: str
    edition: str
    source: str
    articles: list[ParsedArticle]


def read_shipped_law(path: Path) -> ShippedLaw:
    """A shipped text: a header of ``名称：…``, ``版本：…``, ``来源：…`` lines, a blank line, the text."""
    header: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            body = lines[index + 1 :]
            break
        label, _sep, value = line.partition("：")
        if label in _HEADER_FIELDS:
            header[_HEADER_FIELDS[label]] = value.strip()
    else:
        body = []
    articles = split_articles(body)
    if not header.get("name") or not header.get("edition") or not articles:
        raise ImportFileError(
            _("法规文件 %(file)s 缺少名称、版本或条文。") % {"file": path.name}, code="law_file_invalid"
        )
    return ShippedLaw(path, header["name"], header["edition"], header.get("source", ""), articles)


def shipped_law_paths() -> list[Path]:
    return sorted(LAWS_DIR.glob("*.txt"))


@transaction.atomic
def laws_load_shipped() -> dict[str, int]:
    """Load the shipped texts into the shared library (no unit), each as the current edition of its law;
    returns {law name: articles written now}. Idempotent: an edition already loaded with the same articles
    is left as it is; one whose file was corrected since is rewritten."""
    written: dict[str, int] = {}
    for path in shipped_law_paths():
        shipped = read_shipped_law(path)
        key = law_key(shipped.name)
        law = LawText.objects.select_for_update().filter(unit=None, key=key, edition=shipped.edition).first()
        if law is None:
            law = LawText.objects.create(
                unit=None, name=shipped.name, key=key, edition=shipped.edition, source=shipped.source, is_current=False
            )
        count = 0
        stored = list(law.articles.order_by("number", "sub").values_list("number", "sub", "heading", "text", "chapter"))
        wanted = sorted((a.number, a.sub, a.heading, a.text, a.chapter[:300]) for a in shipped.articles)
        if stored != wanted:
            law.articles.all().delete()
            count = _write_articles(law, shipped.articles)
        _make_current(law)
        written[shipped.name] = count
    caching.laws_changed()  # which edition is current may have changed even where no article was written
    return written
