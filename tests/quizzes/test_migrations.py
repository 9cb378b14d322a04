"""The 0004 data migration renames a frozen option's ``key`` to ``letter`` in both directions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

BEFORE = [("quizzes", "0003_leaderboard_order_index"), ("accounts", "0001_initial")]
AFTER = [("quizzes", "0004_clearer_names")]


@pytest.mark.django_db(transaction=True)
def test_frozen_options_are_renamed_key_to_letter_and_back(migrate_to: Any) -> None:
    apps = migrate_to(BEFORE)
    unit = apps.get_model("accounts", "Unit").objects.create(name="市", path="0001")
    user = apps.get_model("accounts", "User").objects.create(username="p", unit=unit)
    bank = apps.get_model("quizzes", "QuestionBank").objects.create(name="b", unit=unit)
    question = apps.get_model("quizzes", "Question").objects.create(
        bank=bank, kind="single", stem="s", options=["甲", "乙"], answer=["A"]
    )
    now = timezone.now()
    exam = apps.get_model("quizzes", "Exam").objects.create(
        title="t", unit=unit, opens_at=now, closes_at=now + timedelta(hours=1), is_open=True
    )
    attempt = apps.get_model("quizzes", "Attempt").objects.create(
        exam=exam, user=user, started_at=now, deadline=now, max_score=1
    )
    apps.get_model("quizzes", "AttemptQuestion").objects.create(
        attempt=attempt,
        question=question,
        position=1,
        kind="single",
        stem="s",
        options=[{"key": "B", "text": "乙"}, {"key": "A", "text": "甲"}],
        answer=["A"],
        points=1,
    )

    apps = migrate_to(AFTER)
    frozen = apps.get_model("quizzes", "AttemptQuestion").objects.get()
    assert frozen.options == [{"letter": "B", "text": "乙"}, {"letter": "A", "text": "甲"}]
    assert apps.get_model("quizzes", "Exam").objects.get().is_public is True

    apps = migrate_to(BEFORE)
    assert apps.get_model("quizzes", "AttemptQuestion").objects.get().options[0] == {"key": "B", "text": "乙"}
