"""Pure rules of results reports: how names are shown, spreadsheet cells made safe, the yearly conclusion.

No database, no clock; tested directly in tests/quizzes/test_reporting.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

DEFAULT_EXCELLENT_PERCENT = Decimal(90)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def mask_name(name: str) -> str:
    """A name with its middle hidden: 张三明 → 张*明, 李四 → 李*, 欧阳娜娜 → 欧**娜; one character stays."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def name_for_participant(policy: str, real_name: str) -> str | None:
    """Another person's name as a participant sees it on a leaderboard, by the exam's privacy setting
    (``full``, ``masked``, ``unit_only``: no name at all). Never the account name or phone number."""
    if policy == "unit_only":
        return None
    if not real_name.strip():
        return _("匿名")
    return real_name if policy == "full" else mask_name(real_name)


def excellent_percent(grade_bands: Sequence[Mapping[str, object]]) -> Decimal:
    """The lowest percentage of the top grade band (default 优秀 ≥ 90)."""
    mins = [Decimal(str(band["min"])) for band in grade_bands if "min" in band]
    return max(mins) if mins else DEFAULT_EXCELLENT_PERCENT


def neutralise_cell[T](value: T) -> T | str:
    """A text cell that a spreadsheet would read as a formula (= + - @, tab or CR first) gets a leading
    apostrophe, so that it stays text; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def format_seconds(seconds: int | None) -> str:
    """Time used as 分:秒 (e.g. 12:05; hours become minutes: 75:00)."""
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclass(frozen=True)
class ExamOutcome:
    """One exam of the year for one person: whether it was required of them, and its counted result."""

    required: bool
    passed: bool | None  # None: no finished attempt
    closed: bool  # the exam's window is over


class YearConclusion:
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"
    NONE_REQUIRED = "none_required"


def yearly_conclusion(outcomes: Iterable[ExamOutcome]) -> str:
    """The year's law-learning conclusion: ``passed`` when every required roster exam of the year was
    passed; ``failed`` when a closed one was not passed (failed or missed); ``pending`` when every one
    not passed yet is still open; ``none_required`` when no roster exam was required of the person.
    Open quizzes are never required."""
    required = [o for o in outcomes if o.required]
    if not required:
        return YearConclusion.NONE_REQUIRED
    if all(o.passed for o in required):
        return YearConclusion.PASSED
    if any(o.closed and not o.passed for o in required):
        return YearConclusion.FAILED
    return YearConclusion.PENDING


def conclusion_label(conclusion: str) -> str:
    labels = {
        YearConclusion.PASSED: _("合格"),
        YearConclusion.FAILED: _("不合格"),
        YearConclusion.PENDING: _("未完成"),
        YearConclusion.NONE_REQUIRED: _("无应考考试"),
    }
    return labels[conclusion]
