"""What the file-import commands (``import_questions``, ``import_roster``) share: reading the file, turning a
domain error into a command error, and printing one located issue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from quizzes.errors import QuizError


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(_("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc.strerror}) from exc


def command_error(exc: QuizError) -> CommandError:
    return CommandError(_("%(message)s（%(code)s）") % {"message": exc.message, "code": exc.code})


def issue_line(level: str, issue: dict[str, Any]) -> str:
    """``  第 3 行 答案 错误：…（code）``: an issue of the preview, where it is and what it says."""
    where = _("第 %(line)d 行") % {"line": issue["line"]} if issue.get("line") else _("文件")
    column = f" {issue['column']}" if issue.get("column") else ""
    return "  " + _("%(where)s%(column)s %(level)s：%(message)s（%(code)s）") % {
        "where": where,
        "column": column,
        "level": level,
        "message": issue["message"],
        "code": issue["code"],
    }
