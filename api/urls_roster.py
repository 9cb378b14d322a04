"""Roster (名册) import routes, included under /api/v1/ by api.urls."""

from django.urls import path

from .views import roster

urlpatterns = [
    path("roster-imports/template.xlsx", roster.RosterTemplateView.as_view(), name="roster-template"),
    path("roster-imports", roster.RosterImportCreateView.as_view(), name="roster-import-create"),
    path("roster-imports/<id:import_id>", roster.RosterImportDetailView.as_view(), name="roster-import-detail"),
    path("roster-imports/<id:import_id>/commit", roster.RosterImportCommitView.as_view(), name="roster-import-commit"),
    path(
        "roster-imports/<id:import_id>/passwords.xlsx",
        roster.RosterPasswordsView.as_view(),
        name="roster-import-passwords",
    ),
]
