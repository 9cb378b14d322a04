"""The audit log, read only: organizers read the events of their subtree, the superuser all
(docs/adr/0012-audit-log.md). No write endpoint exists; PUT, PATCH, DELETE and POST answer 405."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.audit import audit_csv_lines, audit_events_for
from accounts.models import AuditEvent

from ..downloads import CSV_CONTENT_TYPE, attachment
from ..pagination import PageNumberPagination
from ..permissions import IsOrganizer, request_user
from ..serializers.audit import AuditEventQuerySerializer, AuditEventSerializer


def _events(request: Request) -> QuerySet[AuditEvent]:
    query = AuditEventQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return audit_events_for(request_user(request), **query.validated_data).select_related("unit")


@extend_schema_view(get=extend_schema(operation_id="audit_events_list", parameters=[AuditEventQuerySerializer]))
class AuditEventListView(generics.ListAPIView[AuditEvent]):
    permission_classes = [IsOrganizer]
    serializer_class = AuditEventSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        return _events(self.request)


class AuditEventCsvView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(
        operation_id="audit_events_csv",
        parameters=[AuditEventQuerySerializer],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        lines = audit_csv_lines(_events(request).iterator(chunk_size=2000))
        response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = attachment(_("审计日志.csv"))
        return response
