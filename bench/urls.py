"""The application's URLs plus the ceiling: a trivial JSON view through the same middleware, served by the
same server and workers, against which bench/load_bench.py states every figure."""

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as app_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def ceiling(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns: list[URLPattern | URLResolver] = [path("bench/ceiling", ceiling), *app_urlpatterns]
