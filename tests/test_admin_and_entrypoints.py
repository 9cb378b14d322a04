"""The Django admin pages of every registered model open for a superuser, and the WSGI/ASGI entry points load."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import SiteSettings
from accounts.services import user_create
from quizzes.models import Exam, Tag
from quizzes.services.attempts import attempt_start
from quizzes.services.learning import practice_set_create
from tests.conftest import People


@pytest.fixture
def admin_client_logged_in(people: People, exam: Exam) -> Client:
    attempt_start(exam=exam, user=people.alice)
    SiteSettings.load()
    Tag.objects.get_or_create(name="总则编")
    practice_set_create(
        user=people.organizer,
        title="民法典练习",
        bank_id=exam.fixed_questions.first().question.bank_id,  # type: ignore[union-attr]
        audience_unit_ids=[exam.unit_id],
    )
    client = Client()
    client.force_login(user_create(username="root", password=None, is_superuser=True))
    return client


def test_every_registered_model_lists_and_opens_in_the_admin(admin_client_logged_in: Client) -> None:
    ours = [model for model in admin.site._registry if model._meta.app_label in {"accounts", "quizzes"}]
    assert len(ours) >= 7
    for model in ours:
        meta = model._meta
        changelist = admin_client_logged_in.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {meta.label} row to open"
        change = admin_client_logged_in.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200, meta.label
        assert escape(str(obj)) in change.content.decode(), meta.label


def test_the_admin_is_closed_to_everyone_else(people: People) -> None:
    client = Client()
    client.force_login(people.organizer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_entry_points_expose_an_application(module: str) -> None:
    import importlib

    application: Any = importlib.import_module(module).application
    assert callable(application)
