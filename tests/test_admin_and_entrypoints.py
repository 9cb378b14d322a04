"""The Django admin pages of every registered model open for a superuser, and the WSGI/ASGI entry points load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import SiteSettings
from accounts.services import user_create
from quizzes.models import Exam, Tag
from quizzes.services.attempts import attempt_start
from quizzes.services.laws import law_text_create
from quizzes.services.learning import practice_set_create
from tests.conftest import People

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def admin_client_logged_in(people: People, exam: Exam) -> Client:
    attempt_start(exam=exam, user=people.alice)
    SiteSettings.load()
    Tag.objects.get_or_create(name="总则编")
    law_text_create(unit=exam.unit, name="中华人民共和国民法典", edition="2020年", lines=["第一条 为了……制定本法。"])
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
def test_entry_points_expose_an_application_loaded_and_frozen(module: str) -> None:
    """Each entry point gives the server an application with every view already imported (not during the first
        request), and the objects alive at that point frozen out of the garbage collector's walks, which collects its
    youngest generation less often (config/warmup.py).
        In a process of its own: a freeze here would keep the test run's objects from ever being collected."""
    probe = (
        f"import gc, sys; import {module} as entry; "
        "print(callable(entry.application), 'api.views.attempts' in sys.modules, gc.get_freeze_count(), "
        "gc.get_threshold()[0])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": "entry-points-" + "x" * 40}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    is_callable, views_loaded, frozen, young = result.stdout.split()
    assert (is_callable, views_loaded) == ("True", "True")
    assert int(frozen) > 100_000  # the modules, classes and URLconf of a loaded Django app
    assert int(young) == 10_000  # young collections after this many new objects, not Python's 700
