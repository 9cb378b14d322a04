from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import scopes
from accounts.models import Unit
from quizzes import leaderboards, selectors
from quizzes.models import Exam, Question
from quizzes.services.attempts import attempt_start, exam_regrade_question
from quizzes.services.exams import PaperItem, RuleSpec, exam_close, exam_create, exam_publish, exam_update

from ..pagination import PageNumberPagination
from ..permissions import IsOrganizer, owning_unit, request_user
from ..serializers.attempts import AttemptSerializer
from ..serializers.exams import (
    ExamCompositionSerializer,
    ExamInputSerializer,
    ExamSerializer,
    LeaderboardQuerySerializer,
    PersonRowSerializer,
    RegradeInputSerializer,
    RegradeResultSerializer,
    UnitRowSerializer,
)
from .attempts import render_attempt


def visible_exams(request: Request) -> QuerySet[Exam]:
    return selectors.exams_visible_to(request_user(request))


def _composition_from(data: dict[str, Any], request: Request) -> tuple[list[PaperItem] | None, list[RuleSpec] | None]:
    banks = selectors.banks_for(request_user(request))
    fixed = None
    if "fixed_questions" in data:
        wanted = [item["question_id"] for item in data["fixed_questions"]]
        questions = Question.objects.filter(bank__in=banks).in_bulk(wanted)
        missing = [qid for qid in wanted if qid not in questions]
        if missing:
            raise ValidationError({"fixed_questions": [f"试题不存在或无权使用：{missing}"]})
        fixed = [PaperItem(questions[item["question_id"]], item["points"]) for item in data["fixed_questions"]]
    rules = None
    if "draw_rules" in data:
        bank_ids = set(banks.filter(pk__in=[r["bank_id"] for r in data["draw_rules"]]).values_list("pk", flat=True))
        unknown = sorted({r["bank_id"] for r in data["draw_rules"]} - bank_ids)
        if unknown:
            raise ValidationError({"draw_rules": [f"题库不存在或无权使用：{unknown}"]})
        rules = [RuleSpec(**rule) for rule in data["draw_rules"]]
    return fixed, rules


def _exam_fields(data: dict[str, Any], request: Request) -> dict[str, Any]:
    fields = {
        k: v for k, v in data.items() if k not in {"fixed_questions", "draw_rules", "audience_unit_ids", "unit_id"}
    }
    if "audience_unit_ids" in data:
        reachable = list(scopes.staff_units(request_user(request)).filter(pk__in=data["audience_unit_ids"]))
        if len(reachable) != len(set(data["audience_unit_ids"])):
            raise ValidationError({"audience_unit_ids": ["参考单位必须在您管理的单位范围内。"]})
        fields["audience_units"] = reachable
    return fields


class ExamListView(generics.ListAPIView[Exam]):
    serializer_class = ExamSerializer

    def get_queryset(self) -> QuerySet[Exam]:
        if getattr(self, "swagger_fake_view", False):
            return Exam.objects.none()
        return visible_exams(self.request)

    @extend_schema(request=ExamInputSerializer, responses={201: ExamSerializer})
    def post(self, request: Request) -> Response:
        if not scopes.is_organizer(request_user(request)):
            raise PermissionDenied()
        data = ExamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = owning_unit(request, data.validated_data.get("unit_id"))
        fixed, rules = _composition_from(data.validated_data, request)
        exam = exam_create(
            unit=unit,
            created_by=request_user(request),
            fixed=fixed,
            rules=rules,
            **_exam_fields(data.validated_data, request),
        )
        return Response(ExamSerializer(exam).data, status=status.HTTP_201_CREATED)


class ExamLookupMixin(APIView):
    def get_exam(self) -> Exam:
        return get_object_or_404(visible_exams(self.request), pk=self.kwargs["exam_id"])

    def get_managed_exam(self) -> Exam:
        return get_object_or_404(selectors.exams_managed_by(request_user(self.request)), pk=self.kwargs["exam_id"])


class ExamDetailView(ExamLookupMixin):
    @extend_schema(responses=ExamSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        exam = self.get_exam()
        summary = selectors.exam_paper_summary(exam=exam)
        data = ExamSerializer(exam).data
        data.update(question_count=summary.question_count, max_score=str(summary.max_score))
        if selectors.exams_managed_by(request_user(request)).filter(pk=exam.pk).exists():
            data["management"] = ExamCompositionSerializer(selectors.exam_composition(exam=exam)).data
        return Response(data)

    @extend_schema(request=ExamInputSerializer, responses=ExamSerializer)
    def patch(self, request: Request, exam_id: int) -> Response:
        exam = self.get_managed_exam()
        data = ExamInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fixed, rules = _composition_from(data.validated_data, request)
        exam = exam_update(exam=exam, fixed=fixed, rules=rules, **_exam_fields(data.validated_data, request))
        return Response(ExamSerializer(exam).data)


class ExamPublishView(ExamLookupMixin):
    permission_classes = [IsOrganizer]

    @extend_schema(request=None, responses=ExamSerializer)
    def post(self, request: Request, exam_id: int) -> Response:
        return Response(ExamSerializer(exam_publish(exam=self.get_managed_exam())).data)


class ExamCloseView(ExamLookupMixin):
    permission_classes = [IsOrganizer]

    @extend_schema(request=None, responses=ExamSerializer)
    def post(self, request: Request, exam_id: int) -> Response:
        return Response(ExamSerializer(exam_close(exam=self.get_managed_exam())).data)


class ExamStartView(APIView):
    """Start an attempt, or resume the open one (200). The paper never contains the key."""

    @extend_schema(request=None, responses={201: AttemptSerializer, 200: AttemptSerializer})
    def post(self, request: Request, exam_id: int) -> Response:
        exam = Exam.objects.exclude(status=Exam.Status.DRAFT).filter(pk=exam_id).first()
        if exam is None:
            raise NotFound()
        attempt, created = attempt_start(exam=exam, user=request_user(request))
        return Response(
            render_attempt(attempt, exam=exam), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class LeaderboardView(APIView):
    """Person ranking (score desc, time used asc; ties share a rank) or unit ranking of one exam."""

    @extend_schema(
        parameters=[
            LeaderboardQuerySerializer,
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: PersonRowSerializer(many=True)},
    )
    def get(self, request: Request, exam_id: int) -> Response:
        exam = get_object_or_404(Exam.objects.select_related("unit"), pk=exam_id)
        if not selectors.exam_can_be_read_by(exam=exam, user=request_user(request)):
            raise NotFound()
        query = LeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = PageNumberPagination()
        if query.validated_data["by"] == "unit":
            parent = None
            if query.validated_data.get("parent"):
                parent = get_object_or_404(
                    Unit.objects.filter(scopes.subtree_q(exam.unit)), pk=query.validated_data["parent"]
                )
            units = leaderboards.leaderboard_units(exam=exam, parent=parent, primary=query.validated_data["order"])
            page = paginator.paginate_queryset(units, request, view=self)
            return paginator.get_paginated_response(UnitRowSerializer(page, many=True).data)
        user = request_user(request)
        within = selectors.results_unit_scope(user) if scopes.is_results_reader(user) else None
        rows = paginator.paginate_queryset(
            leaderboards.leaderboard_people_rows(exam=exam, within=within), request, view=self
        )
        offset = None if within is not None or paginator.page is None else paginator.page.start_index() - 1
        ranked = leaderboards.leaderboard_rank_rows(exam=exam, rows=rows or [], offset=offset)
        return paginator.get_paginated_response(PersonRowSerializer(ranked, many=True).data)


class ExamRegradeView(ExamLookupMixin):
    permission_classes = [IsOrganizer]

    @extend_schema(request=RegradeInputSerializer, responses=RegradeResultSerializer)
    def post(self, request: Request, exam_id: int) -> Response:
        exam = self.get_managed_exam()
        data = RegradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = get_object_or_404(
            Question.objects.filter(bank__in=selectors.banks_for(request_user(request))),
            pk=data.validated_data["question_id"],
        )
        count = exam_regrade_question(exam=exam, question=question)
        return Response({"regraded_attempts": count})
