from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes import caching, selectors
from quizzes.access import access_own_attempt
from quizzes.models import Attempt, Exam
from quizzes.services.attempts import answer_save, attempt_submit, page_leave_record

from ..permissions import request_user
from ..serializers.attempts import (
    AnswerInputSerializer,
    AnswerOutputSerializer,
    AttemptSerializer,
    PageLeaveInputSerializer,
    PageLeaveOutputSerializer,
)
from ..serializers.exams import person_rows_json


def render_attempt(attempt: Attempt, *, exam: Exam) -> dict[str, Any]:
    return dict(AttemptSerializer(selectors.attempt_for_owner(attempt=attempt, exam=exam)).data)


class AttemptDetailView(APIView):
    """One of the requester's attempts. Reading writes nothing: an attempt past its deadline stays
    ``in_progress`` until a POST (submit, autosave, start) or ``close_overdue_attempts`` finalises it."""

    @extend_schema(responses=AttemptSerializer)
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = access_own_attempt(request_user(request), attempt_id)
        return Response(render_attempt(attempt, exam=attempt.exam))


class AnswerView(APIView):
    """Autosave one answer: an idempotent upsert; a ``seq`` not above the stored one is ignored."""

    @extend_schema(request=AnswerInputSerializer, responses=AnswerOutputSerializer)
    def put(self, request: Request, attempt_id: int, question_id: int) -> Response:
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = answer_save(
            attempt_id=attempt_id,
            user=request_user(request),
            question_id=question_id,
            choices=data.validated_data["choices"],
            seq=data.validated_data["seq"],
        )
        answer = result.answer
        return Response(
            AnswerOutputSerializer(
                {
                    "question_id": answer.question_id,
                    "choices": answer.choices,
                    "seq": answer.seq,
                    "saved_at": answer.saved_at,
                    "applied": result.applied,
                }
            ).data
        )


class AttemptSubmitView(APIView):
    """Hand in. Idempotent: submitting again returns the first result."""

    @extend_schema(request=None, responses=AttemptSerializer)
    def post(self, request: Request, attempt_id: int) -> Response:
        with caching.rendering_own_rows(person_rows_json):  # the submitter's own row of the board, stored as it answers
            attempt = attempt_submit(attempt_id=attempt_id, user=request_user(request))
        return Response(render_attempt(attempt, exam=attempt.exam))


class PageLeaveView(APIView):
    """The participant app reports that the exam page was hidden or shown again. Only the attempt's
    owner, only while it is in progress; a leave beyond the exam's ``leave_limit`` submits the attempt."""

    @extend_schema(request=PageLeaveInputSerializer, responses=PageLeaveOutputSerializer)
    def post(self, request: Request, attempt_id: int) -> Response:
        data = PageLeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = page_leave_record(
            attempt_id=attempt_id,
            user=request_user(request),
            kind=data.validated_data["kind"],
            seq=data.validated_data["seq"],
        )
        attempt = result.attempt
        return Response(
            PageLeaveOutputSerializer(
                {
                    "applied": result.applied,
                    "leave_count": attempt.leave_count,
                    "leave_limit": attempt.exam.leave_limit,
                    "status": attempt.status,
                }
            ).data
        )
