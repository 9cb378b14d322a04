"""Pure rules of exam statistics and item analysis: no database, no clock. Tested directly at 100 %
coverage in tests/quizzes/test_statistics.py.

Item analysis follows Moodle's definitions:

- **facility** of a question: the mean mark it earned ÷ its maximum mark (0 = nobody, 1 = everybody).
  Over papers whose points for it differ, Σ marks ÷ Σ maximum marks.
- **discrimination**: the Pearson correlation of the question's mark with the rest of the test (the
  attempt's total minus this question's mark), × 100. Without the correction a question would partly
  correlate with itself. A question whose marks do not vary (everyone right, or everyone wrong), or
  whose rest-of-test does not vary, has no correlation: ``None``.

Marks are stored to the cent, so sums are kept exactly in integer hundredths and turned into a float once,
at the end; a variance of zero is then exactly zero, not a rounding residue.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import scoring

BINS = 10  # score histogram: 0–10, 10–20, … 90–100 % (100 % in the last)
PLACES = 4  # every computed statistic is a float rounded to this many decimal places

FACILITY_FLOOR = 0.3  # below: likely a wrong key, or too hard
DISCRIMINATION_FLOOR = 20.0  # below (0.2 × 100): likely ambiguous or miskeyed

LIKELY_WRONG_KEY_OR_TOO_HARD = "likely_wrong_key_or_too_hard"
AMBIGUOUS_OR_MISKEYED = "ambiguous_or_miskeyed"


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def histogram(percents: Iterable[Decimal]) -> list[int]:
    """Counts of percentages in ``BINS`` bins of ten points: [0, 10), [10, 20), … [90, 100]."""
    bins = [0] * BINS
    for percent in percents:
        bins[max(0, min(int(percent // 10), BINS - 1))] += 1
    return bins


@dataclass(frozen=True)
class BandCount:
    name: str
    min: Decimal
    count: int


def band_counts(percents: Iterable[Decimal], bands: Sequence[Mapping[str, object]]) -> list[BandCount]:
    """How many percentages fall in each grade band (``scoring.grade_band``), highest band first, every
    band listed even when empty."""
    counts = Counter(scoring.grade_band(p, bands) for p in percents)
    ordered = sorted(bands, key=lambda b: Decimal(str(b["min"])), reverse=True)
    return [BandCount(str(b["name"]), Decimal(str(b["min"])), counts[str(b["name"])]) for b in ordered]


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def stdev(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n − 1, as Moodle's quiz statistics); None below two values."""
    return statistics.stdev(values) if len(values) >= 2 else None


def pearson(n: int, sx: int, sy: int, sxx: int, syy: int, sxy: int) -> float | None:
    """Pearson's r from exact sums (n, Σx, Σy, Σx², Σy², Σxy); None when x or y does not vary."""
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return None
    return (n * sxy - sx * sy) / (math.sqrt(vx) * math.sqrt(vy))


def cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def item_flags(facility: float | None, discrimination: float | None) -> list[str]:
    """The warnings on a question: facility below ``FACILITY_FLOOR``, discrimination below
    ``DISCRIMINATION_FLOOR``. A missing value (no attempts, no variance) raises none."""
    flags = []
    if facility is not None and facility < FACILITY_FLOOR:
        flags.append(LIKELY_WRONG_KEY_OR_TOO_HARD)
    if discrimination is not None and discrimination < DISCRIMINATION_FLOOR:
        flags.append(AMBIGUOUS_OR_MISKEYED)
    return flags


@dataclass
class ItemTally:
    """One question's marks over the attempts whose paper held it, added one attempt at a time."""

    n: int = 0
    sum_max: int = 0  # all sums in hundredths of a mark
    sx: int = 0
    sy: int = 0
    sxx: int = 0
    syy: int = 0
    sxy: int = 0
    max_mark: Decimal = Decimal(0)
    choices: Counter[str] = field(default_factory=Counter)
    skipped: int = 0

    def add(self, *, mark: Decimal, max_mark: Decimal, total: Decimal, choices: Sequence[str] | None) -> None:
        """One attempt: its ``mark`` on this question (of ``max_mark``), its ``total`` score, and the
        option letters it chose (None or empty: skipped)."""
        x = cents(mark)
        y = cents(total) - x
        self.n += 1
        self.sum_max += cents(max_mark)
        self.sx += x
        self.sy += y
        self.sxx += x * x
        self.syy += y * y
        self.sxy += x * y
        self.max_mark = max(self.max_mark, max_mark)
        if choices:
            self.choices.update(choices)
        else:
            self.skipped += 1

    @property
    def facility(self) -> float | None:
        """Mean mark ÷ maximum mark, 0–1; None without attempts."""
        return self.sx / self.sum_max if self.sum_max > 0 else None

    @property
    def discrimination(self) -> float | None:
        """Correlation of the mark with the rest of the test, × 100 (−100 to 100); None without variance."""
        r = pearson(self.n, self.sx, self.sy, self.sxx, self.syy, self.sxy)
        return None if r is None else r * 100

    def flags(self) -> list[str]:
        return item_flags(self.facility, self.discrimination)

    def choice_counts(self, letters: Iterable[str]) -> dict[str, int]:
        """How often each option letter was chosen, every letter of ``letters`` listed (then any other
        letter that was chosen, e.g. of an option since removed from the bank), in letter order."""
        counts = dict.fromkeys(letters, 0)
        for letter, count in self.choices.items():
            counts[letter] = count
        return dict(sorted(counts.items()))
