"""access_* helpers: what a person may act on, or a domain error (out of scope looks like absent)."""

from __future__ import annotations

import pytest

from quizzes import access, errors
from quizzes.services.attempts import attempt_start
from tests.conftest import app_login, make_bank, make_exam

pytestmark = pytest.mark.django_db


def test_someone_elses_attempt_is_not_found(exam, people):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    assert access.access_own_attempt(people.alice, attempt.pk) == attempt
    with pytest.raises(errors.AttemptNotFound):
        access.access_own_attempt(people.bob, attempt.pk)


def test_exam_access_by_role(tree, bank, people, exam):
    draft = make_exam(unit=tree.city, bank=bank, audience=[tree.city], publish=False, title="草稿")
    assert access.access_exam_to_manage(people.organizer, draft.pk) == draft
    for user, exam_id in [(people.organizer_a, exam.pk), (people.alice, exam.pk), (people.alice, 10**12)]:
        with pytest.raises(errors.ExamNotFound):
            access.access_exam_to_manage(user, exam_id)
    with pytest.raises(errors.ExamNotFound):
        access.access_exam_to_sit(people.alice, draft.pk)
    with pytest.raises(errors.ExamNotFound):
        access.access_exam_to_read(people.alice, draft.pk)
    assert access.access_exam_to_read(people.alice, exam.pk).my_attempts == []  # type: ignore[attr-defined]


def test_unit_for_new_content_stays_in_the_subtree(tree, people):
    assert access.access_unit_for_new_content(people.organizer_a, None) == tree.town_a
    assert access.access_unit_for_new_content(people.organizer_a, tree.town_a_office.pk) == tree.town_a_office
    with pytest.raises(errors.UnitNotAllowed) as refused:
        access.access_unit_for_new_content(people.organizer_a, tree.town_b.pk)
    assert set(refused.value.fields) == {"unit_id"}


def test_composition_names_the_field_and_the_ids(tree, people):
    city_bank = make_bank(tree.city)
    question = city_bank.questions.earliest("id")
    with pytest.raises(errors.InvalidComposition) as refused:
        access.access_questions_for_composition(people.organizer_a, [question.pk])
    assert str(question.pk) in refused.value.fields["fixed_questions"][0]
    with pytest.raises(errors.InvalidComposition) as refused:
        access.access_banks_for_composition(people.organizer_a, [city_bank.pk])
    assert set(refused.value.fields) == {"draw_rules"}


def test_not_found_and_unit_not_allowed_through_http(tree, people, exam):
    client = app_login(people.organizer_a.username)
    missing = client.get(f"/api/v1/banks/{10**12}/questions/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    refused = client.post("/api/v1/banks/", {"name": "北岭题库", "unit_id": tree.town_b.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unit_not_allowed" and "unit_id" in refused.json()["error"]["fields"]
    english = app_login(people.alice.username).get(f"/api/v1/attempts/{10**12}", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and english.json()["error"]["code"] == "not_found"


def test_autosave_and_submit_of_someone_elses_attempt_are_not_found(exam, people):
    from quizzes.services.attempts import answer_save, attempt_submit

    attempt, _ = attempt_start(exam=exam, user=people.alice)
    with pytest.raises(errors.AttemptNotFound):
        attempt_submit(attempt_id=attempt.pk, user=people.bob)
    with pytest.raises(errors.AttemptNotFound):
        answer_save(attempt_id=attempt.pk, user=people.bob, question_id=1, choices=[], seq=1)
    bob = app_login(people.bob.username)
    refused = bob.post(f"/api/v1/attempts/{attempt.pk}/submit")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"


def test_someone_elses_save_is_not_found_while_the_worker_keeps_the_paper(exam, people):
    """The paper's shape this worker keeps (quizzes.caching.cached_paper_shape) names its owner: another person's
    save of a question on it is refused as not found, and stores nothing."""
    from quizzes.models import Answer
    from quizzes.services.attempts import answer_save

    attempt, _ = attempt_start(exam=exam, user=people.alice)
    assert attempt.fresh_paper is not None
    question_id = attempt.fresh_paper[0]["question_id"]
    assert answer_save(attempt_id=attempt.pk, user=people.alice, question_id=question_id, choices=["A"], seq=1).applied
    with pytest.raises(errors.AttemptNotFound):
        answer_save(attempt_id=attempt.pk, user=people.bob, question_id=question_id, choices=["B"], seq=2)
    assert list(Answer.objects.filter(attempt=attempt).values_list("choices", "seq")) == [(["A"], 1)]
