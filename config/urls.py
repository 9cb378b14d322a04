from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from api.views.docs import SwaggerView

from .frontend import spa_index

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # The web app at the front door; any other path that is not the server's own is a client route.
    path("", spa_index, name="spa"),
    re_path(r"^(?!(?:api|_allauth|admin|static|accounts)(?:/|$)).+$", spa_index, name="spa-route"),
]
