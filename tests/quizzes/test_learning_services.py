"""The learning services where the API cannot reach: their own checks, and the races they settle."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Unit
from quizzes.errors import InvalidPracticeSet, NoPracticeQuestions, PracticeSetNotFound
from quizzes.models import PracticeItem, PracticeRound, PracticeSet, QuestionBank
from quizzes.selectors_learning import audience_unit_of
from quizzes.services import learning as services
from quizzes.services.attempts import validate_choices
from tests.api.test_practice import chapter_bank

pytestmark = pytest.mark.django_db


def _set(tree, people, bank: QuestionBank | None = None, **fields: Any) -> PracticeSet:
    bank = bank or chapter_bank(tree.city)
    return services.practice_set_create(
        user=people.organizer, title="练习", bank_id=bank.pk, audience_unit_ids=[tree.town_a.pk], **fields
    )


def test_a_practice_set_needs_an_audience(tree, people):
    bank = chapter_bank(tree.city)
    with pytest.raises(InvalidPracticeSet) as created:
        services.practice_set_create(user=people.organizer, title="练习", bank_id=bank.pk, audience_unit_ids=[])
    assert "audience_unit_ids" in created.value.fields
    practice_set = _set(tree, people, bank)
    with pytest.raises(InvalidPracticeSet):
        services.practice_set_update(user=people.organizer, practice_set=practice_set, audience_unit_ids=[])


def test_updating_a_practice_set_changes_its_audience_and_tags(tree, people):
    practice_set = _set(tree, people)
    services.practice_set_update(
        user=people.organizer, practice_set=practice_set, audience_unit_ids=[tree.town_b.pk], tags=["公民"]
    )
    assert list(practice_set.audience_units.all()) == [tree.town_b]
    assert [t.name for t in practice_set.tags.all()] == ["公民"]


def test_daily_questions_for_someone_outside_the_audience_are_refused(tree, people):
    practice_set = _set(tree, people)
    with pytest.raises(NoPracticeQuestions):
        services.daily_round_start(practice_set=practice_set, user=people.bob)  # town B: the views answer 404 first


def test_two_daily_starts_at_once_give_one_round(tree, people, monkeypatch):
    practice_set = _set(tree, people)
    original = audience_unit_of
    other: list[PracticeRound] = []

    def other_tab_meanwhile(**kwargs: Any) -> Unit | None:
        # the person's other tab creates the day's round after this request found none
        monkeypatch.setattr("quizzes.services.learning.audience_unit_of", original)
        other.append(services.daily_round_start(practice_set=practice_set, user=people.alice))
        return original(**kwargs)

    monkeypatch.setattr("quizzes.services.learning.audience_unit_of", other_tab_meanwhile)
    practice_round = services.daily_round_start(practice_set=practice_set, user=people.alice)
    assert PracticeRound.objects.filter(user=people.alice, kind="daily").get() == practice_round == other[0]


def test_two_answers_at_once_keep_the_first(tree, people, monkeypatch):
    practice_set = _set(tree, people)
    practice_round = services.practice_round_start(practice_set=practice_set, user=people.alice, count=1)
    item = practice_round.items.get()
    original = validate_choices

    def other_answer_first(**kwargs: Any) -> list[str]:
        PracticeItem.objects.filter(pk=item.pk).update(choices=["B"], correct=False, answered_at=item.round.started_at)
        return original(**kwargs)

    monkeypatch.setattr("quizzes.services.learning.validate_choices", other_answer_first)
    result = services.practice_answer(
        round_id=practice_round.pk, user=people.alice, question_id=item.question_id, choices=["A"]
    )
    assert (result.applied, result.correct, result.choices) == (False, False, ["B"])


def test_an_answer_whose_book_entry_fails_is_not_recorded_either(tree, people, monkeypatch):
    practice_set = _set(tree, people)
    practice_round = services.practice_round_start(practice_set=practice_set, user=people.alice, count=1)
    item = practice_round.items.get()
    wrong = ["B"] if item.question.answer != ["B"] else ["A"]

    def lost(**kwargs: Any) -> None:
        raise RuntimeError("the database went away between the two statements")

    monkeypatch.setattr("quizzes.services.learning._book_write", lost)
    with pytest.raises(RuntimeError):
        services.practice_answer(
            round_id=practice_round.pk, user=people.alice, question_id=item.question_id, choices=wrong
        )
    item.refresh_from_db()
    assert item.answered_at is None  # the answer can be given again, and its book entry written with it
    monkeypatch.undo()
    again = services.practice_answer(
        round_id=practice_round.pk, user=people.alice, question_id=item.question_id, choices=wrong
    )
    assert again.applied and again.book is not None and again.book.wrong_count == 1


def test_the_access_helpers_refuse_what_is_not_reachable(tree, people):
    from quizzes.access import access_practice_set_to_manage, access_practice_set_to_practise

    practice_set = _set(tree, people)
    with pytest.raises(PracticeSetNotFound):
        access_practice_set_to_practise(people.bob, practice_set.pk)
    with pytest.raises(PracticeSetNotFound):
        access_practice_set_to_manage(people.alice, practice_set.pk)
