import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.demo import DemoSeedError, DemoSummary, seed_demo


class Command(BaseCommand):
    help = (
        "Seed a demo city (清河市): unit tree, ~300 participants, staff accounts, the shipped banks, an open "
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
    lines = ["Demo data:"]
    for step in summary.steps:
        state = "already seeded" if step.already_seeded else f"created {step.created}"
        lines.append(f"  {step.name:<22} {state} ({step.existing} already there)")
    lines += [f"  warning: {warning}" for warning in summary.warnings]
    lines += [
        "",
        f"Units: {summary.units}   Users: {summary.users} ({summary.participants} participants)   "
        f"Questions: {summary.questions}   Exams: {summary.exams}   "
        f"Attempts: {summary.attempts} ({summary.counted_attempts} counted)",
        "",
        "Demo accounts (no password change required):",
    ]
    rows = [("account", "password", "role", "unit")]
    rows += [(a.username, a.password, a.role, a.unit) for a in summary.accounts]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row[:3], widths, strict=True)]
        lines.append("  " + "  ".join([*cells, row[3]]))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
