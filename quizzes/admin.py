"""The admin for question banks, questions, exams and attempts: every write through it is an audit event
(``accounts.admin.AuditedAdmin``), a key changed here as much as one changed through the API."""

from django.contrib import admin

from accounts.admin import AuditedAdmin

from .models import Attempt, Exam, PracticeSet, Question, QuestionBank, Tag


@admin.register(QuestionBank)
class QuestionBankAdmin(AuditedAdmin[QuestionBank]):
    list_display = ("name", "unit", "created_at")


@admin.register(Question)
class QuestionAdmin(AuditedAdmin[Question]):
    list_display = ("stem", "kind", "bank", "difficulty", "is_active")
    list_filter = ("kind", "bank", "difficulty")
    search_fields = ("stem", "legal_basis")


@admin.register(Exam)
class ExamAdmin(AuditedAdmin[Exam]):
    list_display = ("title", "unit", "status", "opens_at", "closes_at")
    list_filter = ("status", "is_public")


@admin.register(Attempt)
class AttemptAdmin(AuditedAdmin[Attempt]):
    list_display = ("exam", "user", "number", "status", "score", "submitted_at")
    list_filter = ("status",)
    raw_id_fields = ("user",)


@admin.register(PracticeSet)
class PracticeSetAdmin(AuditedAdmin[PracticeSet]):
    list_display = ("title", "bank", "unit", "daily_count", "is_open")
    list_filter = ("is_open",)


admin.site.register(Tag, AuditedAdmin)
