"""Exam-day operations for the organizers who manage an exam: per-person overrides and make-ups."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import AuditContext
from quizzes import results, selectors
from quizzes.access import access_exam_to_manage, access_override, access_people_of_exam
from quizzes.models import ExamOverride
from quizzes.services.overrides import override_delete, overrides_grant

from ..pagination import PageNumberPagination
from ..permissions import IsOrganizer, request_user
from ..serializers.overrides import (
    ExamOverrideInputSerializer,
    ExamOverridePageSerializer,
    MakeupInputSerializer,
    OverrideDeleteQuerySerializer,
    OverrideGrantResultSerializer,
)
from .results import PAGE_PARAMETERS


def _granted(kind: str, overrides: list[ExamOverride]) -> dict[str, Any]:
    return {"kind": kind, "count": len(overrides), "user_ids": [o.user_id for o in overrides]}


class ExamOverrideListView(APIView):
    """The exam's per-person overrides and make-ups (people of the organizer's subtree); grant an override."""

    permission_classes = [IsOrganizer]

    @extend_schema(parameters=PAGE_PARAMETERS, responses=ExamOverridePageSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_manage(user, exam_id)
        paginator = PageNumberPagination()
        rows = paginator.paginate_queryset(selectors.exam_overrides(exam=exam, user=user), request, self)
        page = paginator.page_data(rows)
        return Response(ExamOverridePageSerializer(page).data)

    @extend_schema(request=ExamOverrideInputSerializer, responses={201: OverrideGrantResultSerializer})
    def post(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_manage(user, exam_id)
        data = ExamOverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        people = access_people_of_exam(
            user, exam, user_ids=values.pop("user_ids", None), unit_id=values.pop("unit_id", None)
        )
        overrides = overrides_grant(
            exam=exam,
            user_ids=list(people.values_list("pk", flat=True)),
            kind=ExamOverride.Kind.OVERRIDE,
            by=user,
            audit=AuditContext.from_request(request),
            **values,
        )
        return Response(
            OverrideGrantResultSerializer(_granted(ExamOverride.Kind.OVERRIDE, overrides)).data,
            status=status.HTTP_201_CREATED,
        )


class ExamOverrideDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(parameters=[OverrideDeleteQuerySerializer], responses={204: None})
    def delete(self, request: Request, exam_id: int, override_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_manage(user, exam_id)
        override = access_override(user, exam, override_id)
        query = OverrideDeleteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        override_delete(
            override=override, reason=query.validated_data["reason"], audit=AuditContext.from_request(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExamMakeupView(APIView):
    """Give a make-up window to the absentees and/or those who failed, or to the people named."""

    permission_classes = [IsOrganizer]

    @extend_schema(request=MakeupInputSerializer, responses={201: OverrideGrantResultSerializer})
    def post(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_manage(user, exam_id)
        data = MakeupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        absent, failed = values.pop("absent"), values.pop("failed")
        people = access_people_of_exam(
            user, exam, user_ids=values.pop("user_ids", None), unit_id=values.pop("unit_id", None)
        )
        if absent or failed:
            people = results.makeup_candidates(exam=exam, people=people, absent=absent, failed=failed)
        overrides = overrides_grant(
            exam=exam,
            user_ids=list(people.values_list("pk", flat=True)),
            kind=ExamOverride.Kind.MAKEUP,
            by=user,
            audit=AuditContext.from_request(request),
            **values,
        )
        return Response(
            OverrideGrantResultSerializer(_granted(ExamOverride.Kind.MAKEUP, overrides)).data,
            status=status.HTTP_201_CREATED,
        )
