"""Import/export routes, included under /api/v1/ by api.urls."""

from django.urls import path

from . import imports

urlpatterns = [
    path("banks/import-template.xlsx", imports.ImportTemplateView.as_view(), name="import-template"),
    path("banks/<id:bank_id>/export.xlsx", imports.BankExportView.as_view(), name="bank-export"),
    path("banks/<id:bank_id>/imports", imports.ImportCreateView.as_view(), name="bank-import-create"),
    path("banks/<id:bank_id>/imports/<id:batch_id>", imports.ImportDetailView.as_view(), name="bank-import-detail"),
    path(
        "banks/<id:bank_id>/imports/<id:batch_id>/commit",
        imports.ImportCommitView.as_view(),
        name="bank-import-commit",
    ),
]
