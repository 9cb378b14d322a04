"""manage.py seed_demo: the demo city, its people, exams and attempts; a second run adds nothing and says so."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Unit, User
from demo import exams as demo_exams
from demo import people as demo_people
from demo.exams import (
    CADRE_BANK,
    CIVIL_CODE_BANK,
    OPEN_QUIZ_TITLE,
    PRACTICE_DAILY_COUNT,
    PRACTICE_SET_TITLE,
    ROSTER_EXAM_TITLE,
)
from demo.management.commands.seed_demo import render
from demo.people import DEMO_PASSWORD, README_PARTICIPANTS, ROOT_NAME
from demo.seed import seed_demo
from demo.summary import DemoSeedError, DemoSummary
from quizzes.errors import ImportHasErrors, NoAttemptsLeft
from quizzes.importing import shipped
from quizzes.leaderboards import leaderboard_people, leaderboard_units
from quizzes.models import Attempt, Exam, QuestionBank, QuestionKind
from quizzes.selectors_learning import practice_sets_for
from quizzes.services.attempts import attempt_start
from quizzes.services.banks import bank_create, question_create
from quizzes.services.learning import daily_round_start, practice_round_start

NOW = datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
README_FIRST = "13800000001"


def stand_in_banks(root: Unit) -> dict[str, int]:
    """What the shipped-bank service provides, small: both banks, questions of all three kinds."""
    added = {}
    for name, (singles, multiples, judges) in ((CIVIL_CODE_BANK, (18, 10, 16)), (CADRE_BANK, (12, 4, 12))):
        bank = QuestionBank.objects.filter(unit=root, name=name).first()
        if bank is not None:
            added[name] = 0
            continue
        bank = bank_create(name=name, unit=root)
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
        added[name] = singles + multiples + judges
    return added


@pytest.fixture
def fake_shipped_banks(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_banks_load_shipped(*, unit: Unit, skip_missing: bool = False) -> dict[str, int]:
        calls.append({"unit": unit.pk, "skip_missing": skip_missing})
        return stand_in_banks(unit)

    monkeypatch.setattr(demo_exams, "banks_load_shipped", fake_banks_load_shipped)
    monkeypatch.setattr(demo_exams, "missing_shipped_files", lambda: [])
    return calls


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_names_are_distinct_and_deterministic() -> None:
    names = demo_people.chinese_names(random.Random(7), 300)
    assert len(set(names)) == 300
    assert all(2 <= len(name) <= 3 for name in names)
    assert names == demo_people.chinese_names(random.Random(7), 300)


def test_plan_spreads_participants_with_phone_accounts() -> None:
    plans = demo_people.plan_participants(random.Random(1))
    assert len(plans) == demo_people.PARTICIPANT_COUNT
    assert all(len(p.username) == 11 and p.username.startswith("1380000") for p in plans)
    assert len({p.username for p in plans}) == len(plans)
    assert len({p.unit_name for p in plans}) == len(demo_people.CITY_DEPARTMENTS) + sum(
        len(t.child_units()) for t in demo_people.TOWNS
    )


def test_the_readme_participants_keep_both_exams_open_and_the_others_are_unchanged() -> None:
    plans = demo_people.plan_participants(random.Random(2026))
    readme = [p for p in plans if p.username <= f"1380000{README_PARTICIPANTS:04d}"]
    assert [p.username for p in readme] == [f"138000000{i:02d}" for i in range(1, README_PARTICIPANTS + 1)]
    assert all(p.roster is None and len(p.open_quiz) <= 1 for p in readme)
    assert plans[README_PARTICIPANTS:] == demo_people.plan_participants(random.Random(2026))[README_PARTICIPANTS:]
    assert sum(1 for p in plans if p.roster) >= 150


@pytest.mark.django_db
def test_seed_demo_creates_a_city_with_results_and_a_second_run_adds_nothing(
    fake_shipped_banks: list[dict[str, Any]],
) -> None:
    summary = seed_demo(now=NOW)

    root = Unit.objects.get(name=ROOT_NAME, parent=None)
    assert root.kind == Unit.Kind.CITY
    assert fake_shipped_banks == [{"unit": root.pk, "skip_missing": True}]
    towns = Unit.objects.filter(parent=root, kind__in=[Unit.Kind.TOWN, Unit.Kind.STREET])
    assert towns.count() == 8
    assert Unit.objects.filter(parent=root, name="市司法局", kind=Unit.Kind.DEPARTMENT).exists()
    for town in towns:
        assert 2 <= town.children.count() <= 4

    participants = User.objects.filter(role=User.Role.PARTICIPANT)
    assert participants.count() == 300
    sample = participants.order_by("username").first()
    assert sample is not None and sample.phone == sample.username and sample.real_name
    assert sample.check_password(DEMO_PASSWORD) and not sample.must_change_password
    staff = {u.username: u for u in User.objects.exclude(role=User.Role.PARTICIPANT).select_related("unit")}
    assert staff["organizer"].role == User.Role.ORGANIZER and staff["organizer"].unit == root
    assert staff["hr"].role == User.Role.HR and staff["hr"].unit == root
    assert staff["organizer_nanguan"].unit is not None and staff["organizer_nanguan"].unit.name == "南关镇"
    assert staff["admin"].is_superuser and staff["admin"].check_password(DEMO_PASSWORD)

    open_quiz = Exam.objects.get(title=OPEN_QUIZ_TITLE)
    roster_exam = Exam.objects.get(title=ROSTER_EXAM_TITLE)
    assert open_quiz.status == roster_exam.status == Exam.Status.PUBLISHED
    assert open_quiz.is_public and open_quiz.composition == Exam.Composition.RANDOM
    assert open_quiz.draw_rules.count() == 3 and open_quiz.max_attempts == 3
    assert not roster_exam.is_public and list(roster_exam.audience_units.all()) == [root]
    assert roster_exam.fixed_questions.count() == 25
    # The stand-in cadre bank has 4 multiple-choice questions, so the fifth comes from the Civil Code bank.
    assert roster_exam.fixed_questions.filter(question__bank__name=CADRE_BANK).count() == 24
    assert sum(eq.points for eq in roster_exam.fixed_questions.all()) == 100

    for exam in (open_quiz, roster_exam):
        attempts = Attempt.objects.filter(exam=exam)
        assert not attempts.filter(status=Attempt.Status.IN_PROGRESS).exists()
        assert all(a.max_score == 100 for a in attempts.filter(number=1)[:5])
        assert attempts.filter(started_at__lt=exam.opens_at).count() == 0
        assert attempts.filter(submitted_at__gt=NOW).count() == 0
    assert Attempt.objects.filter(exam=open_quiz, number__gt=1).exists()
    assert Attempt.objects.filter(is_counted=True).count() >= 250

    people = leaderboard_people(exam=roster_exam)
    assert len(people) >= 150 and people[0].rank == 1
    assert people[0].score > people[-1].score
    units = leaderboard_units(exam=roster_exam).rows
    assert len(units) == 12
    rates = [row.participation_rate for row in units if row.participation_rate is not None]
    assert max(rates) - min(rates) >= 30, rates
    assert leaderboard_people(exam=open_quiz) and leaderboard_units(exam=open_quiz).rows

    # The first run's summary: everything created now, nothing there before, and the totals are the rows.
    assert summary.created_anything
    assert all(step.existing == 0 for step in summary.steps), summary.steps
    assert (summary.total("units"), summary.total("participant accounts"), summary.total("staff accounts")) == (
        1 + 4 + 8 + 24,
        300,
        4,
    )
    assert summary.total("questions") == 44 + 28
    assert summary.total("open quiz attempts") == Attempt.objects.filter(exam=open_quiz).count()
    assert summary.total("roster exam attempts") == Attempt.objects.filter(exam=roster_exam).count()
    assert summary.counted_attempts == Attempt.objects.filter(is_counted=True).count()

    # The second run goes through the command: it finds everything, adds nothing, and says exactly that.
    before = row_counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert row_counts() == before
    text = out.getvalue()
    second_run = {
        match[1]: (int(match[2]), int(match[3]), int(match[4]))
        for match in re.finditer(r"^  (\S.*?) +(\d+) +(\d+) +(\d+)$", text, flags=re.MULTILINE)
    }
    assert second_run == {step.name: (0, step.total, step.total) for step in summary.steps}
    assert "this run created nothing" in text and "Created" not in text
    assert f"{summary.counted_attempts} attempts count on the leaderboards." in text
    for account in ("organizer", "hr", "organizer_nanguan", "admin", DEMO_PASSWORD, "13800000001 … 13800000005"):
        assert account in text


@pytest.mark.django_db
def test_the_readme_participant_can_start_both_exams_after_seeding(
    fake_shipped_banks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = demo_people.plan_participants
    monkeypatch.setattr("demo.seed.plan_participants", lambda rng: plan(rng)[:40])  # the README's and some more
    seed_demo(now=NOW)
    open_quiz = Exam.objects.get(title=OPEN_QUIZ_TITLE)
    roster_exam = Exam.objects.get(title=ROSTER_EXAM_TITLE)
    later = NOW + timedelta(minutes=1)
    for number in range(1, README_PARTICIPANTS + 1):
        user = User.objects.get(username=f"1380000{number:04d}")
        assert not Attempt.objects.filter(exam=roster_exam, user=user).exists()
        assert Attempt.objects.filter(exam=open_quiz, user=user).count() <= 1
    first = User.objects.get(username=README_FIRST)
    for exam in (open_quiz, roster_exam):
        attempt, created = attempt_start(exam=exam, user=first, now=later)
        assert created and attempt.status == Attempt.Status.IN_PROGRESS
    # Others have finished the roster exam and cannot sit it again.
    sat = Attempt.objects.filter(exam=roster_exam).exclude(user=first).select_related("user").first()
    assert sat is not None and sat.status != Attempt.Status.IN_PROGRESS
    with pytest.raises(NoAttemptsLeft):
        attempt_start(exam=roster_exam, user=sat.user, now=later)


@pytest.mark.django_db
def test_a_participant_can_practise_while_both_exams_are_open(
    fake_shipped_banks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's practice set is usable during both exams: the cadre-law bank, less the roster exam's paper
    (the open quiz's random papers hide the whole Civil Code bank, so practice is not on it)."""
    plan = demo_people.plan_participants
    monkeypatch.setattr("demo.seed.plan_participants", lambda rng: plan(rng)[:10])
    seed_demo(now=NOW)
    first = User.objects.get(username=README_FIRST)
    [practice_set] = practice_sets_for(first)
    assert practice_set.title == PRACTICE_SET_TITLE and practice_set.bank.name == CADRE_BANK
    assert practice_set.daily_count == PRACTICE_DAILY_COUNT
    later = NOW + timedelta(minutes=1)
    practice_round = practice_round_start(practice_set=practice_set, user=first, count=50, now=later)
    drawn = set(practice_round.items.values_list("question_id", flat=True))
    on_paper = set(Exam.objects.get(title=ROSTER_EXAM_TITLE).fixed_questions.values_list("question_id", flat=True))
    assert len(drawn) == 28 - 24 and not drawn & on_paper  # the stand-in bank's 28, less the 24 on the paper
    assert daily_round_start(practice_set=practice_set, user=first, now=later).items.count() == 4


def test_render_agrees_with_itself() -> None:
    summary = DemoSummary(counted_attempts=3)
    summary.add("questions", created=64, existing=344)
    summary.add("open quiz attempts", created=0, existing=5)
    lines = render(summary).splitlines()
    assert [line.split() for line in lines[1:4]] == [
        ["created", "now", "already", "there", "total"],
        ["questions", "64", "344", "408"],
        ["open", "quiz", "attempts", "0", "5", "5"],
    ]
    assert "Created 64 records in this run." in lines


@pytest.mark.django_db
def test_a_missing_cadre_bank_is_a_warning_and_a_broken_civil_code_bank_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    root = Unit.objects.create(name=ROOT_NAME, kind=Unit.Kind.CITY, path="0001")
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path)
    (tmp_path / "civil_code.csv").write_text(
        "题型,题干,选项A,选项B,答案\n单选,十八周岁以上的自然人为（ ）。,成年人,未成年人,A\n", encoding="utf-8"
    )
    summary = DemoSummary()
    civil, cadre = demo_exams.seed_banks(summary, root)
    assert civil.name == CIVIL_CODE_BANK and cadre is None
    assert civil.questions.count() == 1
    assert any("cadre_law.csv" in w for w in summary.warnings)
    assert any(CADRE_BANK in w for w in summary.warnings)
    assert [(s.name, s.created, s.existing) for s in summary.steps] == [("questions", 1, 0)]

    civil.delete()
    (tmp_path / "civil_code.csv").write_text("题型,题干,选项A,选项B,答案\n单选,坏题,甲,,A\n", encoding="utf-8")
    with pytest.raises(DemoSeedError, match=r"civil_code\.csv 有 1 处错误"):
        demo_exams.seed_banks(DemoSummary(), root)
    assert ImportHasErrors.code == "import_has_errors"


@pytest.mark.django_db
def test_the_fixed_paper_takes_one_question_of_each_exclusion_group() -> None:
    root = Unit.objects.create(name=ROOT_NAME, kind=Unit.Kind.CITY, path="0001")
    stand_in_banks(root)
    cadre = QuestionBank.objects.get(name=CADRE_BANK)
    civil = QuestionBank.objects.get(name=CIVIL_CODE_BANK)
    cadre.questions.filter(kind=QuestionKind.SINGLE).update(exclusion_group="同一条")  # all 12 singles, one group
    paper = demo_exams.fixed_paper(cadre, civil, random.Random(7))
    singles = [item.question for item in paper if item.question.kind == QuestionKind.SINGLE]
    assert len(singles) == 10 and len(paper) == 25
    assert [q.bank_id for q in singles].count(cadre.pk) == 1  # the other nine come from the Civil Code bank


@pytest.mark.django_db
@pytest.mark.skipif(
    not all(b.path.is_file() for b in shipped.SHIPPED_BANKS), reason="the shipped bank files are not there"
)
def test_seed_demo_with_the_shipped_banks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real shipped-bank service; 40 participants are enough to sit real papers (the full run is above)."""
    plan = demo_people.plan_participants
    monkeypatch.setattr("demo.seed.plan_participants", lambda rng: plan(rng)[:40])
    summary = seed_demo(now=NOW)
    civil = QuestionBank.objects.get(name=CIVIL_CODE_BANK)
    assert civil.questions.count() >= 200
    assert not summary.warnings
    roster_exam = Exam.objects.get(title=ROSTER_EXAM_TITLE)
    assert roster_exam.fixed_questions.filter(question__bank__name=CADRE_BANK).count() == 25
    assert Exam.objects.filter(status=Exam.Status.PUBLISHED).count() == 2
    assert summary.counted_attempts >= 30
    assert leaderboard_people(exam=roster_exam) and leaderboard_units(exam=roster_exam).rows
    before = row_counts()
    again = seed_demo(now=NOW)
    assert row_counts() == before
    assert not again.created_anything
    assert [(s.name, s.existing) for s in again.steps] == [(s.name, s.total) for s in summary.steps]
