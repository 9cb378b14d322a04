"""Demo data for a fresh installation (``manage.py seed_demo``): a county-level city's unit tree, about
300 participants, the shipped question banks, an open quiz and a roster exam, and a few hundred
finished attempts made through the real services, so that every page has something to show.

Everything is drawn from ``random.Random(rng_seed)`` and planned before anything is written, so the
same seed gives the same people, papers and answers. Each part first looks for what already exists
and only adds what is missing: a second run writes no rows.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from accounts import scopes
from accounts.models import Unit, User
from accounts.services import unit_get_or_create

from .models import Attempt, Exam, Question, QuestionBank, QuestionKind
from .services.attempts import answer_save, attempt_start, attempt_submit
from .services.exams import PaperItem, RuleSpec, exam_create, exam_publish

DEMO_PASSWORD = "Xuefa@2026"
ROOT_NAME = "清河市"
CIVIL_CODE_BANK = "《中华人民共和国民法典》题库"
CADRE_BANK = "学纪学法（宪法与公职人员法律）题库"
OPEN_QUIZ_TITLE = "2026年民法典宣传月知识竞赛"
ROSTER_EXAM_TITLE = "2026年度全市党员干部学纪学法网上考试"
PARTICIPANT_COUNT = 300
PHONE_PREFIX = "1380000"  # + 4 digits = an 11-digit mobile number

K = Unit.Kind
# (name, roster participation, open-quiz participation, mean skill): uneven on purpose, so that the
# unit leaderboard has a spread to show.
CITY_DEPARTMENTS: tuple[tuple[str, float, float, float], ...] = (
    ("市司法局", 1.00, 0.50, 0.90),
    ("市委组织部", 0.95, 0.30, 0.86),
    ("市人力资源和社会保障局", 0.85, 0.25, 0.80),
    ("市教育局", 0.75, 0.30, 0.80),
)


@dataclass(frozen=True)
class TownSpec:
    name: str
    kind: str
    children: str  # space-separated; 村 and 社区 are villages, the rest departments
    roster_rate: float
    open_rate: float
    skill: float

    def child_units(self) -> list[tuple[str, str]]:
        return [(n, K.VILLAGE if n.endswith(("村", "社区")) else K.DEPARTMENT) for n in self.children.split()]


TOWNS: tuple[TownSpec, ...] = (
    TownSpec("城关街道", K.STREET, "城关街道党政办 文化路社区 新华社区 府前社区", 0.92, 0.35, 0.80),
    TownSpec("东城街道", K.STREET, "东城街道综治办 东关社区 朝阳社区", 0.85, 0.30, 0.76),
    TownSpec("西城街道", K.STREET, "西城街道党政办 西苑社区 建设路社区", 0.70, 0.25, 0.74),
    TownSpec("南关镇", K.TOWN, "南关镇司法所 南关村 李家庄村 杨树湾村", 0.90, 0.35, 0.78),
    TownSpec("北岭镇", K.TOWN, "北岭镇司法所 北岭村 后岭村", 0.55, 0.20, 0.70),
    TownSpec("河口镇", K.TOWN, "河口镇司法所 河口村", 0.45, 0.15, 0.68),
    TownSpec("石桥镇", K.TOWN, "石桥镇司法所 石桥村 王庄村", 0.62, 0.20, 0.72),
    TownSpec("青山镇", K.TOWN, "青山镇司法所 青山村", 0.40, 0.12, 0.66),
)

# Common surnames, most frequent first (weights fall off with the position), and given-name characters
# as they are commonly used for men and for women.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
GIVEN_CHARS = (
    "伟强磊军勇杰涛明超刚建国志文海波斌辉鹏宇浩凯晨阳俊峰博东立新振兴德成永庆福荣卫华平林毅飞",
    "芳娜秀英敏静丽艳娟霞兰桂红玉燕雪梅琳婷丹欣怡佳颖思雨涵晓春芝淑珍凤萍慧倩莉洁月",
)


@dataclass(frozen=True)
class AttemptPlan:
    position: float  # where in the exam's window (0 = opening, 1 = an hour before now) the attempt starts
    time_share: float  # share of the time limit used before handing in
    times_out: bool  # left open and handed in after the deadline (finalised as timed out)
    skill: float
    seed: int


@dataclass(frozen=True)
class ParticipantPlan:
    username: str
    real_name: str
    unit_name: str
    roster: AttemptPlan | None
    open_quiz: tuple[AttemptPlan, ...]


@dataclass(frozen=True)
class StaffPlan:
    username: str
    real_name: str
    role: str
    unit_name: str
    is_superuser: bool = False


STAFF = (
    StaffPlan("organizer", "普法办管理员", User.Role.ORGANIZER, ROOT_NAME),
    StaffPlan("hr", "组织人事科管理员", User.Role.HR, ROOT_NAME),
    StaffPlan("organizer_nanguan", "南关镇司法所管理员", User.Role.ORGANIZER, "南关镇"),
    StaffPlan("admin", "系统管理员", User.Role.ORGANIZER, ROOT_NAME, is_superuser=True),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    unit: str


@dataclass(frozen=True)
class SeedStep:
    name: str
    created: int
    existing: int

    @property
    def already_seeded(self) -> bool:
        return self.created == 0


@dataclass
class DemoSummary:
    steps: list[SeedStep] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    units: int = 0
    users: int = 0
    participants: int = 0
    questions: int = 0
    exams: int = 0
    attempts: int = 0
    counted_attempts: int = 0

    @property
    def created_anything(self) -> bool:
        return any(not step.already_seeded for step in self.steps)


class DemoSeedError(Exception):
    pass


def chinese_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct, realistic full names: a common surname and one or two given-name characters."""
    weights = [1 / (i + 4) for i in range(len(SURNAMES))]
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        surname = rng.choices(SURNAMES, weights)[0]
        chars = rng.choice(GIVEN_CHARS)
        given = "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.25 else 2))
        if surname not in given and len(set(given)) == len(given) and surname + given not in seen:
            seen.add(surname + given)
            names.append(surname + given)
    return names


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def plan_participants(rng: random.Random, count: int = PARTICIPANT_COUNT) -> list[ParticipantPlan]:
    """Who the participants are, where they work, and how (and whether) they sit each exam."""
    # (leaf unit name, roster rate, open-quiz rate, mean skill)
    leaves = [(name, roster, open_, skill) for name, roster, open_, skill in CITY_DEPARTMENTS]
    leaves += [
        (child, town.roster_rate, town.open_rate, town.skill) for town in TOWNS for child, _kind in town.child_units()
    ]
    per_leaf = [4] * len(leaves)
    for index in rng.choices(range(len(leaves)), k=count - sum(per_leaf)):
        per_leaf[index] += 1
    names = chinese_names(rng, count)
    plans: list[ParticipantPlan] = []
    for (unit_name, roster_rate, open_rate, mean_skill), size in zip(leaves, per_leaf, strict=True):
        for _ in range(size):
            number = len(plans) + 1
            skill = _clamp(rng.gauss(mean_skill, 0.09), 0.35, 0.98)
            roster = _plan_attempt(rng, skill, position=rng.random()) if rng.random() < roster_rate else None
            sittings = rng.choices((1, 2, 3), (0.60, 0.25, 0.15))[0] if rng.random() < open_rate else 0
            # Each later sitting starts in a later slice of the window, with a little learning in between.
            open_quiz = tuple(
                _plan_attempt(rng, min(0.98, skill + 0.04 * i), position=(i + 0.1 + 0.8 * rng.random()) / sittings)
                for i in range(sittings)
            )
            plans.append(
                ParticipantPlan(f"{PHONE_PREFIX}{number:04d}", names[number - 1], unit_name, roster, open_quiz)
            )
    return plans


def _plan_attempt(rng: random.Random, skill: float, *, position: float) -> AttemptPlan:
    return AttemptPlan(
        position=position,
        time_share=rng.uniform(0.25, 0.85),
        times_out=rng.random() < 0.02,
        skill=skill,
        seed=rng.getrandbits(32),
    )


# --- Writing ------------------------------------------------------------------------------------


def seed_demo(*, now: datetime | None = None, rng_seed: int = 2026) -> DemoSummary:
    """Create (or complete) the demo data set; returns what was created and what already existed."""
    now = now or timezone.now()
    rng = random.Random(rng_seed)
    participants_rng = random.Random(rng.getrandbits(64))
    paper_rng = random.Random(rng.getrandbits(64))
    summary = DemoSummary()
    with transaction.atomic():
        root, units = _seed_units(summary)
        plans = plan_participants(participants_rng)
        users = _seed_users(summary, plans, units)
        civil, cadre = _seed_banks(summary, root)
        organizer = users["organizer"]
        open_quiz = _seed_open_quiz(summary, root, organizer, civil, now)
        roster_exam = _seed_roster_exam(summary, root, organizer, cadre or civil, civil, now, paper_rng)
        _seed_attempts(summary, "open quiz attempts", open_quiz, plans, users, now, lambda p: p.open_quiz)
        _seed_attempts(
            summary, "roster exam attempts", roster_exam, plans, users, now, lambda p: (p.roster,) if p.roster else ()
        )
        _count(summary, root, [civil, cadre], [open_quiz, roster_exam])
    summary.accounts = [
        DemoAccount(s.username, DEMO_PASSWORD, "superuser" if s.is_superuser else s.role, s.unit_name) for s in STAFF
    ]
    first = plans[0]
    summary.accounts.append(
        DemoAccount(f"{first.username} … {plans[-1].username}", DEMO_PASSWORD, User.Role.PARTICIPANT, "各单位")
    )
    return summary


def _seed_units(summary: DemoSummary) -> tuple[Unit, dict[str, Unit]]:
    before = Unit.objects.count()
    root = unit_get_or_create(name=ROOT_NAME, kind=K.CITY)
    units = {ROOT_NAME: root}
    for name, *_rates in CITY_DEPARTMENTS:
        units[name] = unit_get_or_create(name=name, parent=root, kind=K.DEPARTMENT)
    for town in TOWNS:
        town_unit = units[town.name] = unit_get_or_create(name=town.name, parent=root, kind=town.kind)
        for child, kind in town.child_units():
            units[child] = unit_get_or_create(name=child, parent=town_unit, kind=kind)
    created = Unit.objects.count() - before
    summary.steps.append(SeedStep("units", created, len(units) - created))
    return root, units


def _seed_users(summary: DemoSummary, plans: Sequence[ParticipantPlan], units: dict[str, Unit]) -> dict[str, User]:
    wanted = [s.username for s in STAFF] + [p.username for p in plans]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    # Hashed once for all accounts: hashing 300 times would take minutes. Existing accounts are left alone.
    password = make_password(DEMO_PASSWORD) if len(existing) < len(wanted) else ""
    new = [
        User(
            username=s.username,
            real_name=s.real_name,
            unit=units[s.unit_name],
            role=s.role,
            is_superuser=s.is_superuser,
            is_staff=s.is_superuser,
            password=password,
        )
        for s in STAFF
        if s.username not in existing
    ] + [
        User(
            username=p.username,
            real_name=p.real_name,
            phone=p.username,
            unit=units[p.unit_name],
            role=User.Role.PARTICIPANT,
            password=password,
        )
        for p in plans
        if p.username not in existing
    ]
    User.objects.bulk_create(new, batch_size=500)
    summary.steps.append(SeedStep("accounts", len(new), len(existing)))
    return {u.username: u for u in User.objects.filter(username__in=wanted).select_related("unit")}


def load_shipped_banks(*, root: Unit) -> list[str]:
    """Load the banks shipped in quizzes/data/banks into ``root``; returns the problems load_banks reported.

    load_banks adds only questions a bank does not hold yet, and fails when any shipped file is missing or
    broken, after loading the others: the caller decides whether what was loaded is enough.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_banks", unit=root.pk, stdout=out, stderr=err)
    except CommandError as exc:
        return [line for line in err.getvalue().splitlines() if line.strip()] + [str(exc)]
    return [line for line in err.getvalue().splitlines() if line.strip()]


def _seed_banks(summary: DemoSummary, root: Unit) -> tuple[QuestionBank, QuestionBank | None]:
    def lookup(name: str) -> QuestionBank | None:
        return QuestionBank.objects.filter(unit=root, name=name).first()

    in_root = Question.objects.filter(bank__unit=root)
    before = in_root.count()
    if lookup(CIVIL_CODE_BANK) is None or lookup(CADRE_BANK) is None:
        summary.warnings += load_shipped_banks(root=root)
    civil, cadre = lookup(CIVIL_CODE_BANK), lookup(CADRE_BANK)
    if civil is None:
        problems = "；".join(summary.warnings)
        raise DemoSeedError(f"load_banks did not create {CIVIL_CODE_BANK} in {root.name}. {problems}")
    if cadre is None:
        summary.warnings.append(f"{CADRE_BANK} is missing: the roster exam uses {CIVIL_CODE_BANK}.")
    created = in_root.count() - before
    summary.steps.append(SeedStep("questions", created, before))
    return civil, cadre


# The paper of both exams: 10 single × 4 + 5 multiple × 6 + 10 judge × 3 = 100 points.
PAPER_PLAN = (
    (QuestionKind.SINGLE, 10, Decimal(4)),
    (QuestionKind.MULTIPLE, 5, Decimal(6)),
    (QuestionKind.JUDGE, 10, Decimal(3)),
)


def _existing_exam(summary: DemoSummary, root: Unit, title: str, step: str) -> Exam | None:
    exam = Exam.objects.filter(unit=root, title=title).order_by("pk").first()
    if exam is not None:
        if exam.status == Exam.Status.DRAFT:
            exam = exam_publish(exam=exam)
        summary.steps.append(SeedStep(step, 0, 1))
    return exam


def _seed_open_quiz(summary: DemoSummary, root: Unit, organizer: User, bank: QuestionBank, now: datetime) -> Exam:
    step = "open quiz"
    exam = _existing_exam(summary, root, OPEN_QUIZ_TITLE, step)
    if exam is not None:
        return exam
    exam = exam_create(
        unit=root,
        created_by=organizer,
        title=OPEN_QUIZ_TITLE,
        description="民法典宣传月线上知识竞赛，欢迎全市干部群众参加。每人可答 3 次，取最高分。",
        is_public=True,
        composition=Exam.Composition.RANDOM,
        rules=[RuleSpec(kind=kind, bank_id=bank.pk, count=count, points=points) for kind, count, points in PAPER_PLAN],
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        time_limit_seconds=20 * 60,
        max_attempts=3,
        counting_policy=Exam.CountingPolicy.HIGHEST,
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
        shuffle_questions=True,
        shuffle_options=True,
        multiple_scoring=Exam.MultipleScoring.HALF,
    )
    summary.steps.append(SeedStep(step, 1, 0))
    return exam_publish(exam=exam)


def _seed_roster_exam(
    summary: DemoSummary,
    root: Unit,
    organizer: User,
    bank: QuestionBank,
    fallback: QuestionBank,
    now: datetime,
    rng: random.Random,
) -> Exam:
    step = "roster exam"
    exam = _existing_exam(summary, root, ROSTER_EXAM_TITLE, step)
    if exam is not None:
        return exam
    exam = exam_create(
        unit=root,
        created_by=organizer,
        title=ROSTER_EXAM_TITLE,
        description="全市党员干部年度学纪学法考试，限名册内人员参加，只有一次机会，考试结束后公布答案。",
        audience_units=[root],
        composition=Exam.Composition.FIXED,
        fixed=_fixed_paper(bank, fallback, rng),
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=10),
        time_limit_seconds=30 * 60,
        max_attempts=1,
        review_policy=Exam.ReviewPolicy.AFTER_CLOSE,
        shuffle_options=True,
    )
    summary.steps.append(SeedStep(step, 1, 0))
    return exam_publish(exam=exam)


def _fixed_paper(bank: QuestionBank, fallback: QuestionBank, rng: random.Random) -> list[PaperItem]:
    """PAPER_PLAN drawn from ``bank``, topped up from ``fallback`` where a kind runs short."""
    items: list[PaperItem] = []
    for kind, count, points in PAPER_PLAN:
        chosen: list[Question] = []
        for source in dict.fromkeys([bank, fallback]):
            pool = list(Question.objects.filter(bank=source, kind=kind, is_active=True).order_by("pk"))
            chosen += rng.sample(pool, min(len(pool), count - len(chosen)))
        if len(chosen) < count:
            raise DemoSeedError(f"{bank.name} 中{QuestionKind(kind).label}不足 {count} 道。")
        items += [PaperItem(question, points) for question in chosen]
    return items


def _seed_attempts(
    summary: DemoSummary,
    step: str,
    exam: Exam,
    plans: Sequence[ParticipantPlan],
    users: dict[str, User],
    now: datetime,
    sittings_of: Callable[[ParticipantPlan], Sequence[AttemptPlan]],
) -> None:
    sat = set(Attempt.objects.filter(exam=exam).values_list("user_id", flat=True))
    window_start = exam.opens_at
    window_end = min(now, exam.closes_at) - timedelta(hours=1)
    created = existing = 0
    for plan in plans:
        sittings: Sequence[AttemptPlan] = sittings_of(plan)
        user = users[plan.username]
        if user.pk in sat:
            existing += len(sittings)
            continue
        if window_end <= window_start:
            continue
        for sitting in sittings:
            _sit(exam, user, sitting, window_start + (window_end - window_start) * sitting.position)
            created += 1
    summary.steps.append(SeedStep(step, created, existing))


def _sit(exam: Exam, user: User, plan: AttemptPlan, started: datetime) -> None:
    """One sitting through the real services: start, autosave every answer, hand in."""
    rng = random.Random(plan.seed)
    attempt, _created = attempt_start(exam=exam, user=user, now=started, rng=rng)
    paper = list(attempt.paper.order_by("position").values("question_id", "kind", "options", "answer"))
    used = timedelta(seconds=int(plan.time_share * exam.time_limit_seconds))
    answering = min(used, attempt.deadline - started - timedelta(seconds=5))
    for position, question in enumerate(paper, start=1):
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            question_id=question["question_id"],
            choices=_choose(
                rng, question["kind"], [o["letter"] for o in question["options"]], question["answer"], plan.skill
            ),
            seq=1,
            now=started + answering * position / (len(paper) + 1),
        )
    handed_in = attempt.deadline + timedelta(minutes=5) if plan.times_out else started + answering
    attempt_submit(attempt_id=attempt.pk, user=user, now=handed_in)


def _choose(rng: random.Random, kind: str, keys: Sequence[str], answer: Sequence[str], skill: float) -> list[str]:
    """The key with probability ``skill`` (lower for multiple choice), else a plausible mistake."""
    if rng.random() < (skill**1.5 if kind == QuestionKind.MULTIPLE else skill):
        return list(answer)
    wrong = [k for k in keys if k not in answer]
    if kind == QuestionKind.MULTIPLE:
        if len(answer) > 1 and (not wrong or rng.random() < 0.5):
            return sorted(rng.sample(list(answer), rng.randint(1, len(answer) - 1)))  # missed an option
        if wrong:
            return sorted({*rng.sample(list(answer), max(1, len(answer) - 1)), rng.choice(wrong)})
    return [rng.choice(wrong)] if wrong else list(answer)


def _count(summary: DemoSummary, root: Unit, banks: Sequence[QuestionBank | None], exams: Sequence[Exam]) -> None:
    summary.units = Unit.objects.filter(scopes.subtree_q(root)).count()
    demo_users = User.objects.filter(scopes.subtree_q(root, "unit"))
    summary.users = demo_users.count()
    summary.participants = demo_users.filter(role=User.Role.PARTICIPANT).count()
    summary.questions = Question.objects.filter(bank__in=[b for b in banks if b is not None]).count()
    summary.exams = len(exams)
    attempts = Attempt.objects.filter(exam__in=exams)
    summary.attempts = attempts.exclude(status=Attempt.Status.IN_PROGRESS).count()
    summary.counted_attempts = attempts.filter(is_counted=True).count()
