"""``PlainRendering`` (api/serializers/fields.py): each serializer that renders by its plan gives exactly what
DRF's own walk over the fields gives, for the attempts as the API shows them, and a serializer that is not plain
cannot use it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework import serializers

from api.serializers import accounts as account_serializers
from api.serializers import attempts as attempt_serializers
from api.serializers.fields import FieldsBuiltOnce, PlainRendering
from quizzes import selectors
from quizzes.models import Attempt, AttemptQuestion
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.api.test_law_library import shipped_civil_code
from tests.conftest import People, Tree, make_exam

pytestmark = pytest.mark.django_db

PLAIN = [
    cls
    for module in (attempt_serializers, account_serializers)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, PlainRendering) and cls.__module__ == module.__name__
]


def drf(cls: type[serializers.Serializer[Any]], instance: Any) -> Any:
    """What DRF's own ``Serializer.to_representation`` gives, nested serializers included (they are rendered by
    DRF too: the plan is switched off for the call)."""
    saved = {c: c.__dict__.get("to_representation") for c in PLAIN}
    try:
        for c in PLAIN:
            c.to_representation = serializers.Serializer.to_representation  # type: ignore[method-assign,assignment]
        return cls(instance).data
    finally:
        for c, own in saved.items():
            if own is None:
                delattr(c, "to_representation")
            else:
                c.to_representation = own  # type: ignore[method-assign]


def test_the_attempt_serializers_use_the_plan() -> None:
    names = {cls.__name__ for cls in PLAIN}
    assert {"AttemptSerializer", "PaperQuestionSerializer", "ReviewQuestionSerializer", "ResultSerializer"} <= names


def test_an_attempt_renders_as_drf_renders_it_open_resumed_and_finalised(tree: Tree, people: People) -> None:
    shipped_civil_code()  # the conftest bank cites article 17: the review carries its text
    exam = make_exam(unit=tree.city, bank=_bank(tree), audience=[tree.city], review_policy="immediately")
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    cases: list[Any] = [selectors.attempt_for_owner(attempt=attempt, exam=exam)]  # the start's fresh paper
    paper = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    for seq, row in enumerate(paper[:-1], start=1):  # the last one unanswered
        answer_save(attempt_id=attempt.pk, user=people.alice, question_id=row.question_id, choices=row.answer, seq=seq)
    resumed = Attempt.objects.get(pk=attempt.pk)
    cases.append(selectors.attempt_for_owner(attempt=resumed, exam=exam))  # saved answers, and one None
    submitted = attempt_submit(attempt_id=attempt.pk, user=people.alice)
    cases.append(selectors.attempt_for_owner(attempt=submitted, exam=exam))  # the fresh review
    cases.append(selectors.attempt_for_owner(attempt=Attempt.objects.get(pk=attempt.pk), exam=exam))
    assert any(q["articles"] for q in cases[-1]["review"])
    assert [q["saved"] is None for q in cases[1]["questions"]].count(True) == 1
    for data in cases:
        ours = attempt_serializers.AttemptSerializer(data).data
        assert ours == drf(attempt_serializers.AttemptSerializer, data)
        assert list(ours) == list(drf(attempt_serializers.AttemptSerializer, data))  # the same keys, in order
    assert "questions" not in attempt_serializers.AttemptSerializer(cases[-1]).data  # not required: left out
    assert attempt_serializers.AttemptSerializer(cases[0]).data["result"] is None  # allows null: None


def test_the_small_outputs_render_as_drf_renders_them() -> None:
    now = timezone.now() - timedelta(microseconds=1)
    for cls, instance in [
        (
            attempt_serializers.AnswerOutputSerializer,
            {"question_id": 7, "choices": ["A", "C"], "seq": 3, "saved_at": now, "applied": False},
        ),
        (
            attempt_serializers.PageLeaveOutputSerializer,
            {"applied": 1, "leave_count": 2, "leave_limit": None, "status": "in_progress"},
        ),
        (
            attempt_serializers.ResultSerializer,
            {
                "score": Decimal("87.5"),
                "percent": Decimal("87.50"),
                "grade": "良好",
                "passed": True,
                "time_used_seconds": 61,
                "is_counted": False,
                "rank": None,
                "ranked_count": 0,
                "review_available": False,
            },
        ),
    ]:
        assert cls(instance).data == drf(cls, instance)


def test_a_missing_required_key_fails_as_in_drf() -> None:
    with pytest.raises(KeyError):
        attempt_serializers.AnswerOutputSerializer({"question_id": 7}).data  # noqa: B018


@pytest.mark.parametrize(
    "field",
    [
        serializers.CharField(source="unit.name"),
        serializers.DictField(),
        serializers.PrimaryKeyRelatedField(read_only=True),
    ],
)
def test_a_serializer_that_is_not_plain_cannot_render_by_a_plan(field: serializers.Field[Any, Any, Any, Any]) -> None:
    odd = type(
        "Odd",
        (PlainRendering, FieldsBuiltOnce, serializers.Serializer),
        {"odd": field, "get_odd": lambda self, obj: 1, "__module__": __name__},
    )
    with pytest.raises(TypeError, match=r"Odd\.odd"):
        odd({"odd": 1}).data  # noqa: B018


def _bank(tree: Tree) -> Any:
    from tests.conftest import make_bank

    return make_bank(tree.city)


def test_the_signed_in_person_renders_as_drf_renders_it_with_and_without_a_unit(people: People) -> None:
    """``GET /me``'s serializer: a model serializer with a nested unit and two method fields (called on the
    serializer rendered, as DRF calls them)."""
    from accounts.models import User

    assert {"MeSerializer", "UnitSerializer"} <= {cls.__name__ for cls in PLAIN}
    nobody = User.objects.create(username="无单位", role=User.Role.HR)
    for user in (people.alice, people.organizer, people.hr_b, nobody):
        ours = account_serializers.MeSerializer(user).data
        assert ours == drf(account_serializers.MeSerializer, user) and list(ours) == list(
            drf(account_serializers.MeSerializer, user)
        )
    assert account_serializers.MeSerializer(nobody).data["unit"] is None
    assert account_serializers.MeSerializer(people.organizer).data["is_organizer"] is True


def test_a_nested_serializer_with_a_method_field_cannot_render_by_a_plan() -> None:
    inner = type(
        "Inner",
        (PlainRendering, FieldsBuiltOnce, serializers.Serializer),
        {"odd": serializers.SerializerMethodField(), "get_odd": lambda self, obj: 1, "__module__": __name__},
    )
    outer = type(
        "Outer", (PlainRendering, FieldsBuiltOnce, serializers.Serializer), {"inner": inner(), "__module__": __name__}
    )
    with pytest.raises(TypeError, match=r"Inner\.odd"):
        outer({"inner": {}}).data  # noqa: B018
