"""manage.py seed_demo: the demo city, its people, exams and attempts, and that a second run adds nothing."""

from __future__ import annotations

import random
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command, get_commands

from accounts.models import Unit, User
from quizzes import demo
from quizzes.leaderboards import leaderboard_people, leaderboard_units
from quizzes.models import Attempt, Exam, QuestionBank, QuestionKind
from quizzes.services.banks import bank_create, question_create

NOW = datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def stand_in_banks(root: Unit) -> None:
    """What load_banks provides, small: a Civil Code bank with questions of all three kinds."""
    civil = bank_create(name=demo.CIVIL_CODE_BANK, unit=root)
    cadre = bank_create(name=demo.CADRE_BANK, unit=root)
    for bank, (singles, multiples, judges) in ((civil, (18, 10, 16)), (cadre, (12, 4, 12))):
        for i in range(singles):
            question_create(
                bank=bank,
                kind=QuestionKind.SINGLE,
                stem=f"{bank.name} 单选题 {i}",
                options=["甲", "乙", "丙", "丁"],
                answer=["ABCD"[i % 4]],
            )
        for i in range(multiples):
            question_create(
                bank=bank,
                kind=QuestionKind.MULTIPLE,
                stem=f"{bank.name} 多选题 {i}",
                options=["甲", "乙", "丙", "丁"],
                answer=["A", "C"] if i % 2 else ["B", "C", "D"],
            )
        for i in range(judges):
            question_create(bank=bank, kind=QuestionKind.JUDGE, stem=f"{bank.name} 判断题 {i}", answer=["AB"[i % 2]])


@pytest.fixture
def fake_load_banks(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_call_command(name: str, **options: Any) -> None:
        assert name == "load_banks"
        calls.append(options)
        stand_in_banks(Unit.objects.get(pk=options["unit"]))

    monkeypatch.setattr(demo, "call_command", fake_call_command)
    return calls


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_names_are_distinct_and_deterministic() -> None:
    names = demo.chinese_names(random.Random(7), 300)
    assert len(set(names)) == 300
    assert all(2 <= len(name) <= 3 for name in names)
    assert names == demo.chinese_names(random.Random(7), 300)


def test_plan_spreads_participants_with_phone_accounts() -> None:
    plans = demo.plan_participants(random.Random(1))
    assert len(plans) == demo.PARTICIPANT_COUNT
    assert all(len(p.username) == 11 and p.username.startswith("1380000") for p in plans)
    assert len({p.username for p in plans}) == len(plans)
    assert len({p.unit_name for p in plans}) == len(demo.CITY_DEPARTMENTS) + sum(
        len(t.child_units()) for t in demo.TOWNS
    )


@pytest.mark.django_db
def test_seed_demo_creates_a_city_with_results_and_a_second_run_adds_nothing(
    fake_load_banks: list[dict[str, Any]],
) -> None:
    summary = demo.seed_demo(now=NOW)

    root = Unit.objects.get(name=demo.ROOT_NAME, parent=None)
    assert root.kind == Unit.Kind.CITY
    assert [call["unit"] for call in fake_load_banks] == [root.pk]
    towns = Unit.objects.filter(parent=root, kind__in=[Unit.Kind.TOWN, Unit.Kind.STREET])
    assert towns.count() == 8
    assert Unit.objects.filter(parent=root, name="市司法局", kind=Unit.Kind.DEPARTMENT).exists()
    for town in towns:
        assert 2 <= town.children.count() <= 4

    participants = User.objects.filter(role=User.Role.PARTICIPANT)
    assert participants.count() == 300
    sample = participants.order_by("username").first()
    assert sample is not None and sample.phone == sample.username and sample.real_name
    assert sample.check_password(demo.DEMO_PASSWORD) and not sample.must_change_password
    staff = {u.username: u for u in User.objects.exclude(role=User.Role.PARTICIPANT).select_related("unit")}
    assert staff["organizer"].role == User.Role.ORGANIZER and staff["organizer"].unit == root
    assert staff["hr"].role == User.Role.HR and staff["hr"].unit == root
    assert staff["organizer_nanguan"].unit is not None and staff["organizer_nanguan"].unit.name == "南关镇"
    assert staff["admin"].is_superuser and staff["admin"].check_password(demo.DEMO_PASSWORD)

    open_quiz = Exam.objects.get(title=demo.OPEN_QUIZ_TITLE)
    roster_exam = Exam.objects.get(title=demo.ROSTER_EXAM_TITLE)
    assert open_quiz.status == roster_exam.status == Exam.Status.PUBLISHED
    assert open_quiz.is_public and open_quiz.composition == Exam.Composition.RANDOM
    assert open_quiz.draw_rules.count() == 3 and open_quiz.max_attempts == 3
    assert not roster_exam.is_public and list(roster_exam.audience_units.all()) == [root]
    assert roster_exam.fixed_questions.count() == 25
    # The stand-in cadre bank has 4 multiple-choice questions, so the fifth comes from the Civil Code bank.
    assert roster_exam.fixed_questions.filter(question__bank__name=demo.CADRE_BANK).count() == 24
    assert sum(eq.points for eq in roster_exam.fixed_questions.all()) == 100

    for exam in (open_quiz, roster_exam):
        attempts = Attempt.objects.filter(exam=exam)
        assert not attempts.filter(status=Attempt.Status.IN_PROGRESS).exists()
        assert all(a.max_score == 100 for a in attempts.filter(number=1)[:5])
        assert attempts.filter(started_at__lt=exam.opens_at).count() == 0
        assert attempts.filter(submitted_at__gt=NOW).count() == 0
    assert Attempt.objects.filter(exam=open_quiz, number__gt=1).exists()
    assert Attempt.objects.filter(is_counted=True).count() >= 250
    assert Attempt.objects.count() == summary.attempts

    people = leaderboard_people(exam=roster_exam)
    assert len(people) >= 150 and people[0].rank == 1
    assert people[0].score > people[-1].score
    units = leaderboard_units(exam=roster_exam)
    assert len(units) == 12
    rates = [row.participation_rate for row in units]
    assert max(rates) - min(rates) >= 30, rates
    assert leaderboard_people(exam=open_quiz) and leaderboard_units(exam=open_quiz)

    assert summary.created_anything
    assert (summary.units, summary.participants, summary.exams) == (1 + 4 + 8 + 24, 300, 2)
    assert {a.username for a in summary.accounts} >= {"organizer", "hr", "organizer_nanguan", "admin"}

    # The second run goes through the command, at another time: it finds everything and adds nothing.
    before = row_counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert row_counts() == before
    assert len(fake_load_banks) == 1
    text = out.getvalue()
    steps = text.split("Units:")[0]
    assert steps.count("already seeded") == len(summary.steps) and "created" not in steps
    assert f"Units: {summary.units}" in text and f"Attempts: {summary.attempts}" in text
    for account in ("organizer", "hr", "organizer_nanguan", "admin", demo.DEMO_PASSWORD, "13800000001"):
        assert account in text


@pytest.mark.django_db
def test_a_missing_cadre_bank_is_a_warning_and_a_missing_civil_code_bank_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = Unit.objects.create(name=demo.ROOT_NAME, kind=Unit.Kind.CITY, path="0001")

    def only_civil_code(name: str, **options: Any) -> None:
        bank_create(name=demo.CIVIL_CODE_BANK, unit=root)
        options["stderr"].write("缺少题库文件 quizzes/data/banks/cadre_law.csv\n")
        raise CommandError("1 个题库未能导入。")

    monkeypatch.setattr(demo, "call_command", only_civil_code)
    summary = demo.DemoSummary()
    civil, cadre = demo._seed_banks(summary, root)
    assert civil.name == demo.CIVIL_CODE_BANK and cadre is None
    assert any("cadre_law.csv" in w for w in summary.warnings)
    assert any(demo.CADRE_BANK in w for w in summary.warnings)

    civil.delete()

    def nothing(name: str, **options: Any) -> None:
        raise CommandError("2 个题库未能导入。")

    monkeypatch.setattr(demo, "call_command", nothing)
    with pytest.raises(demo.DemoSeedError, match="2 个题库未能导入"):
        demo._seed_banks(demo.DemoSummary(), root)


SHIPPED = Path(demo.__file__).parent / "data" / "banks"


@pytest.mark.django_db
@pytest.mark.skipif(
    "load_banks" not in get_commands() or not any(SHIPPED.glob("*.csv")),
    reason="load_banks or the shipped bank files are not there yet",
)
def test_seed_demo_with_the_shipped_banks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real load_banks path; 40 participants are enough to sit real papers (the full run is above)."""
    plan = demo.plan_participants
    monkeypatch.setattr(demo, "plan_participants", lambda rng: plan(rng)[:40])
    summary = demo.seed_demo(now=NOW)
    civil = QuestionBank.objects.get(name=demo.CIVIL_CODE_BANK)
    assert civil.questions.count() >= 200
    assert not summary.warnings
    roster_exam = Exam.objects.get(title=demo.ROSTER_EXAM_TITLE)
    assert roster_exam.fixed_questions.filter(question__bank__name=demo.CADRE_BANK).count() == 25
    assert Exam.objects.filter(status=Exam.Status.PUBLISHED).count() == 2
    assert summary.counted_attempts >= 30
    assert leaderboard_people(exam=roster_exam) and leaderboard_units(exam=roster_exam)
    before = row_counts()
    demo.seed_demo(now=NOW)
    assert row_counts() == before
