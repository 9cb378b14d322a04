"""Question import (upload → preview → commit), the Excel template and bank export.

Only organizers, and only for banks in their scope (``banks_for``); others get 404 for the bank.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import AuditContext
from accounts.models import User
from quizzes.importing.detect import MAX_FILE_BYTES
from quizzes.importing.template import XLSX_CONTENT_TYPE, template_xlsx
from quizzes.models import ImportBatch, QuestionBank
from quizzes.selectors import banks_for
from quizzes.services.imports import bank_export_xlsx, import_commit, import_preview

from .downloads import attachment
from .permissions import IsOrganizer

XLSX_RESPONSE = {(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY}


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text=gettext_lazy("题目文件：.xlsx、.csv、.docx 或 .txt"))


class IssueSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("行号（表格的行，文本/Word 的行或段落）"))
    column = serializers.CharField(allow_null=True, help_text=gettext_lazy("列名或字段名，如 答案、选项C"))
    code = serializers.CharField()
    message = serializers.CharField()


class ImportFieldsSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    stem = serializers.CharField(allow_blank=True)
    options = serializers.ListField(child=serializers.CharField(allow_blank=True))
    answer = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(allow_blank=True)
    difficulty = serializers.IntegerField()
    tags = serializers.ListField(child=serializers.CharField())
    exclusion_group = serializers.CharField(allow_blank=True, default="")


class ImportItemSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    fields = ImportFieldsSerializer()  # type: ignore[assignment]
    errors = IssueSerializer(many=True)  # type: ignore[assignment]
    warnings = IssueSerializer(many=True)


class ImportCountsSerializer(serializers.Serializer[Any]):
    questions = serializers.IntegerField()
    valid = serializers.IntegerField(help_text=gettext_lazy("没有错误的试题数"))
    errors = serializers.IntegerField()  # type: ignore[assignment]
    warnings = serializers.IntegerField()


class ImportBatchSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    bank = serializers.IntegerField(source="bank_id")
    filename = serializers.CharField()
    file_format = serializers.CharField()
    status = serializers.CharField()
    counts = serializers.SerializerMethodField()
    file_warnings = IssueSerializer(many=True, help_text=gettext_lazy("不属于任何试题的文件级警告"))
    items = ImportItemSerializer(many=True)
    created_at = serializers.DateTimeField()
    committed_at = serializers.DateTimeField(allow_null=True)
    committed_count = serializers.IntegerField()

    @extend_schema_field(ImportCountsSerializer)
    def get_counts(self, batch: ImportBatch) -> dict[str, int]:
        return {
            "questions": len(batch.items),
            "valid": sum(1 for item in batch.items if not item["errors"]),
            "errors": batch.error_count,
            "warnings": batch.warning_count,
        }


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def _bank(request: Request, bank_id: int) -> QuestionBank:
    return get_object_or_404(banks_for(request.user), pk=bank_id)


class ImportTemplateView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="import_template", summary=gettext_lazy("下载题目导入模板（Excel）"), responses=XLSX_RESPONSE
    )
    def get(self, request: Request) -> HttpResponse:
        return _xlsx_response(template_xlsx(), _("题目导入模板.xlsx"))


class BankExportView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="bank_export", summary=gettext_lazy("按导入模板导出题库（Excel）"), responses=XLSX_RESPONSE
    )
    def get(self, request: Request, bank_id: int) -> HttpResponse:
        bank = _bank(request, bank_id)
        return _xlsx_response(bank_export_xlsx(bank=bank), f"{bank.name}.xlsx")


class ImportCreateView(APIView):
    permission_classes = [IsOrganizer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="bank_import_preview",
        summary=gettext_lazy("上传题目文件并预览"),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchSerializer},
    )
    def post(self, request: Request, bank_id: int) -> Response:
        bank = _bank(request, bank_id)
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        user = request.user if isinstance(request.user, User) else None
        content = file.read(MAX_FILE_BYTES + 1)  # the service says "too large" without reading all of it
        batch = import_preview(bank=bank, uploaded_by=user, filename=file.name or "", content=content)
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="bank_import_detail", summary=gettext_lazy("查看导入预览"), responses=ImportBatchSerializer
    )
    def get(self, request: Request, bank_id: int, batch_id: int) -> Response:
        batch = get_object_or_404(ImportBatch, pk=batch_id, bank=_bank(request, bank_id))
        return Response(ImportBatchSerializer(batch).data)


class ImportCommitView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="bank_import_commit",
        summary=gettext_lazy("确认导入（有错误时拒绝）"),
        request=None,
        responses={
            200: inline_serializer("ImportCommitResult", {"created": serializers.IntegerField()}),
            400: OpenApiResponse(description=gettext_lazy("import_has_errors：预览中还有错误")),
            409: OpenApiResponse(description=gettext_lazy("import_already_committed：已经导入过")),
        },
    )
    def post(self, request: Request, bank_id: int, batch_id: int) -> Response:
        batch = get_object_or_404(ImportBatch, pk=batch_id, bank=_bank(request, bank_id))
        created = import_commit(batch=batch, audit=AuditContext.from_request(request))
        return Response({"created": created})
