"""Simulated sittings, made through the real services: start, autosave every answer, hand in."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from accounts.models import User
from quizzes.models import Attempt, Exam, QuestionKind
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit

from .people import AttemptPlan, ParticipantPlan
from .summary import DemoSummary


def seed_attempts(
    summary: DemoSummary,
    step: str,
    exam: Exam,
    plans: Sequence[ParticipantPlan],
    users: dict[str, User],
    now: datetime,
    sittings_of: Callable[[ParticipantPlan], Sequence[AttemptPlan]],
) -> None:
    """The planned sittings of everyone who has not sat ``exam`` yet, spread over its window so far.

    Someone with any attempt at the exam (the demo's, or their own made since) is left alone.
    """
    existing = Attempt.objects.filter(exam=exam)
    before = existing.count()
    sat = set(existing.values_list("user_id", flat=True))
    window_start = exam.opens_at
    window_end = min(now, exam.closes_at) - timedelta(hours=1)
    created = 0
    if window_end > window_start:
        for plan in plans:
            user = users[plan.username]
            if user.pk in sat:
                continue
            for sitting in sittings_of(plan):
                sit(exam, user, sitting, window_start + (window_end - window_start) * sitting.position)
                created += 1
    summary.add(step, created=created, existing=before)


def sit(exam: Exam, user: User, plan: AttemptPlan, started: datetime) -> None:
    """One sitting through the real services: start, autosave every answer, hand in."""
    rng = random.Random(plan.seed)
    attempt, _created = attempt_start(exam=exam, user=user, now=started, rng=rng)
    paper = list(attempt.paper.order_by("position").values("question_id", "kind", "options", "answer"))
    used = timedelta(seconds=int(plan.time_share * exam.time_limit_seconds))
    answering = min(used, attempt.deadline - started - timedelta(seconds=5))
    for position, question in enumerate(paper, start=1):
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            question_id=question["question_id"],
            choices=choose(
                rng, question["kind"], [o["letter"] for o in question["options"]], question["answer"], plan.skill
            ),
            seq=1,
            now=started + answering * position / (len(paper) + 1),
        )
    handed_in = attempt.deadline + timedelta(minutes=5) if plan.times_out else started + answering
    attempt_submit(attempt_id=attempt.pk, user=user, now=handed_in)


def choose(rng: random.Random, kind: str, letters: Sequence[str], answer: Sequence[str], skill: float) -> list[str]:
    """The key with probability ``skill`` (lower for multiple choice), else a plausible mistake."""
    if rng.random() < (skill**1.5 if kind == QuestionKind.MULTIPLE else skill):
        return list(answer)
    wrong = [k for k in letters if k not in answer]
    if kind == QuestionKind.MULTIPLE:
        if len(answer) > 1 and (not wrong or rng.random() < 0.5):
            return sorted(rng.sample(list(answer), rng.randint(1, len(answer) - 1)))  # missed an option
        if wrong:
            return sorted({*rng.sample(list(answer), max(1, len(answer) - 1)), rng.choice(wrong)})
    return [rng.choice(wrong)] if wrong else list(answer)
