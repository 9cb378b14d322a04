"""Pure scoring rules: no database, no clock. Tested directly in tests/quizzes/test_scoring.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_up_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Round ``value`` up to the next multiple of ``step`` (0.5 step: 1.25 → 1.5)."""
    if step <= 0:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return ((value / step).to_integral_value(rounding=ROUND_CEILING) * step).quantize(CENT)


def score_answer(
    *,
    kind: str,
    key: Iterable[str],
    choices: Iterable[str],
    points: Decimal,
    multiple_mode: str = "all_or_nothing",
    step: Decimal = Decimal("0.5"),
) -> Decimal:
    """Marks for one answer.

    Single and judge questions, and multiple-choice in ``all_or_nothing`` mode, score full points only
    for exactly the key. In ``partial`` mode each correct option earns its share of the points and any
    wrong option scores 0. In ``half`` mode a correct non-empty proper subset earns half the points,
    rounded up to ``step``, and any wrong option scores 0.
    """
    key_set, chosen = set(key), set(choices)
    if not chosen:
        return Decimal("0.00")
    if chosen == key_set:
        return points.quantize(CENT)
    if kind != "multiple" or multiple_mode == "all_or_nothing" or not chosen <= key_set:
        return Decimal("0.00")
    if multiple_mode == "partial":
        return (points * len(chosen) / len(key_set)).quantize(CENT, rounding=ROUND_HALF_UP)
    if multiple_mode == "half":
        return min(points, round_up_to_step(points / 2, step))
    raise ValueError(f"unknown multiple-choice scoring mode {multiple_mode!r}")


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    if max_score <= 0:
        return Decimal(0)
    return (score * 100 / max_score).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_band(percent: Decimal, bands: Sequence[Mapping[str, object]]) -> str:
    """The name of the highest band whose ``min`` (a percentage of full marks) ``percent`` reaches."""
    for band in sorted(bands, key=lambda b: Decimal(str(b["min"])), reverse=True):
        if percent >= Decimal(str(band["min"])):
            return str(band["name"])
    return ""


def is_pass(percent: Decimal, pass_percent: Decimal) -> bool:
    return percent >= pass_percent
