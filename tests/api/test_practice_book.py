"""The wrong-answer book (错题本): practice and exam mistakes collected with the person's answer, practised again,
retired after two right answers in a row; exam mistakes only once the exam's review policy shows the key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Exam, Question, WrongAnswer
from quizzes.services.exams import exam_close
from tests.api.test_practice import answer, chapter_bank, open_practice, start
from tests.conftest import app_login, make_exam

pytestmark = pytest.mark.django_db


def book(client, **params) -> list[dict]:
    response = client.get("/api/v1/wrong-answers/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def count(client) -> dict:
    return client.get("/api/v1/wrong-answers/count").json()


def test_a_practice_mistake_enters_the_book_and_retires_after_two_right_answers_in_a_row(tree, people):
    bank = chapter_bank(tree.city)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    alice = app_login(people.alice.username)
    round_ = start(alice, practice["id"], tag="总纲", count=2)
    missed, known = (q["question_id"] for q in round_["questions"])
    result = answer(alice, round_["id"], missed, ["C"]).json()
    assert result["book"] == {"wrong_count": 1, "right_streak": 0, "retired": False}
    answer(alice, round_["id"], known, ["A"])
    assert count(alice) == {"open": 1, "retired": 0}
    [entry] = book(alice)
    assert entry["question_id"] == missed and entry["choices"] == ["C"] and entry["source"] == "practice"
    assert entry["feedback"]["answer"] == ["A"] and entry["wrong_count"] == 1

    def again(choices: list[str]) -> dict:
        redo = alice.post("/api/v1/wrong-answers/rounds", {"count": 5}, format="json")
        assert redo.status_code == 201, redo.content
        assert [q["question_id"] for q in redo.json()["questions"]] == [missed]  # only the book's questions
        return answer(alice, redo.json()["id"], missed, choices).json()["book"]

    assert again(["A"]) == {"wrong_count": 1, "right_streak": 1, "retired": False}
    assert again(["B"]) == {"wrong_count": 2, "right_streak": 0, "retired": False}  # the run starts again
    assert book(alice)[0]["choices"] == ["B"]
    assert again(["A"]) == {"wrong_count": 2, "right_streak": 1, "retired": False}
    assert again(["A"]) == {"wrong_count": 2, "right_streak": 2, "retired": True}
    assert count(alice) == {"open": 0, "retired": 1}
    assert book(alice) == [] and book(alice, retired="true")[0]["question_id"] == missed
    empty = alice.post("/api/v1/wrong-answers/rounds", {}, format="json")
    assert empty.status_code == 409 and empty.json()["error"]["code"] == "no_practice_questions"
    assert count(app_login(people.carol.username)) == {"open": 0, "retired": 0}  # one person's book


def _sit(client, exam: Exam, wrong: int = 1) -> None:
    """Sit ``exam`` answering the first ``wrong`` questions wrong and the rest right."""
    attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    for seq, q in enumerate(attempt["questions"], start=1):
        key = Question.objects.get(pk=q["question_id"]).answer
        choices = key if seq > wrong else (["B"] if key != ["B"] else ["A"])
        client.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['question_id']}",
            {"choices": choices, "seq": seq},
            format="json",
        )
    assert client.post(f"/api/v1/attempts/{attempt['id']}/submit").status_code == 200


def test_an_exam_mistake_enters_the_book_when_the_review_shows_the_key(tree, people, bank):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], review_policy="immediately")
    alice = app_login(people.alice.username)
    _sit(alice, exam, wrong=2)
    entries = book(alice)
    assert len(entries) == 2 and {e["source"] for e in entries} == {"exam"} and entries[0]["exam_id"] == exam.pk
    first = Question.objects.filter(bank=bank).earliest("pk")
    by_question = {e["question_id"]: e for e in entries}
    assert by_question[first.pk]["choices"] == ["B"]
    # the exam is still open to alice: its questions keep their keys hidden in the book
    assert all(e["hidden"] and e["feedback"] is None for e in entries)
    exam_close(exam=exam)
    assert all(not e["hidden"] and e["feedback"] for e in book(alice))
    assert count(alice) == {"open": 2, "retired": 0}


def test_an_exam_mistake_after_close_waits_for_the_close_and_never_is_never_collected(tree, people, bank):
    later = make_exam(unit=tree.city, bank=bank, audience=[tree.city], review_policy="after_close", title="甲")
    alice = app_login(people.alice.username)
    _sit(alice, later)
    assert count(alice)["open"] == 0 and WrongAnswer.objects.filter(user=people.alice).count() == 1
    Exam.objects.filter(pk=later.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert count(alice)["open"] == 1

    never = make_exam(unit=tree.city, bank=bank, audience=[tree.city], review_policy="never", title="乙")
    carol = app_login(people.carol.username)
    _sit(carol, never)
    assert not WrongAnswer.objects.filter(user=people.carol).exists()


def test_a_second_exam_mistake_counts_again_and_puts_a_retired_question_back(tree, people, bank):
    first = Question.objects.filter(bank=bank).earliest("pk")
    WrongAnswer.objects.create(
        user=people.alice,
        question=first,
        choices=["C"],
        wrong_count=1,
        right_streak=2,
        from_practice=True,
        last_wrong_at=timezone.now(),
        retired_at=timezone.now(),
    )
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], review_policy="immediately")
    _sit(app_login(people.alice.username), exam)
    entry = WrongAnswer.objects.get(user=people.alice, question=first)
    assert (entry.wrong_count, entry.right_streak, entry.retired_at, entry.choices) == (2, 0, None, ["B"])
