from django.urls import URLPattern, URLResolver, include, path, register_converter

from .converters import IdConverter
from .views import accounts, attempts, audit, banks, certificates, docs, exams, learning, overrides, people, results

register_converter(IdConverter, "id")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", docs.ApiIndexView.as_view(), name="api-index"),
    path("me", accounts.MeView.as_view(), name="me"),
    path("units/", accounts.UnitListView.as_view(), name="unit-list"),
    path("site-settings", accounts.SiteSettingsView.as_view(), name="site-settings"),
    path("audit-events", audit.AuditEventListView.as_view(), name="audit-event-list"),
    path("audit-events.csv", audit.AuditEventCsvView.as_view(), name="audit-event-csv"),
    path("units/managed", people.ManagedUnitListView.as_view(), name="unit-managed"),
    path("units/managed/<id:unit_id>", people.ManagedUnitDetailView.as_view(), name="unit-managed-detail"),
    path("users/", people.PeopleListView.as_view(), name="user-list"),
    path("users/<id:user_id>", people.PersonDetailView.as_view(), name="user-detail"),
    path("users/<id:user_id>/password", people.PersonPasswordView.as_view(), name="user-password"),
    path("users/<id:user_id>/unlock", accounts.UserUnlockView.as_view(), name="user-unlock"),
    path("banks/", banks.BankListView.as_view(), name="bank-list"),
    path("banks/<id:pk>/", banks.BankDetailView.as_view(), name="bank-detail"),
    path("banks/<id:bank_id>/tags/", banks.BankTagListView.as_view(), name="bank-tags"),
    path("banks/<id:bank_id>/questions/", banks.QuestionListView.as_view(), name="question-list"),
    path("banks/<id:bank_id>/questions/<id:question_id>/", banks.QuestionDetailView.as_view(), name="question-detail"),
    path("exams/", exams.ExamListView.as_view(), name="exam-list"),
    path("exams/managed", exams.ConsoleExamListView.as_view(), name="exam-managed-list"),
    path("exams/draw-availability", exams.DrawAvailabilityView.as_view(), name="exam-draw-availability"),
    path("exams/<id:exam_id>/", exams.ExamDetailView.as_view(), name="exam-detail"),
    path("exams/<id:exam_id>/sample-paper", exams.SamplePaperView.as_view(), name="exam-sample-paper"),
    path("exams/<id:exam_id>/qr.png", exams.ExamQrCodeView.as_view(), name="exam-qr-png"),
    path("exams/<id:exam_id>/publish", exams.ExamPublishView.as_view(), name="exam-publish"),
    path("exams/<id:exam_id>/close", exams.ExamCloseView.as_view(), name="exam-close"),
    path("exams/<id:exam_id>/regrade", exams.ExamRegradeView.as_view(), name="exam-regrade"),
    path("exams/<id:exam_id>/overrides", overrides.ExamOverrideListView.as_view(), name="exam-overrides"),
    path(
        "exams/<id:exam_id>/overrides/<id:override_id>",
        overrides.ExamOverrideDetailView.as_view(),
        name="exam-override-detail",
    ),
    path("exams/<id:exam_id>/makeups", overrides.ExamMakeupView.as_view(), name="exam-makeups"),
    path("exams/<id:exam_id>/attempts", exams.ExamStartView.as_view(), name="exam-start"),
    path("exams/<id:exam_id>/leaderboard/people", exams.PersonLeaderboardView.as_view(), name="leaderboard-people"),
    path("exams/<id:exam_id>/leaderboard/units", exams.UnitLeaderboardView.as_view(), name="leaderboard-units"),
    path(
        "exams/<id:exam_id>/leaderboard/units/<id:unit_id>/people",
        results.UnitPeopleView.as_view(),
        name="leaderboard-unit-people",
    ),
    path("exams/<id:exam_id>/stats", results.ExamStatsView.as_view(), name="exam-stats"),
    path("exams/<id:exam_id>/live", results.ExamLiveView.as_view(), name="exam-live"),
    path("exams/<id:exam_id>/absentees", results.AbsenteesView.as_view(), name="exam-absentees"),
    path("exams/<id:exam_id>/page-leaves", results.PageLeavesView.as_view(), name="exam-page-leaves"),
    path("exams/<id:exam_id>/absentees.xlsx", results.AbsenteesXlsxView.as_view(), name="exam-absentees-xlsx"),
    path("exams/<id:exam_id>/results", results.ResultsListView.as_view(), name="exam-results"),
    path("exams/<id:exam_id>/results.xlsx", results.ResultsXlsxView.as_view(), name="exam-results-xlsx"),
    path("exams/<id:exam_id>/results.csv", results.ResultsCsvView.as_view(), name="exam-results-csv"),
    path("learning-records.xlsx", results.LearningRecordsXlsxView.as_view(), name="learning-records-xlsx"),
    path("exams/<id:exam_id>/certificate.pdf", certificates.MyCertificatePdfView.as_view(), name="exam-my-certificate"),
    path(
        "exams/<id:exam_id>/certificates/<id:user_id>.pdf",
        certificates.PersonCertificatePdfView.as_view(),
        name="exam-person-certificate",
    ),
    path(
        "exams/<id:exam_id>/certificates.zip", certificates.CertificatesZipView.as_view(), name="exam-certificates-zip"
    ),
    path("certificates/<str:code>", certificates.CertificateVerifyView.as_view(), name="certificate-verify"),
    path("attempts/<id:attempt_id>", attempts.AttemptDetailView.as_view(), name="attempt-detail"),
    path("attempts/<id:attempt_id>/answers/<id:question_id>", attempts.AnswerView.as_view(), name="attempt-answer"),
    path("attempts/<id:attempt_id>/page-leaves", attempts.PageLeaveView.as_view(), name="attempt-page-leaves"),
    path("attempts/<id:attempt_id>/submit", attempts.AttemptSubmitView.as_view(), name="attempt-submit"),
    # learning between exams (docs/adr/0015)
    path("practice-sets/", learning.PracticeSetListView.as_view(), name="practice-set-list"),
    path("practice-sets/managed", learning.ManagedPracticeSetListView.as_view(), name="practice-set-managed"),
    path(
        "practice-sets/managed/<id:practice_set_id>",
        learning.ManagedPracticeSetDetailView.as_view(),
        name="practice-set-managed-detail",
    ),
    path(
        "practice-sets/<id:practice_set_id>/progress", learning.PracticeProgressView.as_view(), name="practice-progress"
    ),
    path(
        "practice-sets/<id:practice_set_id>/rounds", learning.PracticeRoundStartView.as_view(), name="practice-rounds"
    ),
    path("practice-sets/<id:practice_set_id>/daily", learning.DailyRoundView.as_view(), name="practice-daily"),
    path("practice-rounds/", learning.PracticeRoundListView.as_view(), name="practice-round-list"),
    path("practice-rounds/<id:round_id>", learning.PracticeRoundDetailView.as_view(), name="practice-round-detail"),
    path(
        "practice-rounds/<id:round_id>/answers/<id:question_id>",
        learning.PracticeAnswerView.as_view(),
        name="practice-answer",
    ),
    path("wrong-answers/", learning.BookListView.as_view(), name="wrong-answer-list"),
    path("wrong-answers/count", learning.BookCountView.as_view(), name="wrong-answer-count"),
    path("wrong-answers/rounds", learning.BookRoundStartView.as_view(), name="wrong-answer-rounds"),
    path("daily/calendar", learning.DailyCalendarView.as_view(), name="daily-calendar"),
    path("learning/reach", learning.LearningReachView.as_view(), name="learning-reach"),
    path("", include("api.urls_imports")),  # question files: template, import preview/commit, export
    path("", include("api.urls_roster")),  # roster (名册) import
]
