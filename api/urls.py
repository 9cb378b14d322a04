from django.urls import URLPattern, URLResolver, include, path, register_converter

from .converters import IdConverter
from .views import accounts, attempts, audit, banks, certificates, docs, exams, learning, overrides, people, results

register_converter(IdConverter, "id")

# Grouped by the path's first segment (and an exam's or an attempt's id), so that a request is matched against
# its group's few routes rather than tried against every route in turn: resolving an autosave went through 49
# patterns in the flat list. The paths and names are unchanged; the hottest groups (an attempt, an exam) come first.
attempt_patterns: list[URLPattern | URLResolver] = [
    path("answers/<id:question_id>", attempts.AnswerView.as_view(), name="attempt-answer"),
    path("page-leaves", attempts.PageLeaveView.as_view(), name="attempt-page-leaves"),
    path("submit", attempts.AttemptSubmitView.as_view(), name="attempt-submit"),
]

one_exam_patterns: list[URLPattern | URLResolver] = [
    path("", exams.ExamDetailView.as_view(), name="exam-detail"),
    path("attempts", exams.ExamStartView.as_view(), name="exam-start"),
    path("leaderboard/people", exams.PersonLeaderboardView.as_view(), name="leaderboard-people"),
    path("leaderboard/units", exams.UnitLeaderboardView.as_view(), name="leaderboard-units"),
    path(
        "leaderboard/units/<id:unit_id>/people",
        results.UnitPeopleView.as_view(),
        name="leaderboard-unit-people",
    ),
    path("sample-paper", exams.SamplePaperView.as_view(), name="exam-sample-paper"),
    path("qr.png", exams.ExamQrCodeView.as_view(), name="exam-qr-png"),
    path("publish", exams.ExamPublishView.as_view(), name="exam-publish"),
    path("close", exams.ExamCloseView.as_view(), name="exam-close"),
    path("regrade", exams.ExamRegradeView.as_view(), name="exam-regrade"),
    path("overrides", overrides.ExamOverrideListView.as_view(), name="exam-overrides"),
    path("overrides/<id:override_id>", overrides.ExamOverrideDetailView.as_view(), name="exam-override-detail"),
    path("makeups", overrides.ExamMakeupView.as_view(), name="exam-makeups"),
    path("stats", results.ExamStatsView.as_view(), name="exam-stats"),
    path("live", results.ExamLiveView.as_view(), name="exam-live"),
    path("absentees", results.AbsenteesView.as_view(), name="exam-absentees"),
    path("page-leaves", results.PageLeavesView.as_view(), name="exam-page-leaves"),
    path("absentees.xlsx", results.AbsenteesXlsxView.as_view(), name="exam-absentees-xlsx"),
    path("results", results.ResultsListView.as_view(), name="exam-results"),
    path("results.xlsx", results.ResultsXlsxView.as_view(), name="exam-results-xlsx"),
    path("results.csv", results.ResultsCsvView.as_view(), name="exam-results-csv"),
    path("certificate.pdf", certificates.MyCertificatePdfView.as_view(), name="exam-my-certificate"),
    path(
        "certificates/<id:user_id>.pdf",
        certificates.PersonCertificatePdfView.as_view(),
        name="exam-person-certificate",
    ),
    path("certificates.zip", certificates.CertificatesZipView.as_view(), name="exam-certificates-zip"),
]

exam_patterns: list[URLPattern | URLResolver] = [
    path("", exams.ExamListView.as_view(), name="exam-list"),
    path("managed", exams.ConsoleExamListView.as_view(), name="exam-managed-list"),
    path("draw-availability", exams.DrawAvailabilityView.as_view(), name="exam-draw-availability"),
    path("<id:exam_id>/", include(one_exam_patterns)),
]

unit_patterns: list[URLPattern | URLResolver] = [
    path("", accounts.UnitListView.as_view(), name="unit-list"),
    path("managed", people.ManagedUnitListView.as_view(), name="unit-managed"),
    path("managed/<id:unit_id>", people.ManagedUnitDetailView.as_view(), name="unit-managed-detail"),
]

user_patterns: list[URLPattern | URLResolver] = [
    path("", people.PeopleListView.as_view(), name="user-list"),
    path("<id:user_id>", people.PersonDetailView.as_view(), name="user-detail"),
    path("<id:user_id>/password", people.PersonPasswordView.as_view(), name="user-password"),
    path("<id:user_id>/unlock", accounts.UserUnlockView.as_view(), name="user-unlock"),
]

bank_patterns: list[URLPattern | URLResolver] = [
    path("", banks.BankListView.as_view(), name="bank-list"),
    path("<id:pk>/", banks.BankDetailView.as_view(), name="bank-detail"),
    path("<id:bank_id>/tags/", banks.BankTagListView.as_view(), name="bank-tags"),
    path("<id:bank_id>/questions/", banks.QuestionListView.as_view(), name="question-list"),
    path("<id:bank_id>/questions/<id:question_id>/", banks.QuestionDetailView.as_view(), name="question-detail"),
]

# learning between exams (docs/adr/0015)
practice_set_patterns: list[URLPattern | URLResolver] = [
    path("", learning.PracticeSetListView.as_view(), name="practice-set-list"),
    path("managed", learning.ManagedPracticeSetListView.as_view(), name="practice-set-managed"),
    path(
        "managed/<id:practice_set_id>",
        learning.ManagedPracticeSetDetailView.as_view(),
        name="practice-set-managed-detail",
    ),
    path("<id:practice_set_id>/progress", learning.PracticeProgressView.as_view(), name="practice-progress"),
    path("<id:practice_set_id>/rounds", learning.PracticeRoundStartView.as_view(), name="practice-rounds"),
    path("<id:practice_set_id>/daily", learning.DailyRoundView.as_view(), name="practice-daily"),
]

practice_round_patterns: list[URLPattern | URLResolver] = [
    path("", learning.PracticeRoundListView.as_view(), name="practice-round-list"),
    path("<id:round_id>", learning.PracticeRoundDetailView.as_view(), name="practice-round-detail"),
    path("<id:round_id>/answers/<id:question_id>", learning.PracticeAnswerView.as_view(), name="practice-answer"),
]

wrong_answer_patterns: list[URLPattern | URLResolver] = [
    path("", learning.BookListView.as_view(), name="wrong-answer-list"),
    path("count", learning.BookCountView.as_view(), name="wrong-answer-count"),
    path("rounds", learning.BookRoundStartView.as_view(), name="wrong-answer-rounds"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("me", accounts.MeView.as_view(), name="me"),
    path("attempts/<id:attempt_id>", attempts.AttemptDetailView.as_view(), name="attempt-detail"),
    path("attempts/<id:attempt_id>/", include(attempt_patterns)),
    path("exams/", include(exam_patterns)),
    path("", docs.ApiIndexView.as_view(), name="api-index"),
    path("site-settings", accounts.SiteSettingsView.as_view(), name="site-settings"),
    path("units/", include(unit_patterns)),
    path("users/", include(user_patterns)),
    path("banks/", include(bank_patterns)),
    path("practice-sets/", include(practice_set_patterns)),
    path("practice-rounds/", include(practice_round_patterns)),
    path("wrong-answers/", include(wrong_answer_patterns)),
    path("daily/calendar", learning.DailyCalendarView.as_view(), name="daily-calendar"),
    path("learning/reach", learning.LearningReachView.as_view(), name="learning-reach"),
    path("learning-records.xlsx", results.LearningRecordsXlsxView.as_view(), name="learning-records-xlsx"),
    path("certificates/<str:code>", certificates.CertificateVerifyView.as_view(), name="certificate-verify"),
    path("audit-events", audit.AuditEventListView.as_view(), name="audit-event-list"),
    path("audit-events.csv", audit.AuditEventCsvView.as_view(), name="audit-event-csv"),
    path("", include("api.urls_imports")),  # question files: template, import preview/commit, export
    path("", include("api.urls_roster")),  # roster (名册) import
    path("", include("api.urls_laws")),  # the law-text library (法规库)
]
