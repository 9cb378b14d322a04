"""Roster import (名册): template, upload → preview, commit, the one-time download of generated passwords.

Organizers only (HR reads results but does not import); each import covers the importer's unit subtree.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import access_roster_import, access_roster_unit
from accounts.audit import AuditContext
from accounts.roster_xlsx import roster_template_xlsx
from accounts.services.roster import roster_commit, roster_passwords_download, roster_preview
from quizzes.importing.detect import MAX_FILE_BYTES

from ..imports import XLSX_RESPONSE, _xlsx_response
from ..permissions import IsOrganizer, request_user
from ..schema import ErrorSerializer
from ..serializers.roster import RosterCommitSerializer, RosterImportSerializer, RosterUploadSerializer


class RosterTemplateView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="roster_template", summary=gettext_lazy("下载名册导入模板（Excel）"), responses=XLSX_RESPONSE
    )
    def get(self, request: Request) -> HttpResponse:
        return _xlsx_response(roster_template_xlsx(), _("名册导入模板.xlsx"))


class RosterImportCreateView(APIView):
    permission_classes = [IsOrganizer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="roster_import_preview",
        summary=gettext_lazy("上传名册并预览"),
        request={"multipart/form-data": RosterUploadSerializer},
        responses={201: RosterImportSerializer},
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        unit = access_roster_unit(user)
        upload = RosterUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        content = file.read(MAX_FILE_BYTES + 1)  # the service says "too large" without reading all of it
        batch = roster_preview(
            unit=unit,
            uploaded_by=user,
            filename=file.name or "",
            content=content,
            deactivate_missing=upload.validated_data["deactivate_missing"],
        )
        return Response(RosterImportSerializer(batch).data, status=status.HTTP_201_CREATED)


class RosterImportDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="roster_import_detail", summary=gettext_lazy("查看名册导入预览"), responses=RosterImportSerializer
    )
    def get(self, request: Request, import_id: int) -> Response:
        return Response(RosterImportSerializer(access_roster_import(request_user(request), import_id)).data)


class RosterImportCommitView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="roster_import_commit",
        summary=gettext_lazy("确认导入名册（有错误时拒绝）"),
        request=None,
        responses={200: RosterCommitSerializer},
    )
    def post(self, request: Request, import_id: int) -> Response:
        batch = access_roster_import(request_user(request), import_id)
        result = roster_commit(batch=batch, audit=AuditContext.from_request(request))
        passwords = [
            {"real_name": name, "username": username, "unit": unit, "password": password}
            for name, username, unit, password in result.passwords
        ]
        return Response(RosterCommitSerializer({**result.batch.result, "passwords": passwords}).data)


class RosterPasswordsView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="roster_import_passwords",
        summary=gettext_lazy("下载生成的初始密码（只能下载一次）"),
        responses={**XLSX_RESPONSE, 410: ErrorSerializer},
    )
    def get(self, request: Request, import_id: int) -> HttpResponse:
        batch = access_roster_import(request_user(request), import_id)
        return _xlsx_response(roster_passwords_download(batch=batch), _("初始密码.xlsx"))
