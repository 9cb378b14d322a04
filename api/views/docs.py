"""Front doors for newcomers: a JSON index of ``/api/v1/`` and Swagger UI offering both specifications."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ApiIndexView(APIView):
    """Where things are: the schema, its viewers, the login API and the main collections."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": "v1",
                "schema": reverse("schema"),
                "docs": reverse("swagger-ui"),
                "redoc": reverse("redoc"),
                "login_schema": "/_allauth/openapi.json",
                "login": "/_allauth/app/v1/auth/login",
                "collections": {
                    "me": reverse("me"),
                    "units": reverse("unit-list"),
                    "exams": reverse("exam-list"),
                    "banks": reverse("bank-list"),
                },
            }
        )


# Swagger UI and Redoc (its styled-components) set styles from their scripts: on these two pages, and only
# there, the Content-Security-Policy admits inline styles. Scripts stay 'self' only (docs/security.md).
docs_csp = method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")


@docs_csp
class SwaggerView(SpectacularSwaggerSplitView):
    """drf-spectacular's Swagger UI with the standalone layout, so that its ``urls`` picker shows. The split
    view serves its start-up script as a file of this site (``?script``), so that the Content-Security-Policy
    allows no inline script; the page template has no inline style either."""

    template_name = "api/swagger_ui.html"
    template_name_js = "api/swagger_ui.js"


@docs_csp
class RedocView(SpectacularRedocView):
    """Redoc without inline script and without the web fonts drf-spectacular's template loads from Google."""

    template_name = "api/redoc.html"
