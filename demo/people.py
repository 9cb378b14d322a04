"""The demo city's unit tree and its people: who they are, where they work, how they sit each exam.

Everything is planned from a ``random.Random`` before anything is written, so the same seed gives the
same people and sittings.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.contrib.auth.hashers import make_password

from accounts.models import Unit, User
from accounts.services import unit_get_or_create

from .summary import DemoSummary

DEMO_PASSWORD = "Xuefa@2026"
ROOT_NAME = "清河市"
PARTICIPANT_COUNT = 300
PHONE_PREFIX = "1380000"  # + 4 digits = an 11-digit mobile number
# The participants the README names (13800000001 … 13800000005): a newcomer signs in as one of them and
# can start both demo exams: they have not sat the roster exam and have at most one open-quiz sitting
# of three behind them.
README_PARTICIPANTS = 5

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
    """Who the participants are, where they work, and how (and whether) they sit each exam.

    The first ``README_PARTICIPANTS`` keep both exams open to them: no roster sitting and at most one
    open-quiz sitting (drawn like everyone's, so the others are the same with or without this rule).
    """
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
    return [
        replace(plan, roster=None, open_quiz=plan.open_quiz[:1]) if index < README_PARTICIPANTS else plan
        for index, plan in enumerate(plans)
    ]


def _plan_attempt(rng: random.Random, skill: float, *, position: float) -> AttemptPlan:
    return AttemptPlan(
        position=position,
        time_share=rng.uniform(0.25, 0.85),
        times_out=rng.random() < 0.02,
        skill=skill,
        seed=rng.getrandbits(32),
    )


# --- Writing ------------------------------------------------------------------------------------


def seed_units(summary: DemoSummary) -> tuple[Unit, dict[str, Unit]]:
    """The city, its departments, towns and streets, and their departments and villages."""
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
    summary.add("units", created=created, existing=len(units) - created)
    return root, units


def seed_users(summary: DemoSummary, plans: Sequence[ParticipantPlan], units: dict[str, Unit]) -> dict[str, User]:
    """The staff accounts and the participants; existing accounts (and their passwords) are left alone."""
    wanted = [s.username for s in STAFF] + [p.username for p in plans]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    # Hashed once for all accounts: hashing 300 times would take minutes.
    password = make_password(DEMO_PASSWORD) if len(existing) < len(wanted) else ""
    staff = [
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
    ]
    participants = [
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
    User.objects.bulk_create(staff + participants, batch_size=500)
    summary.add("staff accounts", created=len(staff), existing=len(STAFF) - len(staff))
    summary.add("participant accounts", created=len(participants), existing=len(plans) - len(participants))
    return {u.username: u for u in User.objects.filter(username__in=wanted).select_related("unit")}
