"""What a seed run did: per step, what it created now and what was already there."""

from __future__ import annotations

from dataclasses import dataclass, field


class DemoSeedError(Exception):
    pass


@dataclass(frozen=True)
class SeedStep:
    name: str
    created: int  # by this run
    existing: int  # already there before this run

    @property
    def total(self) -> int:
        return self.created + self.existing


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    unit: str
    note: str = ""


@dataclass
class DemoSummary:
    steps: list[SeedStep] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counted_attempts: int = 0

    def add(self, name: str, *, created: int, existing: int) -> None:
        self.steps.append(SeedStep(name, created, existing))

    def total(self, name: str) -> int:
        return next(step.total for step in self.steps if step.name == name)

    @property
    def created_anything(self) -> bool:
        return any(step.created for step in self.steps)
