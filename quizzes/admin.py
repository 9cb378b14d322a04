from django.contrib import admin

from .models import Attempt, Exam, Question, QuestionBank, Tag


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin[QuestionBank]):
    list_display = ("name", "unit", "created_at")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ("stem", "kind", "bank", "difficulty", "is_active")
    list_filter = ("kind", "bank", "difficulty")
    search_fields = ("stem", "legal_basis")


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin[Exam]):
    list_display = ("title", "unit", "status", "opens_at", "closes_at")
    list_filter = ("status", "is_public")


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin[Attempt]):
    list_display = ("exam", "user", "number", "status", "score", "submitted_at")
    list_filter = ("status",)
    raw_id_fields = ("user",)


admin.site.register(Tag)
