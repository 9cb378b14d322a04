"""Law-text library routes (法规库), included under /api/v1/ by api.urls."""

from django.urls import path

from .views import laws

urlpatterns = [
    path("laws/", laws.LawTextListView.as_view(), name="law-list"),
    path("laws/preview", laws.LawTextPreviewView.as_view(), name="law-preview"),
    path("laws/<id:law_id>/", laws.LawTextDetailView.as_view(), name="law-detail"),
]
