"""The law-text library (法规库): organizers read the texts their banks are checked against and add their
own (paste, or a .txt/.docx upload): preview first, then the same input again to save."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import AuditContext
from quizzes.access import access_law_text_to_manage, access_law_text_to_read, access_unit_for_new_content
from quizzes.importing.detect import MAX_FILE_BYTES
from quizzes.models import LawText
from quizzes.selectors_laws import law_articles, law_texts_for
from quizzes.services.laws import law_text_create, law_text_delete, law_text_lines, law_text_preview

from ..permissions import IsOrganizer, request_user
from ..serializers.laws import (
    LawPreviewSerializer,
    LawTextDetailSerializer,
    LawTextPasteSerializer,
    LawTextSerializer,
    LawTextUploadSerializer,
)

LAW_INPUT = {"multipart/form-data": LawTextUploadSerializer, "application/json": LawTextPasteSerializer}


def _input(request: Request) -> tuple[dict[str, Any], list[str]]:
    data = LawTextUploadSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    file = values.get("file")
    if file is not None:
        content = file.read(MAX_FILE_BYTES + 1)  # the service says "too large" without reading all of it
        return values, law_text_lines(filename=file.name or "", content=content)
    return values, law_text_lines(text=values["text"])


class LawTextFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = LawText
        fields = ["search"]


class LawTextListView(generics.ListAPIView[LawText]):
    """The law texts of the organizer's library: shipped, their unit's ancestors' and their subtree's."""

    permission_classes = [IsOrganizer]
    serializer_class = LawTextSerializer
    filterset_class = LawTextFilter

    def get_queryset(self) -> QuerySet[LawText]:
        if getattr(self, "swagger_fake_view", False):
            return LawText.objects.none()
        return law_texts_for(request_user(self.request)).order_by("unit__path", "name", "-is_current", "-pk")

    @extend_schema(
        operation_id="laws_create",
        summary=gettext_lazy("保存法规文本（与预览相同的输入）"),
        request=LAW_INPUT,
        responses={201: LawTextSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request_user(request)
        values, lines = _input(request)
        law = law_text_create(
            unit=access_unit_for_new_content(user, values.get("unit_id")),
            name=values["name"],
            edition=values["edition"],
            source=values["source"],
            lines=lines,
            created_by=user,
            audit=AuditContext.from_request(request),
        )
        fresh = law_texts_for(user).get(pk=law.pk)  # as the list shows it: article_count, can_delete
        return Response(LawTextSerializer(fresh).data, status=status.HTTP_201_CREATED)


class LawTextPreviewView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="laws_preview",
        summary=gettext_lazy("预览法规文本的分条结果（不保存）"),
        request=LAW_INPUT,
        responses={200: LawPreviewSerializer},
    )
    def post(self, request: Request) -> Response:
        values, lines = _input(request)
        unit = access_unit_for_new_content(request_user(request), values.get("unit_id"))
        preview = law_text_preview(unit=unit, name=values["name"], edition=values["edition"], lines=lines)
        return Response(LawPreviewSerializer(preview.to_dict()).data)


class LawTextDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(operation_id="laws_retrieve", responses=LawTextDetailSerializer)
    def get(self, request: Request, law_id: int) -> Response:
        """One text with all its articles, in order."""
        law = access_law_text_to_read(request_user(request), law_id)
        return Response(LawTextDetailSerializer(law, context={"articles": law_articles(law=law)}).data)

    @extend_schema(operation_id="laws_destroy", responses={204: None})
    def delete(self, request: Request, law_id: int) -> Response:
        """Remove a text that the organizer's subtree added (shipped texts and those of higher units stay)."""
        law = access_law_text_to_manage(request_user(request), law_id)
        law_text_delete(law=law, audit=AuditContext.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
