"""The demo's question banks (the shipped ones), its two exams (an open quiz and a roster exam) and its practice
set (学法练习 between exams)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Unit, User
from quizzes.errors import QuizError
from quizzes.i18n import join_clauses
from quizzes.importing.shipped import SHIPPED_BANKS, missing_shipped_files
from quizzes.models import Exam, PracticeSet, Question, QuestionBank, QuestionKind
from quizzes.services.exams import PaperItem, RuleSpec, exam_create, exam_publish
from quizzes.services.laws import laws_load_shipped
from quizzes.services.learning import practice_set_create
from quizzes.services.shipped import banks_load_shipped

from .summary import DemoSeedError, DemoSummary

_SHIPPED_NAMES = {shipped.filename: shipped.name for shipped in SHIPPED_BANKS}
CIVIL_CODE_BANK = _SHIPPED_NAMES["civil_code.csv"]  # 《中华人民共和国民法典》题库
CADRE_BANK = _SHIPPED_NAMES["cadre_law.csv"]  # 学纪学法（宪法与公职人员法律）题库
# The demo exams' titles and descriptions: data, stored as the exams' own texts
OPEN_QUIZ_TITLE = "2026年民法典宣传月知识竞赛"
OPEN_QUIZ_DESCRIPTION = "民法典宣传月线上知识竞赛，欢迎全市干部群众参加。每人可答 3 次，取最高分。"
ROSTER_EXAM_TITLE = "2026年度全市党员干部学纪学法网上考试"
ROSTER_EXAM_DESCRIPTION = "全市党员干部年度学纪学法考试，限名册内人员参加，只有一次机会，考试结束后公布答案。"
OPEN_QUIZ_ATTEMPTS = 3
PRACTICE_SET_TITLE = "学纪学法日常练习"
PRACTICE_DAILY_COUNT = 5

# The paper of both exams: 10 single × 4 + 5 multiple × 6 + 10 judge × 3 = 100 points.
PAPER_PLAN = (
    (QuestionKind.SINGLE, 10, Decimal(4)),
    (QuestionKind.MULTIPLE, 5, Decimal(6)),
    (QuestionKind.JUDGE, 10, Decimal(3)),
)


def seed_banks(summary: DemoSummary, root: Unit) -> tuple[QuestionBank, QuestionBank | None]:
    """The shipped banks in ``root``, loaded by the shipped-bank service (which adds only what is missing).

    Without the Civil Code bank there is no demo (``DemoSeedError``); without the cadre-law bank the roster
    exam is drawn from the Civil Code bank, with a warning.
    """
    existing = Question.objects.filter(bank__unit=root, bank__name__in=[CIVIL_CODE_BANK, CADRE_BANK]).count()
    summary.warnings += [
        _("缺少题库文件 %(path)s：%(bank)s 未导入。") % {"path": shipped.display_path, "bank": shipped.name}
        for shipped in missing_shipped_files()
    ]
    try:
        laws_load_shipped()  # the texts the banks cite: the reviews show them (法条原文)
        added = banks_load_shipped(unit=root, skip_missing=True)
    except QuizError as exc:
        added = {}
        summary.warnings.append(exc.message)
    civil = QuestionBank.objects.filter(unit=root, name=CIVIL_CODE_BANK).first()
    cadre = QuestionBank.objects.filter(unit=root, name=CADRE_BANK).first()
    if civil is None:
        raise DemoSeedError(f"{CIVIL_CODE_BANK} could not be loaded into {root.name}. {join_clauses(summary.warnings)}")
    if cadre is None:
        summary.warnings.append(f"{CADRE_BANK} is missing: the roster exam uses {CIVIL_CODE_BANK}.")
    summary.add(
        "questions", created=sum(added.get(name, 0) for name in (CIVIL_CODE_BANK, CADRE_BANK)), existing=existing
    )
    return civil, cadre


def _existing_exam(summary: DemoSummary, root: Unit, title: str, step: str) -> Exam | None:
    exam = Exam.objects.filter(unit=root, title=title).order_by("pk").first()
    if exam is not None:
        if exam.status == Exam.Status.DRAFT:
            exam = exam_publish(exam=exam)
        summary.add(step, created=0, existing=1)
    return exam


def seed_open_quiz(summary: DemoSummary, root: Unit, organizer: User, bank: QuestionBank, now: datetime) -> Exam:
    """民法典宣传月知识竞赛: open to everyone, a random paper per sitting, three sittings, best counts."""
    step = "open quiz"
    exam = _existing_exam(summary, root, OPEN_QUIZ_TITLE, step)
    if exam is not None:
        return exam
    exam = exam_create(
        unit=root,
        created_by=organizer,
        title=OPEN_QUIZ_TITLE,
        description=OPEN_QUIZ_DESCRIPTION,
        is_public=True,
        composition=Exam.Composition.RANDOM,
        rules=[RuleSpec(kind=kind, bank_id=bank.pk, count=count, points=points) for kind, count, points in PAPER_PLAN],
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        time_limit_seconds=20 * 60,
        max_attempts=OPEN_QUIZ_ATTEMPTS,
        counting_policy=Exam.CountingPolicy.HIGHEST,
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
        shuffle_questions=True,
        shuffle_options=True,
        multiple_scoring=Exam.MultipleScoring.HALF,
    )
    summary.add(step, created=1, existing=0)
    return exam_publish(exam=exam)


def seed_roster_exam(
    summary: DemoSummary,
    root: Unit,
    organizer: User,
    bank: QuestionBank,
    fallback: QuestionBank,
    now: datetime,
    rng: random.Random,
) -> Exam:
    """学纪学法网上考试: the whole city's roster, one fixed paper, one sitting, answers after it closes."""
    step = "roster exam"
    exam = _existing_exam(summary, root, ROSTER_EXAM_TITLE, step)
    if exam is not None:
        return exam
    exam = exam_create(
        unit=root,
        created_by=organizer,
        title=ROSTER_EXAM_TITLE,
        description=ROSTER_EXAM_DESCRIPTION,
        audience_units=[root],
        composition=Exam.Composition.FIXED,
        fixed=fixed_paper(bank, fallback, rng),
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=10),
        time_limit_seconds=30 * 60,
        max_attempts=1,
        review_policy=Exam.ReviewPolicy.AFTER_CLOSE,
        shuffle_options=True,
    )
    summary.add(step, created=1, existing=0)
    return exam_publish(exam=exam)


def fixed_paper(bank: QuestionBank, fallback: QuestionBank, rng: random.Random) -> list[PaperItem]:
    """PAPER_PLAN drawn from ``bank``, topped up from ``fallback`` where a kind runs short.

    At most one question of each exclusion group (a fixed paper with two is refused by ``exam_create``).
    """
    items: list[PaperItem] = []
    groups: set[tuple[int, str]] = set()  # (bank, group) already on the paper
    for kind, count, points in PAPER_PLAN:
        chosen: list[Question] = []
        for source in dict.fromkeys([bank, fallback]):
            pool = list(Question.objects.filter(bank=source, kind=kind, is_active=True).order_by("pk"))
            for question in rng.sample(pool, len(pool)):
                if len(chosen) == count:
                    break
                if question.exclusion_group:
                    group = (source.pk, question.exclusion_group)
                    if group in groups:
                        continue
                    groups.add(group)
                chosen.append(question)
        if len(chosen) < count:
            raise DemoSeedError(
                _("%(bank)s 中%(kind)s不足 %(count)d 道。")
                % {"bank": bank.name, "kind": QuestionKind(kind).label, "count": count}
            )
        items += [PaperItem(question, points) for question in chosen]
    return items


def seed_practice_set(summary: DemoSummary, root: Unit, organizer: User, bank: QuestionBank) -> PracticeSet:
    """学纪学法日常练习: the cadre-law bank open for practice to the whole city, by chapter (its tags: 宪法,
    政务处分法 …), at random, and five daily questions a day.

    The open quiz draws its random papers from the whole Civil Code bank, so while it is open every Civil Code
    question is hidden from practice for everyone (docs/adr/0015); the roster exam's fixed paper hides only
    its 25 questions of the cadre-law bank, and the rest of that bank is there to practise.
    """
    step = "practice set"
    existing = PracticeSet.objects.filter(unit=root, title=PRACTICE_SET_TITLE).order_by("pk").first()
    if existing is not None:
        summary.add(step, created=0, existing=1)
        return existing
    practice_set = practice_set_create(
        user=organizer,
        title=PRACTICE_SET_TITLE,
        bank_id=bank.pk,
        audience_unit_ids=[root.pk],
        daily_count=PRACTICE_DAILY_COUNT,
        unit_id=root.pk,
    )
    summary.add(step, created=1, existing=0)
    return practice_set
