import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.people import ROOT_NAME
from demo.seed import seed_demo
from demo.summary import DemoSeedError, DemoSummary


class Command(BaseCommand):
    help = (
        f"Seed a demo city ({ROOT_NAME}): unit tree, ~300 participants, staff accounts, the shipped banks, an open "
        "quiz, a roster exam and a few hundred finished attempts. Safe to run again: adds only what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = seed_demo(rng_seed=options["seed"])
        except DemoSeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(render(summary))
        self.stdout.write(f"\nTook {time.perf_counter() - started:.1f} s.")


def render(summary: DemoSummary) -> str:
    """Per step: created by this run, already there before it, and their sum; the rows cannot disagree."""
    rows: list[tuple[str, ...]] = [("", "created now", "already there", "total")]
    rows += [(step.name, str(step.created), str(step.existing), str(step.total)) for step in summary.steps]
    lines = ["Demo data:", *_table(rows, align_right=True)]
    lines += [f"  warning: {warning}" for warning in summary.warnings]
    lines.append("")
    if summary.created_anything:
        lines.append(f"Created {sum(step.created for step in summary.steps)} records in this run.")
    else:
        lines.append("Nothing to do: the demo data was already complete; this run created nothing.")
    lines += [
        f"{summary.counted_attempts} attempts count on the leaderboards.",
        "",
        "Demo accounts (no password change required):",
    ]
    accounts: list[tuple[str, ...]] = [("account", "password", "role", "unit", "")]
    accounts += [(a.username, a.password, a.role, a.unit, a.note) for a in summary.accounts]
    lines += _table(accounts)
    return "\n".join(lines)


def _table(rows: Sequence[Sequence[str]], *, align_right: bool = False) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - _width(cell))
            cells.append(pad + cell if align_right and index else cell + pad)
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
