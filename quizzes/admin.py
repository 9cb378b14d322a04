"""The admin for question banks, questions, exams and attempts: every write through it is an audit event
(``accounts.admin.AuditedAdmin``), a key changed here as much as one changed through the API."""

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from accounts.admin import AuditedAdmin

from . import caching
from .models import Attempt, Exam, LawArticle, LawText, PracticeSet, Question, QuestionBank, Tag


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

    def save_model(self, request: HttpRequest, obj: Attempt, form: ModelForm[Attempt], change: bool) -> None:
        super().save_model(request, obj, form, change)
        caching.exam_changed(obj.exam_id)  # a score or what counts may have changed: its boards and ranks afresh


@admin.register(PracticeSet)
class PracticeSetAdmin(AuditedAdmin[PracticeSet]):
    list_display = ("title", "bank", "unit", "daily_count", "is_open")
    list_filter = ("is_open",)


admin.site.register(Tag, AuditedAdmin)


@admin.register(LawText)
class LawTextAdmin(AuditedAdmin[LawText]):
    """The law-text library; texts are added by ``load_laws`` or the organizers' upload (split into articles)."""

    list_display = ("name", "edition", "unit", "is_current", "created_at")
    list_filter = ("is_current",)
    search_fields = ("name", "edition")
    readonly_fields = ("key",)  # set from the name on save


@admin.register(LawArticle)
class LawArticleAdmin(AuditedAdmin[LawArticle]):
    """One article: a typo in an uploaded text is corrected here."""

    list_display = ("heading", "law", "chapter")
    list_select_related = ("law",)
    search_fields = ("text", "law__name")
    raw_id_fields = ("law",)
