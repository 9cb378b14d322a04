"""Front doors for newcomers: a JSON index of ``/api/v1/`` and Swagger UI offering both specifications."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView
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


class SwaggerView(SpectacularSwaggerView):
    """drf-spectacular's Swagger UI with the standalone layout, so that its ``urls`` picker shows."""

    template_name_js = "api/swagger_ui.js"
