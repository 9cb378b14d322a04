"""Demo data for a fresh installation (``manage.py seed_demo``): a county-level city's unit tree, about
300 participants, the shipped question banks, an open quiz and a roster exam, a practice set, and a few hundred
finished attempts made through the real services, so that every page has something to show.

Everything is drawn from ``random.Random(rng_seed)`` and planned before anything is written, so the
same seed gives the same people, papers and answers. Each part first looks for what already exists
and only adds what is missing: a second run writes no rows.
"""

from __future__ import annotations

import random
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from quizzes.i18n import join_list
from quizzes.models import Attempt

from .attempts import seed_attempts
from .exams import seed_banks, seed_open_quiz, seed_practice_set, seed_roster_exam
from .people import DEMO_PASSWORD, README_PARTICIPANTS, STAFF, plan_participants, seed_units, seed_users
from .summary import DemoAccount, DemoSummary


def seed_demo(*, now: datetime | None = None, rng_seed: int = 2026) -> DemoSummary:
    """Create (or complete) the demo data set; returns what this run created and what already existed."""
    now = now or timezone.now()
    rng = random.Random(rng_seed)
    participants_rng = random.Random(rng.getrandbits(64))
    paper_rng = random.Random(rng.getrandbits(64))
    summary = DemoSummary()
    with transaction.atomic():
        root, units = seed_units(summary)
        plans = plan_participants(participants_rng)
        users = seed_users(summary, plans, units)
        civil, cadre = seed_banks(summary, root)
        organizer = users["organizer"]
        open_quiz = seed_open_quiz(summary, root, organizer, civil, now)
        roster_exam = seed_roster_exam(summary, root, organizer, cadre or civil, civil, now, paper_rng)
        seed_practice_set(summary, root, organizer, cadre or civil)
        seed_attempts(summary, "open quiz attempts", open_quiz, plans, users, now, lambda p: p.open_quiz)
        seed_attempts(
            summary, "roster exam attempts", roster_exam, plans, users, now, lambda p: (p.roster,) if p.roster else ()
        )
        summary.counted_attempts = Attempt.objects.filter(exam__in=[open_quiz, roster_exam], is_counted=True).count()
    summary.accounts = [
        DemoAccount(s.username, DEMO_PASSWORD, "superuser" if s.is_superuser else s.role, s.unit_name) for s in STAFF
    ]
    fresh, others = plans[:README_PARTICIPANTS], plans[README_PARTICIPANTS:]
    summary.accounts += [
        DemoAccount(
            f"{fresh[0].username} … {fresh[-1].username}",
            DEMO_PASSWORD,
            User.Role.PARTICIPANT,
            join_list(dict.fromkeys(p.unit_name for p in fresh)),
            "can start both exams",
        ),
        DemoAccount(
            f"{others[0].username} … {others[-1].username}",
            DEMO_PASSWORD,
            User.Role.PARTICIPANT,
            _("各单位"),
            "many with results",
        ),
    ]
    return summary
