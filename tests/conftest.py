"""Shared fixtures: a small unit tree, people in every role, a bank and a published exam."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Unit, User
from accounts.services import unit_create, user_create
from quizzes.models import Attempt, Exam, Question, QuestionBank
from quizzes.services.banks import bank_create, question_create
from quizzes.services.exams import PaperItem, exam_create, exam_publish

PASSWORD = "Xuefa@2026-test"


@pytest.fixture
def migrate_to() -> Iterator[Any]:
    """Migrate the test database to some migrations, for a data migration's test: ``migrate_to(targets)`` returns
    the historical apps there. Every app is back at its newest migration afterwards, whatever the test did, so that
    later tests find the whole schema (with ``--reuse-db``, the next run too)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets: list[tuple[str, str]]) -> Any:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    """Tests need real logins, not slow key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the site's language: a request with Accept-Language: en activates English in
    the thread, and tests of pure functions that run after it must not depend on that."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clear_cache() -> None:
    """Rate-limit counters live in the cache (Redis in CI): start every test with none; nor with what this worker
    keeps itself (quizzes.caching: rows of a rolled-back test may share ids with the next test's), nor with a
    request's snapshot or keys read along that a test set outside a request."""
    from quizzes import caching

    cache.clear()
    caching.forget_local()
    caching.offer_snapshot(None)
    caching.want_with_session()


@dataclass
class Tree:
    city: Unit
    bureau: Unit
    town_a: Unit
    town_a_office: Unit
    town_b: Unit


@dataclass
class People:
    alice: User  # participant, town A office
    bob: User  # participant, town B
    carol: User  # participant, town A
    organizer: User  # city organizer
    organizer_a: User  # organizer of town A
    hr_b: User  # HR of town B


@pytest.fixture
def tree(db: Any) -> Tree:
    city = unit_create(name="清河市", kind=Unit.Kind.CITY)
    bureau = unit_create(name="市司法局", parent=city, kind=Unit.Kind.DEPARTMENT)
    town_a = unit_create(name="南关镇", parent=city, kind=Unit.Kind.TOWN)
    office = unit_create(name="南关镇党政办", parent=town_a, kind=Unit.Kind.DEPARTMENT)
    town_b = unit_create(name="北岭镇", parent=city, kind=Unit.Kind.TOWN)
    return Tree(city, bureau, town_a, office, town_b)


@pytest.fixture
def people(tree: Tree) -> People:
    def make(username: str, real_name: str, unit: Unit, role: str = User.Role.PARTICIPANT) -> User:
        return user_create(username=username, password=PASSWORD, real_name=real_name, unit=unit, role=role)

    return People(
        alice=make("13800000001", "张三", tree.town_a_office),
        bob=make("13800000002", "李四", tree.town_b),
        carol=make("13800000003", "王五", tree.town_a),
        organizer=make("organizer", "赵组织", tree.city, User.Role.ORGANIZER),
        organizer_a=make("organizer_a", "钱组织", tree.town_a, User.Role.ORGANIZER),
        hr_b=make("hr_b", "孙人事", tree.town_b, User.Role.HR),
    )


def make_bank(unit: Unit, name: str = "民法典题库") -> QuestionBank:
    bank = bank_create(name=name, unit=unit)
    specs: list[dict[str, Any]] = [
        dict(
            kind="single",
            stem="十八周岁以上的自然人为（ ）。",
            options=["成年人", "未成年人", "限制行为能力人", "无行为能力人"],
            answer=["A"],
        ),
        dict(
            kind="single",
            stem="向人民法院请求保护民事权利的诉讼时效期间一般为（ ）。",
            options=["一年", "二年", "三年", "四年"],
            answer=["C"],
        ),
        dict(
            kind="single",
            stem="不满八周岁的未成年人为（ ）民事行为能力人。",
            options=["完全", "限制", "无", "部分"],
            answer=["C"],
        ),
        dict(
            kind="multiple",
            stem="民事主体从事民事活动应当遵循的原则包括（ ）。",
            options=["平等", "自愿", "公平", "诚信", "效率"],
            answer=["A", "B", "C", "D"],
        ),
        dict(
            kind="multiple",
            stem="下列属于人格权的有（ ）。",
            options=["生命权", "姓名权", "隐私权", "所有权"],
            answer=["A", "B", "C"],
        ),
        dict(kind="judge", stem="禁止高利放贷，借款的利率不得违反国家有关规定。", options=[], answer=["A"]),
        dict(kind="judge", stem="离婚冷静期为六十日。", options=[], answer=["B"]),
    ]
    for spec in specs:
        question_create(
            bank=bank, explanation="解析。", legal_basis="《中华人民共和国民法典》第十七条", tags=["总则编"], **spec
        )
    return bank


@pytest.fixture
def bank(tree: Tree) -> QuestionBank:
    return make_bank(tree.city)


def make_exam(
    *, unit: Unit, bank: QuestionBank, audience: list[Unit] | None = None, publish: bool = True, **fields: Any
) -> Exam:
    now = timezone.now()
    defaults: dict[str, Any] = dict(
        title="2026年度学纪学法网上考试",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        time_limit_seconds=30 * 60,
        grace_seconds=60,
        max_attempts=1,
    )
    defaults.update(fields)
    points = {"single": Decimal(10), "multiple": Decimal(20), "judge": Decimal(15)}
    fixed = [PaperItem(q, points[q.kind]) for q in Question.objects.filter(bank=bank).order_by("id")]
    exam = exam_create(unit=unit, created_by=None, audience_units=audience or [], fixed=fixed, **defaults)
    return exam_publish(exam=exam) if publish else exam


def finished_attempt(
    *,
    exam: Exam,
    user: User,
    score: Decimal,
    used: int,
    number: int = 1,
    status: str = Attempt.Status.SUBMITTED,
    counted: bool = True,
) -> Attempt:
    """A finished attempt out of 100, started when the exam opened and handed in ``used`` seconds later (not
    saved: for ``create`` or ``bulk_create`` of results without sitting the exam)."""
    start = exam.opens_at
    return Attempt(
        exam=exam,
        user=user,
        number=number,
        status=status,
        started_at=start,
        deadline=start + timedelta(minutes=30),
        submitted_at=start + timedelta(seconds=used),
        score=score,
        max_score=Decimal(100),
        passed=score >= 60,
        time_used_seconds=used,
        is_counted=counted,
    )


@pytest.fixture
def exam(tree: Tree, bank: QuestionBank) -> Exam:
    """A roster exam for the whole city: 3 single ×10, 2 multiple ×20, 2 judge ×15 = 100 points."""
    return make_exam(unit=tree.city, bank=bank, audience=[tree.city])


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def statement_name(sql: str) -> str:
    """A statement as its verb and tables, e.g. ``SELECT accounts_user JOIN accounts_unit`` or ``INSERT
    django_session``: what query-count tests compare."""
    verb = sql.split()[0]
    tables = re.findall(r'(?:FROM|JOIN|INTO|UPDATE) "(\w+)"', sql)
    return f"{verb} {tables[0]}" + "".join(f" JOIN {t}" for t in tables[1:] if t != tables[0])


def admin_person_form(person: User, **changes: Any) -> dict[str, Any]:
    """The Django admin's change form of ``person`` as a browser posts it, with ``changes`` to its fields (None: a
    box left unticked, not posted)."""
    fields: dict[str, Any] = {
        "username": person.username,
        "real_name": person.real_name,
        "phone": person.phone,
        "unit": person.unit_id,
        "role": person.role,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        **changes,
    }
    return {name: value for name, value in fields.items() if value is not None}


def app_login(username: str, password: str = PASSWORD) -> APIClient:
    """Log in through allauth headless with the ``app`` client; the client then sends X-Session-Token. What the
    login's commit does (its ``on_commit`` callbacks: the person cached for the session, accounts/usercache.py) is
    done, as the request's commit would, also inside a test's own transaction."""
    client = APIClient()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/_allauth/app/v1/auth/login", {"username": username, "password": password}, format="json"
        )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    return client


def key_of(question: Question) -> list[str]:
    return list(question.answer)
