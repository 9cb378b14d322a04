from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditContext, audit_record, changed, snapshot
from accounts.models import AuditEvent, Unit, User

from .. import caching, rawsql
from ..access import (
    access_audience_units,
    access_banks_for_composition,
    access_questions_for_composition,
    access_unit_for_new_content,
)
from ..errors import ExamNotEditable, InsufficientQuestions, InvalidComposition, InvalidStatusChange
from ..i18n import join_list
from ..learning import Slot, pick_slots, slot_of
from ..models import DrawRule, Exam, ExamQuestion, Question, QuestionKind, Tag

KIND_ORDER = {QuestionKind.SINGLE: 0, QuestionKind.MULTIPLE: 1, QuestionKind.JUDGE: 2}
# Bounds of one exam's paper, so that a draft cannot ask for a paper nobody can sit or the server draw.
MAX_DRAW_RULES = 50
MAX_FIXED_QUESTIONS = 200
MAX_PAPER_QUESTIONS = 200


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    bank_id: int
    count: int
    points: Decimal
    tag: str | None = None
    difficulty: int | None = None


@dataclass(frozen=True)
class PaperItem:
    """A question with its points: an entry of a fixed paper, or of one drawn paper."""

    question: Question
    points: Decimal


def _check_paper_size(fixed: Sequence[PaperItem] | None, rules: Sequence[RuleSpec] | None) -> None:
    limit = {"limit": MAX_PAPER_QUESTIONS}
    if fixed is not None and len(fixed) > MAX_FIXED_QUESTIONS:
        message = _("固定试卷最多 %(limit)d 道题。") % {"limit": MAX_FIXED_QUESTIONS}
        raise InvalidComposition(fields={"fixed_questions": [message]})
    if fixed is not None and len({item.question.pk for item in fixed}) < len(fixed):
        raise InvalidComposition(fields={"fixed_questions": [_("同一道题不能在试卷中出现两次。")]})
    if rules is not None and len(rules) > MAX_DRAW_RULES:
        message = _("最多 %(limit)d 条抽题规则。") % {"limit": MAX_DRAW_RULES}
        raise InvalidComposition(fields={"draw_rules": [message]})
    if rules is not None and sum(rule.count for rule in rules) > MAX_PAPER_QUESTIONS:
        raise InvalidComposition(fields={"draw_rules": [_("一份试卷最多 %(limit)d 道题（各规则题数之和）。") % limit]})


def _group_conflicts(questions: Iterable[Question]) -> list[str]:
    """One message per question that shares an exclusion group (within its bank) with an earlier one."""
    first: dict[tuple[int, str], Question] = {}
    messages = []
    for question in questions:
        if not question.exclusion_group:
            continue
        key = (question.bank_id, question.exclusion_group)
        other = first.setdefault(key, question)
        if other is not question and other.pk != question.pk:
            messages.append(
                _("试题 %(a)s 与试题 %(b)s 属于同一互斥组“%(group)s”，不能出现在同一份试卷中。")
                % {"a": other.pk, "b": question.pk, "group": question.exclusion_group}
            )
    return messages


def _check_fixed_groups(questions: Iterable[Question]) -> None:
    conflicts = _group_conflicts(questions)
    if conflicts:
        raise InvalidComposition(fields={"fixed_questions": conflicts})


def _set_composition(exam: Exam, fixed: Sequence[PaperItem] | None, rules: Sequence[RuleSpec] | None) -> None:
    _check_paper_size(fixed, rules)
    if fixed is not None:
        _check_fixed_groups(item.question for item in fixed)
        exam.fixed_questions.all().delete()
        ExamQuestion.objects.bulk_create(
            ExamQuestion(exam=exam, question=item.question, position=i, points=item.points)
            for i, item in enumerate(fixed, start=1)
        )
    if rules is not None:
        exam.draw_rules.all().delete()
        tag_ids = {t.name: t.pk for t in Tag.objects.filter(name__in={r.tag for r in rules if r.tag})}
        missing = {r.tag for r in rules if r.tag and r.tag not in tag_ids}
        if missing:
            raise InvalidComposition(
                fields={"draw_rules": [_("标签不存在：%(tags)s") % {"tags": join_list(sorted(missing))}]}
            )
        DrawRule.objects.bulk_create(
            DrawRule(
                exam=exam,
                position=i,
                kind=r.kind,
                bank_id=r.bank_id,
                tag_id=tag_ids.get(r.tag) if r.tag else None,
                difficulty=r.difficulty,
                count=r.count,
                points=r.points,
            )
            for i, r in enumerate(rules, start=1)
        )


def _check_window(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise InvalidComposition(fields={"closes_at": [_("结束时间必须晚于开始时间。")]})


EXAM_AUDITED = (
    "title",
    "description",
    "is_public",
    "opens_at",
    "closes_at",
    "time_limit_seconds",
    "grace_seconds",
    "max_attempts",
    "counting_policy",
    "pass_percent",
    "grade_bands",
    "multiple_scoring",
    "score_step",
    "shuffle_questions",
    "shuffle_options",
    "review_policy",
    "composition",
    "leaderboard_names",
    "leave_limit",
    "status",
)


def _exam_snapshot(exam: Exam) -> dict[str, Any]:
    values = snapshot(exam, EXAM_AUDITED)
    values["audience_unit_ids"] = sorted(exam.audience_units.values_list("pk", flat=True))
    values["paper"] = [[item.question_id, str(item.points)] for item in exam.fixed_questions.all()] + [
        [rule.bank_id, rule.kind, rule.count, str(rule.points)] for rule in exam.draw_rules.all()
    ]
    return values


@transaction.atomic
def exam_create(
    *,
    unit: Unit,
    created_by: User | None,
    audit: AuditContext | None = None,
    audience_units: Iterable[Unit] = (),
    fixed: Sequence[PaperItem] | None = None,
    rules: Sequence[RuleSpec] | None = None,
    **fields: Any,
) -> Exam:
    _check_window(fields["opens_at"], fields["closes_at"])
    if not fields.get("leaderboard_names"):  # open quizzes show names in full, roster exams masked
        public = fields.get("is_public", False)
        fields["leaderboard_names"] = Exam.LeaderboardNames.FULL if public else Exam.LeaderboardNames.MASKED
    exam = Exam.objects.create(unit=unit, created_by=created_by, **fields)
    caching.exam_changed(exam.pk)  # a recreated database reuses ids: never read a value cached for another
    exam.audience_units.set(list(audience_units))
    _set_composition(exam, fixed, rules)
    after = _exam_snapshot(exam)
    audit_record(context=audit, action=AuditEvent.Action.EXAM_CREATE, unit=unit, target=exam, after=after)
    return exam


@transaction.atomic
def exam_update(
    *,
    exam: Exam,
    audit: AuditContext | None = None,
    audience_units: Iterable[Unit] | None = None,
    fixed: Sequence[PaperItem] | None = None,
    rules: Sequence[RuleSpec] | None = None,
    **fields: Any,
) -> Exam:
    """Edit an exam. Once published, the paper, timing and scoring rules are frozen; the window, audience,
    texts, attempt limit and review policy may still change."""
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    # what scored, timed or counted attempts already finished: changing it would make them disagree
    frozen = {"composition", "multiple_scoring", "score_step", "time_limit_seconds", "pass_percent", "counting_policy"}
    if exam.status != Exam.Status.DRAFT and (fixed is not None or rules is not None or frozen & fields.keys()):
        raise ExamNotEditable()
    old = _exam_snapshot(exam)
    for name, value in fields.items():
        setattr(exam, name, value)
    _check_window(exam.opens_at, exam.closes_at)
    exam.save()
    caching.exam_changed(exam.pk)  # audience, grade bands, open or roster: what the rankings count
    if audience_units is not None:
        exam.audience_units.set(list(audience_units))
    _set_composition(exam, fixed, rules)
    before, after = changed(old, _exam_snapshot(exam))
    audit_record(
        context=audit, action=AuditEvent.Action.EXAM_UPDATE, unit=exam.unit, target=exam, before=before, after=after
    )
    return exam


def _composition_for(
    user: User, fixed_questions: Sequence[Mapping[str, Any]] | None, draw_rules: Sequence[Mapping[str, Any]] | None
) -> tuple[list[PaperItem] | None, list[RuleSpec] | None]:
    fixed = None
    if fixed_questions is not None:
        questions = access_questions_for_composition(user, [item["question_id"] for item in fixed_questions])
        fixed = [PaperItem(questions[item["question_id"]], item["points"]) for item in fixed_questions]
    rules = None
    if draw_rules is not None:
        access_banks_for_composition(user, [rule["bank_id"] for rule in draw_rules])
        rules = [RuleSpec(**rule) for rule in draw_rules]
    return fixed, rules


def exam_create_by(
    *,
    user: User,
    unit_id: int | None = None,
    audience_unit_ids: Sequence[int] = (),
    fixed_questions: Sequence[Mapping[str, Any]] | None = None,
    draw_rules: Sequence[Mapping[str, Any]] | None = None,
    audit: AuditContext | None = None,
    **fields: Any,
) -> Exam:
    """``exam_create`` from ids, as an organizer submits them: the owning unit, audience units, banks and
    questions are each resolved within ``user``'s scope, or ``UnitNotAllowed``/``InvalidComposition``
    names the field. ``fixed_questions``: ``{question_id, points}``; ``draw_rules``: ``RuleSpec`` fields."""
    unit = access_unit_for_new_content(user, unit_id)
    audience = access_audience_units(user, audience_unit_ids)
    fixed, rules = _composition_for(user, fixed_questions, draw_rules)
    return exam_create(
        unit=unit, created_by=user, audience_units=audience, fixed=fixed, rules=rules, audit=audit, **fields
    )


def exam_update_by(
    *,
    user: User,
    exam: Exam,
    audience_unit_ids: Sequence[int] | None = None,
    fixed_questions: Sequence[Mapping[str, Any]] | None = None,
    draw_rules: Sequence[Mapping[str, Any]] | None = None,
    audit: AuditContext | None = None,
    **fields: Any,
) -> Exam:
    """``exam_update`` from ids, resolved within ``user``'s scope like ``exam_create_by``; None leaves a
    part unchanged. The owning unit never changes."""
    audience = access_audience_units(user, audience_unit_ids) if audience_unit_ids is not None else None
    fixed, rules = _composition_for(user, fixed_questions, draw_rules)
    return exam_update(exam=exam, audience_units=audience, fixed=fixed, rules=rules, audit=audit, **fields)


def _rule_candidates(rule: DrawRule) -> list[tuple[int, Slot]]:
    """The rule's candidate questions (id order), each with its slot: at most one question per slot is drawn."""
    qs = Question.objects.filter(bank_id=rule.bank_id, kind=rule.kind, is_active=True)
    if rule.tag_id is not None:  # 0: a tag that does not exist (draw_rules_availability) matches nothing
        qs = qs.filter(tags__id=rule.tag_id)
    if rule.difficulty:
        qs = qs.filter(difficulty=rule.difficulty)
    rows = qs.order_by("id").values_list("id", "exclusion_group").distinct()
    return [(qid, slot_of(qid, rule.bank_id, group)) for qid, group in rows]


def _insufficient(rule: DrawRule, available: int) -> InsufficientQuestions:
    numbers = {"n": rule.position, "count": rule.count, "available": available}
    return InsufficientQuestions(
        _("第 %(n)s 条抽题规则需要 %(count)s 道题，题库中只有 %(available)s 道符合条件。") % numbers,
        fields={"draw_rules": [_("第 %(n)s 条规则：需要 %(count)s 道，只有 %(available)s 道。") % numbers]},
    )


def _too_few_slots(rule: DrawRule, available: int, slots: int) -> InsufficientQuestions:
    numbers = {"n": rule.position, "count": rule.count, "available": available, "slots": slots}
    return InsufficientQuestions(
        _(
            "第 %(n)s 条抽题规则需要 %(count)s 道题：符合条件的 %(available)s 道题中有的属于同一互斥组"
            "（同组的题一份试卷只抽一道），最多只能抽出 %(slots)s 道。"
        )
        % numbers,
        fields={
            "draw_rules": [
                _("第 %(n)s 条规则：需要 %(count)s 道，因互斥组最多只能抽出 %(slots)s 道。") % numbers,
            ]
        },
    )


def _taken_by_earlier(rule: DrawRule, drawable: int) -> InsufficientQuestions:
    numbers = {"n": rule.position, "count": rule.count, "drawable": drawable}
    return InsufficientQuestions(
        _(
            "第 %(n)s 条抽题规则需要 %(count)s 道题：前面的规则可能抽走同样的题（或同一互斥组的题），"
            "最坏情况下只剩 %(drawable)s 道可抽。"
        )
        % numbers,
        fields={
            "draw_rules": [
                _("第 %(n)s 条规则：需要 %(count)s 道，前面的规则抽走后最少只剩 %(drawable)s 道。") % numbers
            ]
        },
    )


def _draw(rules: Sequence[DrawRule], rng: random.Random) -> list[PaperItem]:
    """One random draw: each rule's count of distinct questions, none drawn twice across rules, and never
    two questions of one exclusion group (a bank's group: the key is (bank, group)) in the paper.

    Within a rule, the candidates are taken in random order (``pick_slots``), skipping any whose group is
    already in the paper: every slot (an ungrouped question, or a group) is equally likely to be drawn
    when the rule draws all of them, and a rule never fails while it has ``count`` free slots. The cost is
    the paper's size, not the bank's: the candidates come from the cache and are counted only when a rule
    comes up short, to say why; the drawn questions are this worker's copies while they are current
    (``caching.cached_questions``: shared, never to be changed)
    """
    chosen: list[tuple[int, Decimal]] = []
    used: set[Slot] = set()
    generation, by_rule = caching.cached_rule_candidates(rules, _rule_candidates)
    for rule, every in zip(rules, by_rule, strict=True):
        taken_before = set(used)
        picked = pick_slots(list(every), rule.count, rng, used)
        if len(picked) < rule.count:
            candidates = [slot for _qid, slot in every if slot not in taken_before]
            if len(candidates) < rule.count:
                raise _insufficient(rule, len(candidates))
            raise _too_few_slots(rule, len(candidates), len(set(candidates)))
        chosen += [(qid, rule.points) for qid in picked]
    questions = caching.cached_questions([qid for qid, _ in chosen], generation, _questions_of)
    return [PaperItem(questions[qid], points) for qid, points in chosen]


def _draw_rules_of(exam: Exam) -> list[DrawRule]:
    return rawsql.instances(DrawRule, exam=exam.pk, order_by=("position", "id"))


def _questions_of(ids: list[int]) -> list[Question]:
    return rawsql.instances(Question, in_ids=ids)


@dataclass(frozen=True)
class RuleAvailability:
    """What one draw rule can draw: ``matching`` questions fit it; ``drawable`` of them can be drawn in the
    worst case (one per exclusion group, less what earlier rules may take of the same questions or groups).
    ``problem`` is the refusal the publish check gives for this rule, or None when the rule is satisfiable."""

    position: int
    count: int
    matching: int
    drawable: int
    problem: InsufficientQuestions | None


def _rules_availability(rules: Sequence[DrawRule]) -> list[RuleAvailability]:
    """Each rule's availability, in order. A rule's free slots are its ungrouped questions and its groups;
    an earlier rule may take up to its count of the slots the two share, so that many are counted lost.
    The publish check refuses on the first rule with a problem; the builder shows all of them."""
    earlier: list[tuple[DrawRule, set[Slot]]] = []
    result = []
    for rule in rules:
        candidates = _rule_candidates(rule)
        slots = {slot for _qid, slot in candidates}
        groups = {slot for slot in slots if slot[0] == "g"}
        group_lost = sum(min(prior.count, len(groups & prior_slots)) for prior, prior_slots in earlier)
        lost = sum(min(prior.count, len(slots & prior_slots)) for prior, prior_slots in earlier)
        drawable = max(0, len(slots) - lost)
        problem: InsufficientQuestions | None = None
        if len(candidates) < rule.count:
            problem = _insufficient(rule, len(candidates))
        elif len(slots) - group_lost < rule.count:  # exclusion groups alone starve it
            problem = _too_few_slots(rule, len(candidates), max(0, len(slots) - group_lost))
        elif drawable < rule.count:  # earlier rules may take the same questions
            problem = _taken_by_earlier(rule, drawable)
        result.append(RuleAvailability(rule.position, rule.count, len(candidates), drawable, problem))
        earlier.append((rule, slots))
    return result


def _check_rule_groups(rules: Sequence[DrawRule]) -> None:
    """Refuse rules that cannot be drawn in the worst case (``_rules_availability``)."""
    for availability in _rules_availability(rules):
        if availability.problem is not None:
            raise availability.problem


@dataclass(frozen=True)
class DrawAvailability:
    """A random paper's rules as the builder edits them: each rule's availability, and one paper's size."""

    rules: list[RuleAvailability]
    question_count: int
    max_score: Decimal


def draw_rules_availability(*, user: User, draw_rules: Sequence[Mapping[str, Any]]) -> DrawAvailability:
    """How many questions each of ``draw_rules`` (``RuleSpec`` fields, unsaved) can draw, by the rule the
    publish check applies. Banks must be ``user``'s to use (``InvalidComposition`` otherwise); a tag that
    does not exist matches nothing. Reads only."""
    access_banks_for_composition(user, [rule["bank_id"] for rule in draw_rules])
    specs = [RuleSpec(**rule) for rule in draw_rules]
    tag_ids = {t.name: t.pk for t in Tag.objects.filter(name__in={s.tag for s in specs if s.tag})}
    rules = [
        DrawRule(
            position=i,
            kind=spec.kind,
            bank_id=spec.bank_id,
            tag_id=tag_ids.get(spec.tag, 0) if spec.tag else None,
            difficulty=spec.difficulty,
            count=spec.count,
            points=spec.points,
        )
        for i, spec in enumerate(specs, start=1)
    ]
    total = sum((spec.count * spec.points for spec in specs), Decimal(0))
    return DrawAvailability(
        _rules_availability(rules), sum(spec.count for spec in specs), total.quantize(Decimal("0.01"))
    )


def exam_check_composition(*, exam: Exam) -> None:
    """Raise unless a paper of ``exam`` can be composed (at least one question, no two of one exclusion
    group; every rule satisfiable, exclusion groups included)."""
    if exam.composition == Exam.Composition.FIXED:
        items = list(exam.fixed_questions.select_related("question").order_by("position"))
        if not items:
            raise InvalidComposition(fields={"fixed_questions": [_("固定试卷至少需要一道题。")]})
        _check_fixed_groups(item.question for item in items)
        return
    rules = list(exam.draw_rules.all())
    if not rules:
        raise InvalidComposition(fields={"draw_rules": [_("随机组卷至少需要一条抽题规则。")]})
    _check_rule_groups(rules)
    _draw(rules, random.Random(0))


@transaction.atomic
def exam_publish(*, exam: Exam, audit: AuditContext | None = None) -> Exam:
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status != Exam.Status.DRAFT:
        raise InvalidStatusChange(_("只有草稿状态的考试可以发布。"))
    exam_check_composition(exam=exam)
    exam.status = Exam.Status.PUBLISHED
    exam.published_at = timezone.now()
    exam.save(update_fields=["status", "published_at"])
    before, after = {"status": Exam.Status.DRAFT.value}, {"status": exam.status}
    audit_record(
        context=audit, action=AuditEvent.Action.EXAM_PUBLISH, unit=exam.unit, target=exam, before=before, after=after
    )
    return exam


@transaction.atomic
def exam_close(*, exam: Exam, audit: AuditContext | None = None) -> Exam:
    """Stop new attempts. Attempts already running keep their deadlines and finish normally."""
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status != Exam.Status.PUBLISHED:
        raise InvalidStatusChange(_("只有已发布的考试可以结束。"))
    exam.status = Exam.Status.CLOSED
    exam.save(update_fields=["status"])
    before, after = {"status": Exam.Status.PUBLISHED.value}, {"status": exam.status}
    audit_record(
        context=audit, action=AuditEvent.Action.EXAM_CLOSE, unit=exam.unit, target=exam, before=before, after=after
    )
    caching.exam_changed(exam.pk)
    return exam


def paper_compose(*, exam: Exam, rng: random.Random | None = None) -> list[PaperItem]:
    """Draw the questions of one new paper for ``exam``, in the order the participant will see them.

    Fixed papers keep the organizer's order; random papers follow the rules' order. With
    ``shuffle_questions`` the questions are grouped by kind (单选, 多选, 判断) and shuffled within a kind.
    """
    rng = rng or random.SystemRandom()
    items: list[PaperItem]
    if exam.composition == Exam.Composition.FIXED:
        items = [
            PaperItem(eq.question, eq.points)
            for eq in exam.fixed_questions.select_related("question").order_by("position")
        ]
        if not items:
            raise InvalidComposition(fields={"fixed_questions": [_("固定试卷至少需要一道题。")]})
    else:
        items = _draw(caching.cached_draw_rules(exam, _draw_rules_of), rng)
    if exam.shuffle_questions:
        rng.shuffle(items)
        items.sort(key=lambda item: KIND_ORDER[QuestionKind(item.question.kind)])
    return items
