from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from api.views.docs import RedocView, SwaggerView

# JSON errors under /api/ and /_allauth/, Django's HTML pages elsewhere
handler400 = "api.views.errors.bad_request"
handler403 = "api.views.errors.permission_denied"
handler404 = "api.views.errors.page_not_found"
handler500 = "api.views.errors.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    # Until the web front end is served here, the front door is the API documentation.
    path("", RedirectView.as_view(url="/api/docs/", permanent=False)),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
]
if settings.ADMIN_ENABLED:  # DJANGO_ADMIN_ENABLED=0 switches the admin off
    urlpatterns.append(path("admin/", admin.site.urls))
