from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.views.docs import RedocView, SwaggerView

from .frontend import spa_index

# JSON errors under /api/ and /_allauth/, Django's HTML pages elsewhere
handler400 = "api.views.errors.bad_request"
handler403 = "api.views.errors.permission_denied"
handler404 = "api.views.errors.page_not_found"
handler500 = "api.views.errors.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    # The web app at the front door; any other path that is not the server's own is a client route.
    path("", spa_index, name="spa"),
    re_path(r"^(?!(?:api|_allauth|admin|static|accounts)(?:/|$)).+$", spa_index, name="spa-route"),
]
if settings.ADMIN_ENABLED:  # DJANGO_ADMIN_ENABLED=0 switches the admin off
    urlpatterns.append(path("admin/", admin.site.urls))
