"""Browser-test harness: a throwaway SQLite database with fixtures made through the project's services.

    python frontend/e2e/harness.py setup              # fresh database, migrations, fixtures, collectstatic
    python frontend/e2e/harness.py serve PORT         # runserver on that database (DEBUG off, WhiteNoise)
    python frontend/e2e/harness.py short-exam SECONDS # an exam whose window closes SECONDS from now
    python frontend/e2e/harness.py leave-limit-exam N # an exam that submits an attempt after N page leaves
    python frontend/e2e/harness.py answers USER EXAM  # the saved answers of USER's latest attempt (JSON)
    python frontend/e2e/harness.py practice-set USER  # a practice set for 南关镇 and a new participant USER in it
    python frontend/e2e/harness.py key QUESTION       # a question's key (letters, JSON)
    python frontend/e2e/harness.py practise USER SET N RIGHT  # USER (new, of 北岭镇司法所) answers N questions
                                                      # of the practice set titled SET, the first RIGHT right

The database lives at $XUEFA_E2E_DB (default /tmp/xuefa-e2e.sqlite3).
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DB = Path(os.environ.get("XUEFA_E2E_DB", "/tmp/xuefa-e2e.sqlite3"))
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
sys.path.insert(0, str(REPO))

PASSWORD = "Xuefa@2026"
CIVIL_QUIZ = "民法典宣传月知识竞赛（测试）"
ROSTER_EXAM = "学纪学法网上考试（测试）"
PARTICIPANTS = ["e2e_p1", "e2e_p2", "e2e_p3", "e2e_p4", "e2e_p5", "e2e_p6"]
OTHERS = [("e2e_o1", "王建国"), ("e2e_o2", "李秀英"), ("e2e_o3", "张伟"), ("e2e_o4", "刘洋"), ("e2e_o5", "陈静")]


def django_setup() -> None:
    import django

    django.setup()


def setup() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    django_setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Unit, User
    from accounts.services import site_settings_update, unit_create, user_create
    from quizzes.models import Exam, Question, QuestionBank, QuestionKind
    from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    city = unit_create(name="清河市", kind=Unit.Kind.CITY)
    nanguan = unit_create(name="南关镇", parent=city, kind=Unit.Kind.TOWN)
    office = unit_create(name="南关镇司法所", parent=nanguan, kind=Unit.Kind.DEPARTMENT)
    village = unit_create(name="李家庄村", parent=nanguan, kind=Unit.Kind.VILLAGE)
    beiling = unit_create(name="北岭镇", parent=city, kind=Unit.Kind.TOWN)
    unit_create(name="北岭镇司法所", parent=beiling, kind=Unit.Kind.DEPARTMENT)
    site_settings_update(self_signup_enabled=True)

    organizer = user_create(
        username="e2e_org", password=PASSWORD, real_name="组织者", unit=city, role=User.Role.ORGANIZER
    )
    # the console's people: an organizer and HR of each town, so tests can check one town never sees another's
    user_create(
        username="e2e_org_ng", password=PASSWORD, real_name="南关组织者", unit=nanguan, role=User.Role.ORGANIZER
    )
    user_create(
        username="e2e_org_bl", password=PASSWORD, real_name="北岭组织者", unit=beiling, role=User.Role.ORGANIZER
    )
    user_create(username="e2e_hr_ng", password=PASSWORD, real_name="南关人事", unit=nanguan, role=User.Role.HR)
    user_create(username="e2e_hr_bl", password=PASSWORD, real_name="北岭人事", unit=beiling, role=User.Role.HR)
    user_create(username="e2e_new", password=PASSWORD, real_name="张新", unit=office, must_change_password=True)
    for i, name in enumerate(PARTICIPANTS, start=1):
        user_create(username=name, password=PASSWORD, real_name=f"测试{i}号", unit=office)
    user_create(username="e2e_out", password=PASSWORD, real_name="赵外", unit=beiling)
    others = [
        user_create(username=u, password=PASSWORD, real_name=n, unit=village if i % 2 else office)
        for i, (u, n) in enumerate(OTHERS)
    ]

    call_command("load_banks", unit=city.id, verbosity=0, stdout=io.StringIO())
    civil = QuestionBank.objects.get(name__contains="民法典")
    questions = Question.objects.filter(bank=civil, is_active=True).order_by("id")
    by_kind = {k: list(questions.filter(kind=k)[:6]) for k in QuestionKind.values}
    civil_paper = [*by_kind["single"][:3], *by_kind["multiple"][:1], *by_kind["judge"][:1]]
    roster_paper = [*by_kind["single"][3:6], *by_kind["multiple"][1:3], *by_kind["judge"][1:4]]
    now = timezone.now()
    common = {"opens_at": now - timedelta(days=1), "time_limit_seconds": 30 * 60, "shuffle_options": True}

    quiz = exam_create(
        unit=city,
        created_by=organizer,
        fixed=[PaperItem(question=q, points=Decimal(20)) for q in civil_paper],
        title=CIVIL_QUIZ,
        description="民法典宣传月：全市干部群众均可参加，可多次作答，取最高分。",
        closes_at=now + timedelta(days=30),
        max_attempts=0,
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
        is_public=True,
        **common,
    )
    quiz = exam_publish(exam=quiz)
    roster = exam_create(
        unit=city,
        created_by=organizer,
        audience_units=[nanguan],
        fixed=[PaperItem(question=q, points=Decimal("12.5")) for q in roster_paper],
        title=ROSTER_EXAM,
        closes_at=now + timedelta(days=30),
        max_attempts=3,
        review_policy=Exam.ReviewPolicy.AFTER_CLOSE,
        **common,
    )
    exam_publish(exam=roster)
    upcoming = exam_create(
        unit=city,
        created_by=organizer,
        audience_units=[nanguan],
        fixed=[PaperItem(question=q, points=Decimal(10)) for q in roster_paper],
        title="下半年学法考试（未开始）",
        **{**common, "opens_at": now + timedelta(days=40)},
        closes_at=now + timedelta(days=45),
    )
    exam_publish(exam=upcoming)

    # Some people have finished the quiz, so that the leaderboards have rows.
    rng = random.Random(7)
    for user in others:
        attempt, _ = attempt_start(exam=quiz, user=user, rng=rng)
        for seq, item in enumerate(attempt.paper.all(), start=1):
            right = rng.random() < 0.7
            choices = list(item.answer) if right else [item.options[-1]["letter"]]
            answer_save(attempt_id=attempt.id, user=user, question_id=item.question_id, choices=choices, seq=seq)
        attempt_submit(attempt_id=attempt.id, user=user)
    print(json.dumps({"quiz": quiz.id, "roster": roster.id, "upcoming": upcoming.id}))


def stats_exam() -> None:
    """A quiz that five people of 南关镇 (e2e_o1…e2e_o5) have finished, with its first question answered wrongly
    by everyone (facility 0: the statistics flag it) and the others by a fixed pattern: the monitor spec's
    statistics do not depend on what other specs of the run have done to the shared fixtures."""
    django_setup()
    from django.utils import timezone

    from accounts.models import Unit, User
    from quizzes.models import Exam, Question, QuestionBank, QuestionKind
    from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    civil = QuestionBank.objects.get(name__contains="民法典")
    questions = Question.objects.filter(bank=civil, is_active=True).order_by("-id")
    paper = [*questions.filter(kind=QuestionKind.SINGLE)[:3], *questions.filter(kind=QuestionKind.JUDGE)[:2]]
    now = timezone.now()
    exam = exam_create(
        unit=Unit.objects.get(name="清河市"),
        created_by=User.objects.get(username="e2e_org"),
        fixed=[PaperItem(question=q, points=Decimal(20)) for q in paper],
        title="统计分析小测（测试）",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        time_limit_seconds=30 * 60,
        max_attempts=1,
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
        is_public=True,
    )
    exam = exam_publish(exam=exam)
    for i, (username, _name) in enumerate(OTHERS):
        user = User.objects.get(username=username)
        attempt, _ = attempt_start(exam=exam, user=user, rng=random.Random(i))
        # by question, not by position: the paper's order may be shuffled per person
        for j, item in enumerate(attempt.paper.order_by("question_id"), start=0):
            wrong = [o["letter"] for o in item.options if o["letter"] not in item.answer][:1]
            right = j > 0 and (i + j) % 3 != 0
            choices = list(item.answer) if right else wrong
            answer_save(attempt_id=attempt.id, user=user, question_id=item.question_id, choices=choices, seq=j + 1)
        attempt_submit(attempt_id=attempt.id, user=user)
    print(json.dumps({"id": exam.id}))


def short_exam(seconds: int, leave_limit: int | None = None) -> None:
    django_setup()
    from django.utils import timezone

    from accounts.models import Unit, User
    from quizzes.models import Exam, Question
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    now = timezone.now()
    questions = list(Question.objects.filter(kind="single").order_by("id")[:3])
    exam = exam_create(
        unit=Unit.objects.get(name="清河市"),
        created_by=User.objects.get(username="e2e_org"),
        audience_units=[Unit.objects.get(name="南关镇")],
        fixed=[PaperItem(question=q, points=Decimal(10)) for q in questions],
        title=f"限时小测（{seconds} 秒）" if leave_limit is None else f"切屏限制小测（{leave_limit} 次）",
        leave_limit=leave_limit,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(seconds=seconds),
        time_limit_seconds=600,
        max_attempts=1,
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
    )
    exam_publish(exam=exam)
    print(json.dumps({"id": exam.id}))


def answers(username: str, exam_id: int) -> None:
    django_setup()
    from quizzes.models import Answer, Attempt

    attempt = Attempt.objects.filter(user__username=username, exam_id=exam_id).order_by("-number").first()
    if attempt is None:
        print(json.dumps(None))
        return
    rows = Answer.objects.filter(attempt=attempt).order_by("question_id")
    saved = {str(a.question_id): {"choices": a.choices, "seq": a.seq} for a in rows}
    print(json.dumps({"attempt": attempt.id, "status": attempt.status, "answers": saved}))


def passed_quiz(username: str, exam_id: int) -> None:
    """A new participant of 南关镇司法所 who has passed the exam with every answer right: the attempt and
    the certificate's code."""
    django_setup()
    from accounts.models import Unit
    from accounts.services import user_create
    from quizzes.models import Certificate, Exam
    from quizzes.services.attempts import answer_save, attempt_start, attempt_submit

    office = Unit.objects.get(name="南关镇司法所")
    user = user_create(username=username, password=PASSWORD, real_name="欧阳证书", unit=office)
    exam = Exam.objects.get(pk=exam_id)
    attempt, _ = attempt_start(exam=exam, user=user)
    for seq, item in enumerate(attempt.paper.all(), start=1):
        answer_save(attempt_id=attempt.id, user=user, question_id=item.question_id, choices=item.answer, seq=seq)
    attempt_submit(attempt_id=attempt.id, user=user)
    code = Certificate.objects.get(exam=exam, user=user).code
    print(json.dumps({"attempt": attempt.id, "code": code}))


# --- console people and results (console-people.spec.ts) ---------------------------------------------------


def two_towns_exam() -> None:
    """A roster exam for both towns with submitted attempts from each (e2e_o1, e2e_o2 of 南关镇; e2e_out and
    e2e_bl1 of 北岭镇), so that a town's HR export can be checked to hold that town's people only. Idempotent."""
    django_setup()
    from django.utils import timezone

    from accounts.models import Unit, User
    from accounts.services import user_create
    from quizzes.models import Exam, Question
    from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
    from quizzes.services.exams import PaperItem, exam_create, exam_publish

    title = "两镇学法考试（测试）"
    exam = Exam.objects.filter(title=title).first()
    if exam is None:
        beiling = Unit.objects.get(name="北岭镇")
        if not User.objects.filter(username="e2e_bl1").exists():
            user_create(username="e2e_bl1", password=PASSWORD, real_name="孙北岭", unit=beiling)
        now = timezone.now()
        exam = exam_create(
            unit=Unit.objects.get(name="清河市"),
            created_by=User.objects.get(username="e2e_org"),
            audience_units=[Unit.objects.get(name="南关镇"), beiling],
            fixed=[PaperItem(question=q, points=Decimal(25)) for q in Question.objects.filter(kind="single")[:4]],
            title=title,
            opens_at=now - timedelta(hours=2),
            closes_at=now + timedelta(days=10),
            time_limit_seconds=1800,
            max_attempts=1,
        )
        exam = exam_publish(exam=exam)
        for username, right in (("e2e_o1", 4), ("e2e_o2", 1), ("e2e_out", 3), ("e2e_bl1", 2)):
            user = User.objects.get(username=username)
            attempt, _created = attempt_start(exam=exam, user=user)
            for seq, item in enumerate(attempt.paper.order_by("position")[:right], start=1):
                answer_save(
                    attempt_id=attempt.id, user=user, question_id=item.question_id, choices=item.answer, seq=seq
                )
            attempt_submit(attempt_id=attempt.id, user=user)
    print(json.dumps({"id": exam.id}))


def counted_people(exam_id: int, unit_name: str) -> None:
    """账号 of the people of ``unit_name``'s subtree with a counted attempt at the exam, straight from the
    attempts table (not through the export code under test), and how many there are in the whole exam."""
    django_setup()
    from accounts.models import Unit
    from quizzes.models import Attempt

    unit = Unit.objects.get(name=unit_name)
    counted = Attempt.objects.filter(exam_id=exam_id, is_counted=True)
    inside = counted.filter(user__unit__path__startswith=unit.path)
    usernames = sorted(inside.values_list("user__username", flat=True))
    print(json.dumps({"usernames": usernames, "all": counted.count()}))


# --- learning: practice, the wrong-answer book, daily questions (learning.spec.ts) ------------------------------


PRACTICE_SET = "民法典学习（测试）"


def practice_set(username: str) -> None:
    """The Civil Code bank opened for practice to 南关镇 (three daily questions), made once per database through
    the service, and a new participant USER of 南关镇司法所: nothing they practise touches other specs' people."""
    django_setup()
    from accounts.models import Unit, User
    from accounts.services import user_create
    from quizzes.models import PracticeSet, QuestionBank
    from quizzes.services.learning import practice_set_create

    found = PracticeSet.objects.filter(title=PRACTICE_SET).first()
    if found is None:
        found = practice_set_create(
            user=User.objects.get(username="e2e_org"),
            title=PRACTICE_SET,
            bank_id=QuestionBank.objects.get(name__contains="民法典").pk,
            audience_unit_ids=[Unit.objects.get(name="南关镇").pk],
            daily_count=3,
        )
    if not User.objects.filter(username=username).exists():
        office = Unit.objects.get(name="南关镇司法所")
        user_create(username=username, password=PASSWORD, real_name="练习者", unit=office)
    print(json.dumps({"id": found.pk}))


def key(question_id: int) -> None:
    django_setup()
    from quizzes.models import Question

    print(json.dumps(sorted(Question.objects.get(pk=question_id).answer)))


def practise(username: str, set_title: str, count: int, right: int) -> None:
    """A practice round of ``count`` questions answered through the services by a new participant of 北岭镇司法所
    (no other spec practises there), the first ``right`` of them right: figures for the console's reach."""
    django_setup()
    from accounts.models import Unit, User
    from accounts.services import user_create
    from quizzes.models import PracticeSet
    from quizzes.services.learning import practice_answer, practice_round_start

    user = User.objects.filter(username=username).first() or user_create(
        username=username, password=PASSWORD, real_name="北岭练习者", unit=Unit.objects.get(name="北岭镇司法所")
    )
    practice_set = PracticeSet.objects.filter(title=set_title).latest("pk")
    practice_round = practice_round_start(practice_set=practice_set, user=user, count=count, rng=random.Random(3))
    for n, item in enumerate(practice_round.items.select_related("question").order_by("position")):
        key = list(item.question.answer)
        wrong = key[:-1] if len(key) > 1 else [letter for letter in "AB" if letter not in key]  # a part is wrong
        practice_answer(
            round_id=practice_round.pk, user=user, question_id=item.question_id, choices=key if n < right else wrong
        )
    print(json.dumps({"round": practice_round.pk}))


def serve(port: str) -> None:
    python = str(REPO / ".venv" / "bin" / "python")
    os.execv(python, [python, str(REPO / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"])


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["help"]
    if command == "setup":
        setup()
    elif command == "serve":
        serve(args[0])
    elif command == "short-exam":
        short_exam(int(args[0]))
    elif command == "leave-limit-exam":
        short_exam(3600, leave_limit=int(args[0]))
    elif command == "answers":
        answers(args[0], int(args[1]))
    elif command == "passed":
        passed_quiz(args[0], int(args[1]))
    elif command == "practice-set":
        practice_set(args[0])
    elif command == "key":
        key(int(args[0]))
    elif command == "practise":
        practise(args[0], args[1], int(args[2]), int(args[3]))
    elif command == "stats-exam":
        stats_exam()
    elif command == "two-towns-exam":
        two_towns_exam()
    elif command == "counted-people":
        counted_people(int(args[0]), args[1])
    else:
        print(__doc__)
        sys.exit(2)
