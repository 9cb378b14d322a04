from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.audit import AuditContext
from quizzes.access import access_bank_to_manage, access_unit_for_new_content
from quizzes.models import Question, QuestionBank, Tag
from quizzes.selectors import bank_tags, banks_for
from quizzes.services.banks import bank_create, bank_update, question_create, question_update

from ..permissions import IsOrganizer, request_user
from ..serializers.banks import (
    BankTagSerializer,
    QuestionBankInputSerializer,
    QuestionBankSerializer,
    QuestionBankUpdateSerializer,
    QuestionInputSerializer,
    QuestionSerializer,
)


class BankListView(generics.ListCreateAPIView[QuestionBank]):
    """Question banks of the organizer's unit subtree."""

    permission_classes = [IsOrganizer]
    serializer_class = QuestionBankSerializer

    def get_queryset(self) -> QuerySet[QuestionBank]:
        if getattr(self, "swagger_fake_view", False):
            return QuestionBank.objects.none()
        return banks_for(request_user(self.request)).annotate(question_count=Count("questions")).order_by("id")

    @extend_schema(request=QuestionBankInputSerializer, responses={201: QuestionBankSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = QuestionBankInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request_user(request)
        bank = bank_create(
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            unit=access_unit_for_new_content(user, data.validated_data.get("unit_id")),
            created_by=user,
        )
        bank.question_count = 0  # type: ignore[attr-defined]
        return Response(QuestionBankSerializer(bank).data, status=status.HTTP_201_CREATED)


class BankDetailView(generics.RetrieveAPIView[QuestionBank]):
    permission_classes = [IsOrganizer]
    serializer_class = QuestionBankSerializer

    def get_queryset(self) -> QuerySet[QuestionBank]:
        if getattr(self, "swagger_fake_view", False):
            return QuestionBank.objects.none()
        return banks_for(request_user(self.request)).annotate(question_count=Count("questions"))

    @extend_schema(request=QuestionBankUpdateSerializer, responses=QuestionBankSerializer)
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Rename a bank or change its description."""
        bank = self.get_object()
        data = QuestionBankUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bank = bank_update(bank=bank, **data.validated_data)
        return Response(QuestionBankSerializer(bank).data)


class BankTagListView(generics.ListAPIView[Tag]):
    """The tags used in one bank, each with its number of questions there (for filters and draw rules)."""

    permission_classes = [IsOrganizer]
    serializer_class = BankTagSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Tag]:
        if getattr(self, "swagger_fake_view", False):
            return Tag.objects.none()
        return bank_tags(bank=access_bank_to_manage(request_user(self.request), self.kwargs["bank_id"]))


class QuestionFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    kind = django_filters.CharFilter()
    difficulty = django_filters.NumberFilter()
    tag = django_filters.CharFilter(field_name="tags__name")
    search = django_filters.CharFilter(field_name="stem", lookup_expr="icontains")

    class Meta:
        model = Question
        fields = ["kind", "difficulty", "tag", "search", "is_active"]


class BankQuestionsMixin(generics.GenericAPIView[Question]):
    def get_bank(self) -> QuestionBank:
        return access_bank_to_manage(request_user(self.request), self.kwargs["bank_id"])

    def get_queryset(self) -> QuerySet[Question]:
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        return self.get_bank().questions.prefetch_related("tags").order_by("id")


class QuestionListView(BankQuestionsMixin, generics.ListCreateAPIView[Question]):
    """Questions of one bank, with their keys (organizers only)."""

    permission_classes = [IsOrganizer]
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter

    @extend_schema(request=QuestionInputSerializer, responses={201: QuestionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        bank = self.get_bank()
        data = QuestionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = question_create(bank=bank, audit=AuditContext.from_request(request), **data.validated_data)
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class QuestionDetailView(BankQuestionsMixin, generics.RetrieveAPIView[Question]):
    permission_classes = [IsOrganizer]
    serializer_class = QuestionSerializer
    lookup_url_kwarg = "question_id"

    @extend_schema(request=QuestionInputSerializer, responses=QuestionSerializer)
    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        data = QuestionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = question_update(question=question, audit=AuditContext.from_request(request), **data.validated_data)
        return Response(QuestionSerializer(question).data)
