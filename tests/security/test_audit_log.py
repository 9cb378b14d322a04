"""The audit log (issue #10): each audited action leaves exactly one event with its actor, unit, address and
before → after; organizers read their subtree, the superuser everything, HR and participants nothing;
csv export; nothing in the API or the model changes or deletes an event."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent, AuditLogIsAppendOnly, SiteSettings, User
from accounts.services import site_settings_update, user_create
from quizzes.models import Exam, Question, Tag
from quizzes.services.attempts import attempt_start, attempt_submit
from tests.conftest import PASSWORD, People, Tree, app_login
from tests.importing.conftest import template_row, xlsx_bytes
from tests.roster_files import roster_csv

pytestmark = pytest.mark.django_db
LIST = "/api/v1/audit-events"
LOGIN = "/_allauth/app/v1/auth/login"


def only(action: str) -> AuditEvent:
    """The one event of ``action`` that came through the API (fixtures write through services: "command")."""
    events = list(AuditEvent.objects.filter(action=action).exclude(address="command"))
    assert len(events) == 1, events
    return events[0]


def exam_body(**extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "title": "审计考试",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        **extra,
    }


def test_question_create_and_a_key_change_show_actor_unit_and_old_and_new_key(tree: Tree, people: People, bank):
    client = app_login(people.organizer.username)
    question = bank.questions.filter(kind="single").earliest("id")
    url = f"/api/v1/banks/{bank.pk}/questions/{question.pk}/"
    body = {
        "kind": "single",
        "stem": question.stem,
        "options": question.options,
        "answer": ["B"],
        "explanation": question.explanation,
        "legal_basis": question.legal_basis,
    }
    assert client.put(url, body, format="json", REMOTE_ADDR="10.2.3.4").status_code == 200
    event = only(AuditEvent.Action.QUESTION_UPDATE)
    assert (event.actor, event.unit, event.address) == (people.organizer, tree.city, "10.2.3.4")
    assert (event.before, event.after) == ({"answer": ["A"]}, {"answer": ["B"]})
    assert (event.target_type, event.target_id) == ("question", str(question.pk))

    created = client.post(f"/api/v1/banks/{bank.pk}/questions/", {**body, "stem": "新题"}, format="json")
    assert created.status_code == 201
    event = only(AuditEvent.Action.QUESTION_CREATE)
    assert event.actor == people.organizer and event.after is not None and event.after["stem"] == "新题"
    assert event.before is None


def test_exam_create_edit_publish_close_and_regrade(tree: Tree, people: People, bank):
    client = app_login(people.organizer.username)
    item = {"question_id": bank.questions.earliest("id").pk, "points": "10"}
    created = client.post("/api/v1/exams/", exam_body(fixed_questions=[item]), format="json")
    assert created.status_code == 201, created.content
    exam_id = created.json()["id"]
    event = only(AuditEvent.Action.EXAM_CREATE)
    assert (event.actor, event.unit, event.after["title"]) == (people.organizer, tree.city, "审计考试")  # type: ignore[index]

    assert client.patch(f"/api/v1/exams/{exam_id}/", {"title": "改名"}, format="json").status_code == 200
    event = only(AuditEvent.Action.EXAM_UPDATE)
    assert (event.before, event.after) == ({"title": "审计考试"}, {"title": "改名"})

    assert client.post(f"/api/v1/exams/{exam_id}/publish").status_code == 200
    assert only(AuditEvent.Action.EXAM_PUBLISH).after == {"status": "published"}
    assert client.post(f"/api/v1/exams/{exam_id}/close").status_code == 200
    assert only(AuditEvent.Action.EXAM_CLOSE).before == {"status": "published"}


def test_regrade_records_the_old_and_the_new_key(tree: Tree, people: People, bank, exam):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    attempt_submit(attempt_id=attempt.pk, user=people.alice)
    question = bank.questions.filter(kind="single").earliest("id")
    Question.objects.filter(pk=question.pk).update(answer=["B"])
    client = app_login(people.organizer.username)
    response = client.post(f"/api/v1/exams/{exam.pk}/regrade", {"question_id": question.pk}, format="json")
    assert response.status_code == 200, response.content
    event = only(AuditEvent.Action.EXAM_REGRADE)
    assert event.actor == people.organizer and event.unit == tree.city
    assert event.before == {"question_id": question.pk, "answers": ["A"]}
    assert event.after == {"question_id": question.pk, "answer": "B", "regraded_attempts": 1}


def test_regrade_records_the_organizers_reason(tree: Tree, people: People, bank, exam):
    question = bank.questions.filter(kind="single").earliest("id")
    client = app_login(people.organizer.username)
    body = {"question_id": question.pk, "reason": "  答案有误，已在题库中改正  "}
    assert client.post(f"/api/v1/exams/{exam.pk}/regrade", body, format="json").status_code == 200
    after = only(AuditEvent.Action.EXAM_REGRADE).after
    assert after is not None and after["reason"] == "答案有误，已在题库中改正"
    too_long = client.post(f"/api/v1/exams/{exam.pk}/regrade", {**body, "reason": "长" * 501}, format="json")
    assert too_long.status_code == 400 and "reason" in too_long.json()["error"]["fields"]


def test_imports_site_settings_and_unlock(tree: Tree, people: People, bank):
    client = app_login(people.organizer.username)
    row = template_row(题型="判断", 题干="遗嘱可以由本人亲笔书写。", 答案="对")
    upload = client.post(
        f"/api/v1/banks/{bank.pk}/imports",
        {"file": SimpleUploadedFile("题.xlsx", xlsx_bytes([row]))},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    assert client.post(f"/api/v1/banks/{bank.pk}/imports/{upload.json()['id']}/commit").status_code == 200
    event = only(AuditEvent.Action.QUESTION_IMPORT)
    assert (event.actor, event.unit, event.after["created"]) == (people.organizer, tree.city, 1)  # type: ignore[index]

    preview = client.post(
        "/api/v1/roster-imports",
        {"file": SimpleUploadedFile("名册.csv", roster_csv([["陈一", "A1001", "", "北岭镇", ""]]))},
        format="multipart",
    )
    assert preview.status_code == 201, preview.content
    assert client.post(f"/api/v1/roster-imports/{preview.json()['id']}/commit").status_code == 200
    event = only(AuditEvent.Action.ROSTER_IMPORT)
    assert (event.actor, event.unit, event.after["created"]) == (people.organizer, tree.city, 1)  # type: ignore[index]

    assert client.patch("/api/v1/site-settings", {"self_signup_enabled": False}, format="json").status_code == 200
    event = only(AuditEvent.Action.SITE_SETTINGS_UPDATE)
    assert (event.before, event.after) == ({"self_signup_enabled": True}, {"self_signup_enabled": False})

    assert client.post(f"/api/v1/users/{people.bob.pk}/unlock").status_code == 204
    event = only(AuditEvent.Action.USER_UNLOCK)
    assert (event.actor, event.unit, event.target_id) == (people.organizer, tree.town_b, str(people.bob.pk))


def test_logins_failures_lockouts_and_password_changes(tree: Tree, people: People):
    bob = people.bob.username
    for _ in range(5):
        APIClient().post(LOGIN, {"username": bob, "password": "wrong-Password1"}, format="json", REMOTE_ADDR="10.0.0.9")
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert failures.count() == 5 and {e.address for e in failures} == {"10.0.0.9"}
    assert {e.unit for e in failures} == {tree.town_b}
    locked = only(AuditEvent.Action.LOGIN_LOCKED)
    assert (locked.actor, locked.unit, locked.after) == (None, tree.town_b, {"username": bob, "locked": False})

    client = app_login(people.alice.username)
    event = only(AuditEvent.Action.LOGIN)
    assert (event.actor, event.unit) == (people.alice, tree.town_a_office)
    new = "Another@Pass2026"
    changed = client.post(
        "/_allauth/app/v1/account/password/change",
        {"current_password": PASSWORD, "new_password": new},
        format="json",
    )
    assert changed.status_code in (200, 401), changed.content
    event = only(AuditEvent.Action.PASSWORD_CHANGE)
    assert (event.actor, event.unit) == (people.alice, tree.town_a_office)


def test_an_organizer_reads_their_subtree_the_superuser_all_hr_and_participants_nothing(tree: Tree, people: People):
    site_settings_update(self_signup_enabled=False)  # a command: no actor, no unit
    app_login(people.bob.username)  # town B
    app_login(people.alice.username)  # town A
    town_a = app_login(people.organizer_a.username)
    rows = town_a.get(LIST, {"action": "login.success"}).json()["results"]
    assert {row["actor"] for row in rows} == {people.alice.username, people.organizer_a.username}
    assert town_a.get(LIST, {"action": "site_settings.update"}).json()["count"] == 0

    root = user_create(username="root", password=PASSWORD, is_superuser=True)
    everything = app_login(root.username).get(LIST, {"page_size": 100}).json()
    actions = {row["action"] for row in everything["results"]}
    assert {"login.success", "site_settings.update"} <= actions
    settings_event = next(row for row in everything["results"] if row["action"] == "site_settings.update")
    assert (settings_event["actor"], settings_event["address"]) == ("", "command")
    by_actor = app_login(root.username).get(LIST, {"actor": people.bob.username}).json()["results"]
    assert {row["actor"] for row in by_actor} == {people.bob.username}
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert app_login(root.username).get(LIST, {"since": later}).json()["count"] == 0
    assert app_login(root.username).get(LIST, {"until": later}).json()["count"] >= 5

    for person in (people.hr_b, people.alice):
        client = app_login(person.username)
        assert client.get(LIST).status_code == 403
        assert client.get(f"{LIST}.csv").status_code == 403


def test_csv_export_has_a_bom_crlf_and_formula_safe_cells(tree: Tree, people: People):
    client = app_login(people.organizer.username)
    AuditEvent.objects.create(action=AuditEvent.Action.USER_UNLOCK, unit=tree.town_a, unit_path=tree.town_a.path,
                              actor_username="=cmd()", address="command")  # fmt: skip
    response = client.get(f"{LIST}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert content.startswith("\ufeff") and "\r\n" in content
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:4] == ["时间", "操作人", "客户端地址", "操作"]
    assert ["'=cmd()", "command", "解除登录锁定", "南关镇"] in [row[1:5] for row in rows[1:]]


def test_nothing_changes_or_deletes_an_event(tree: Tree, people: People):
    client = app_login(people.organizer.username)
    event = only(AuditEvent.Action.LOGIN)
    for method in ("put", "patch", "delete", "post"):
        assert getattr(client, method)(LIST, {}, format="json").status_code == 405
        assert getattr(client, method)(f"{LIST}.csv", {}, format="json").status_code == 405
    event.action = AuditEvent.Action.USER_UNLOCK
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditEvent.Action.LOGIN
    User.objects.filter(pk=people.organizer.pk).delete()  # deleting a person keeps their events
    assert AuditEvent.objects.get(pk=event.pk).actor_username == people.organizer.username


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_changing_or_deleting_an_event_even_in_raw_sql(people: People) -> None:
    """The database keeps the log append-only against raw SQL too; deleting the acting person still works
    (Django nulls the link; the event keeps the name)."""
    event = AuditEvent.objects.create(
        actor=people.organizer, actor_username=people.organizer.username, action=AuditEvent.Action.LOGIN
    )
    for statement in (
        "UPDATE accounts_auditevent SET action = 'user.unlock' WHERE id = %s",
        "UPDATE accounts_auditevent SET actor_id = NULL, target_repr = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    User.objects.filter(pk=people.organizer.pk).delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_username, event.action) == (None, people.organizer.username, "login.success")


# --- Writes through the Django admin ------------------------------------------------------------------


def admin_form_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """What the admin's change form posts as it stands, with ``changes``."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = changes.get(name, form[name].value())
        if isinstance(field, forms.SplitDateTimeField):
            if value:
                moment = timezone.localtime(value) if isinstance(value, datetime) else value
                data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.ModelMultipleChoiceField):
            data[name] = [getattr(v, "pk", v) for v in value or []]
        elif value is not None:  # BoundField.value() is prepared already, a change is not
            data[name] = field.prepare_value(value) if name in changes else value
    return data


@pytest.fixture
def root_client(people: People) -> Client:
    # the admin's form shows times to the second: save one that fits, so that only what a test changes differs
    User.objects.update(date_joined=timezone.now().replace(microsecond=0))
    client = Client(REMOTE_ADDR="10.9.9.9")
    client.force_login(user_create(username="root", password=None, is_superuser=True))
    return client


def admin_only(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action, actor__username="root"))
    assert len(events) == 1, events
    return events[0]


def test_role_changes_in_the_admin_are_audited_apart_from_other_edits(tree: Tree, people: People, root_client: Client):
    url = reverse("admin:accounts_user_change", args=[people.alice.pk])
    saved = root_client.post(url, admin_form_data(root_client, url, role="organizer", is_staff=True))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    event = admin_only(AuditEvent.Action.USER_ROLE_CHANGE)
    assert (event.address, event.unit, event.target_id) == ("10.9.9.9", tree.town_a_office, str(people.alice.pk))
    assert (event.before, event.after) == (
        {"role": "participant", "is_staff": False},
        {"role": "organizer", "is_staff": True},
    )

    group = Group.objects.create(name="题库管理")
    root_client.post(url, admin_form_data(root_client, url, groups=[group.pk]))
    granted = AuditEvent.objects.filter(action=AuditEvent.Action.USER_ROLE_CHANGE).order_by("pk").last()
    assert granted is not None and (granted.before, granted.after) == ({"groups": []}, {"groups": [group.pk]})

    root_client.post(url, admin_form_data(root_client, url, real_name="张三丰"))
    event = admin_only(AuditEvent.Action.USER_UPDATE)
    assert (event.before, event.after) == ({"real_name": "张三"}, {"real_name": "张三丰"})
    root_client.post(url, admin_form_data(root_client, url))  # saved unchanged: nothing to record
    assert AuditEvent.objects.filter(actor__username="root", action__startswith="user.").count() == 3

    # the organizer of the city reads it in their subtree; the organizer of town B does not
    city = app_login(people.organizer.username).get(LIST, {"action": "user.role_change"}).json()
    assert city["count"] == 2
    assert app_login(people.hr_b.username).get(LIST).status_code == 403


def test_users_added_and_passwords_set_in_the_admin_are_audited(tree: Tree, people: People, root_client: Client):
    added = root_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "newhr", "password1": "Admin#Set2026x", "password2": "Admin#Set2026x", "usable_password": "true"},
    )
    assert added.status_code == 302, added.context and added.context["adminform"].form.errors
    event = admin_only(AuditEvent.Action.USER_CREATE)
    assert event.after is not None and event.after["username"] == "newhr" and "password" not in event.after

    url = reverse("admin:auth_user_password_change", args=[people.bob.pk])
    changed = root_client.post(url, {"password1": "Reset#Pass2026", "password2": "Reset#Pass2026"})
    assert changed.status_code == 302
    event = admin_only(AuditEvent.Action.PASSWORD_RESET)
    assert (event.unit, event.target_id, event.address) == (tree.town_b, str(people.bob.pk), "10.9.9.9")
    refused = root_client.post(url, {"password1": "short", "password2": "short"})
    assert refused.status_code == 200 and AuditEvent.objects.filter(action="user.password_reset").count() == 1


def test_key_edits_exams_settings_and_deletes_in_the_admin_are_audited(
    tree: Tree, people: People, bank, exam, root_client: Client
):
    question = bank.questions.filter(kind="single").earliest("id")
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    saved = root_client.post(url, admin_form_data(root_client, url, answer=["B"]))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    event = admin_only(AuditEvent.Action.ADMIN_CHANGE)
    assert (event.target_type, event.unit) == ("question", tree.city)
    assert (event.before, event.after) == ({"answer": ["A"]}, {"answer": ["B"]})

    # the admin's form shows times to the second (a save there drops microseconds): start from whole seconds
    seconds = {f: getattr(exam, f).replace(microsecond=0) for f in ("opens_at", "closes_at", "published_at")}
    Exam.objects.filter(pk=exam.pk).update(**seconds)
    url = reverse("admin:quizzes_exam_change", args=[exam.pk])
    saved = root_client.post(url, admin_form_data(root_client, url, title="改过的考试"))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ADMIN_CHANGE, target_type="exam").get()
    assert event.after == {"title": "改过的考试"} and event.unit == tree.city

    SiteSettings.load()
    url = reverse("admin:accounts_sitesettings_change", args=[1])
    root_client.post(url, admin_form_data(root_client, url, self_signup_enabled=False))
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ADMIN_CHANGE, target_type="sitesettings").get()
    assert (event.before, event.after, event.unit) == (
        {"self_signup_enabled": True},
        {"self_signup_enabled": False},
        None,
    )

    tag = Tag.objects.create(name="临时")
    deleted = root_client.post(reverse("admin:quizzes_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    event = admin_only(AuditEvent.Action.ADMIN_DELETE)
    assert (event.target_type, event.target_id, event.before) == ("tag", str(tag.pk), {"name": "临时"})


def test_a_bulk_delete_in_the_admin_records_each_object(tree: Tree, people: People, exam, root_client: Client):
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    tags = [Tag.objects.create(name=name) for name in ("甲", "乙")]
    deleted = root_client.post(
        reverse("admin:quizzes_tag_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in tags], "post": "yes"},
    )
    assert deleted.status_code == 302
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ADMIN_DELETE, target_type="tag")
    assert sorted(e.before["name"] for e in events if e.before) == ["乙", "甲"]

    url = reverse("admin:quizzes_attempt_delete", args=[attempt.pk])
    assert root_client.post(url, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.ADMIN_DELETE, target_type="attempt")
    assert event.unit == tree.city and event.before is not None and event.before["user_id"] == people.alice.pk
