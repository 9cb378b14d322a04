"""Certificates (合格证书): the public verification of a code, a participant's own PDF, and for organizers
and HR a person's PDF and a zip of their subtree's, streamed a certificate at a time."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quizzes import selectors_certificates as selectors
from quizzes.access import access_certificate_for_staff, access_own_certificate
from quizzes.certificate_pdf import certificate_font, certificates_zip, render_certificate
from quizzes.errors import CertificateNotFound
from quizzes.models import Certificate

from ..downloads import attachment
from ..links import participant_url
from ..permissions import IsResultsReader, request_user
from ..scoping import results_scope
from ..serializers.certificates import CertificateVerificationSerializer
from ..serializers.results import UnitQuerySerializer

PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}


def verify_url_for(request: Request) -> Callable[[str], str]:
    """The public page a certificate's QR code opens: ``/verify/<code>`` under the site's address
    (XUEFA_SITE_URL, as the exam's QR code), else on the host the request came to."""
    return lambda code: participant_url(request, f"/verify/{code}")


def _pdf(request: Request, certificate: Certificate) -> HttpResponse:
    font = certificate_font()
    facts = selectors.person_certificate_facts(certificate, verify_url=verify_url_for(request))
    response = HttpResponse(render_certificate(facts, font), content_type="application/pdf")
    response["Content-Disposition"] = attachment(
        _("%(title)s-合格证书-%(name)s.pdf") % {"title": facts.exam_title, "name": facts.name}
    )
    return response


class CertificateVerifyView(APIView):
    """Public: whether a certificate code is genuine and still valid, with the holder's masked name."""

    permission_classes = [AllowAny]

    @extend_schema(responses=CertificateVerificationSerializer)
    def get(self, request: Request, code: str) -> Response:
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            raise CertificateNotFound()
        return Response(CertificateVerificationSerializer(selectors.verification(certificate)).data)


class MyCertificatePdfView(APIView):
    """The requester's own certificate for an exam (A4 landscape PDF)."""

    needs_certificate_font = True

    @extend_schema(operation_id="exam_my_certificate_pdf", responses=PDF_RESPONSE)
    def get(self, request: Request, exam_id: int) -> HttpResponse:
        return _pdf(request, access_own_certificate(request_user(request), exam_id))


class PersonCertificatePdfView(APIView):
    """A person's certificate, for organizers and HR whose subtree holds the person."""

    permission_classes = [IsResultsReader]
    needs_certificate_font = True

    @extend_schema(operation_id="exam_person_certificate_pdf", responses=PDF_RESPONSE)
    def get(self, request: Request, exam_id: int, user_id: int) -> HttpResponse:
        return _pdf(request, access_certificate_for_staff(request_user(request), exam_id, user_id))


class CertificatesZipView(APIView):
    """Every valid certificate of a unit subtree as one zip, streamed: memory holds one certificate."""

    permission_classes = [IsResultsReader]
    needs_certificate_font = True

    @extend_schema(
        operation_id="exam_certificates_zip",
        parameters=[UnitQuerySerializer],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, exam_id: int) -> StreamingHttpResponse:
        exam, unit, _query = results_scope(request, exam_id, UnitQuerySerializer)
        font = certificate_font()  # refuse before the response starts, not in the middle of the zip
        items = selectors.subtree_certificates(exam=exam, unit=unit, verify_url=verify_url_for(request))
        response = StreamingHttpResponse(certificates_zip(items, font), content_type="application/zip")
        response["Content-Disposition"] = attachment(
            _("%(title)s-合格证书-%(unit)s.zip") % {"title": exam.title, "unit": unit.name}
        )
        return response
