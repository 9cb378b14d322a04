"""Writes of learning between exams: practice sets, practice rounds and their answers, the wrong-answer book
(错题本) and daily questions (每日一练). The rules are ``quizzes.learning``'s; the hidden questions (in an exam
open to the person now) are ``selectors_learning``'s. Nothing here touches attempts, answers or rankings
(docs/adr/0015).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditContext, audit_record, changed, snapshot
from accounts.models import AuditEvent, User

from .. import learning
from ..access import access_audience_units, access_unit_for_new_content
from ..errors import InvalidPracticeSet, NoPracticeQuestions, PracticeRoundNotFound, QuestionInOpenExam
from ..i18n import join_list
from ..models import (
    OPTION_LETTERS,
    DailySet,
    PracticeItem,
    PracticeRound,
    PracticeSet,
    Question,
    QuestionBank,
    Tag,
    WrongAnswer,
)
from ..selectors import banks_for
from ..selectors_learning import (
    ITEM_FIELDS,
    _override_exams,
    _window_open_exams,
    audience_unit_of,
    book_candidates,
    cited_articles,
    exams_open_to,
    exams_open_to_unit,
    in_exams_q,
    practice_questions,
    question_feedback,
    slot_candidates,
)
from .attempts import validate_choices

MAX_ROUND_QUESTIONS = 50
MAX_DAILY_QUESTIONS = 50

# --- Practice sets (organizers) ---------------------------------------------------------------------------

PRACTICE_SET_AUDITED = ("title", "bank_id", "unit_id", "daily_count", "is_open")


def _practice_set_snapshot(practice_set: PracticeSet) -> dict[str, Any]:
    """What the audit log keeps of a practice set: its fields, audience and tags (sorted, so that an
    unchanged list compares equal)."""
    values = snapshot(practice_set, PRACTICE_SET_AUDITED)
    values["audience_unit_ids"] = sorted(practice_set.audience_units.values_list("pk", flat=True))
    values["tags"] = sorted(practice_set.tags.values_list("name", flat=True))
    return values


def _set_tags(bank: QuestionBank, names: Sequence[str]) -> list[Tag]:
    tags = list(Tag.objects.filter(name__in=set(names), questions__bank=bank).distinct())
    unknown = sorted(set(names) - {t.name for t in tags})
    if unknown:
        message = _("题库中没有这些标签：%(tags)s") % {"tags": join_list(unknown)}
        raise InvalidPracticeSet(message, fields={"tags": [message]})
    return tags


@transaction.atomic
def practice_set_create(
    *,
    user: User,
    title: str,
    bank_id: int,
    audience_unit_ids: Sequence[int],
    tags: Sequence[str] = (),
    daily_count: int = 5,
    unit_id: int | None = None,
    audit: AuditContext | None = None,
) -> PracticeSet:
    """Open a bank the organizer manages (or some of its tags) for practice to audience units of their
    subtree."""
    bank = banks_for(user).filter(pk=bank_id).first()
    if bank is None:
        message = _("题库不存在或无权使用：%(ids)s") % {"ids": bank_id}
        raise InvalidPracticeSet(message, fields={"bank_id": [message]})
    if not audience_unit_ids:
        raise InvalidPracticeSet(fields={"audience_unit_ids": [_("请至少选择一个练习单位。")]})
    audience = access_audience_units(user, audience_unit_ids)
    chosen_tags = _set_tags(bank, tags)
    practice_set = PracticeSet.objects.create(
        title=title,
        bank=bank,
        unit=access_unit_for_new_content(user, unit_id),
        daily_count=daily_count,
        created_by=user,
    )
    practice_set.audience_units.set(audience)
    practice_set.tags.set(chosen_tags)
    audit_record(
        context=audit,
        action=AuditEvent.Action.PRACTICE_SET_CREATE,
        unit=practice_set.unit,
        target=practice_set,
        after=_practice_set_snapshot(practice_set),
    )
    return practice_set


@transaction.atomic
def practice_set_update(
    *,
    user: User,
    practice_set: PracticeSet,
    audience_unit_ids: Sequence[int] | None = None,
    tags: Sequence[str] | None = None,
    audit: AuditContext | None = None,
    **fields: Any,
) -> PracticeSet:
    """Change a practice set's title, daily count, openness (``is_open``), audience or tags. Audited as a close
    or a reopen when ``is_open`` changes, else as an update; nothing when nothing changed."""
    old = _practice_set_snapshot(practice_set)
    for name, value in fields.items():
        setattr(practice_set, name, value)
    if fields:
        practice_set.save(update_fields=list(fields))
    if audience_unit_ids is not None:
        if not audience_unit_ids:
            raise InvalidPracticeSet(fields={"audience_unit_ids": [_("请至少选择一个练习单位。")]})
        practice_set.audience_units.set(access_audience_units(user, audience_unit_ids))
    if tags is not None:
        practice_set.tags.set(_set_tags(practice_set.bank, tags))
    before, after = changed(old, _practice_set_snapshot(practice_set))
    if after:
        if "is_open" in after:
            action = AuditEvent.Action.PRACTICE_SET_REOPEN if after["is_open"] else AuditEvent.Action.PRACTICE_SET_CLOSE
        else:
            action = AuditEvent.Action.PRACTICE_SET_UPDATE
        audit_record(
            context=audit, action=action, unit=practice_set.unit, target=practice_set, before=before, after=after
        )
    return practice_set


# --- Rounds -------------------------------------------------------------------------------------------------


def _round_create(*, user: User, kind: str, question_ids: Sequence[int], now: datetime, **fields: Any) -> PracticeRound:
    practice_round = PracticeRound.objects.create(user=user, kind=kind, started_at=now, **fields)
    PracticeItem.objects.bulk_create(
        PracticeItem(round=practice_round, question_id=qid, position=position)
        for position, qid in enumerate(question_ids, start=1)
    )
    return practice_round


@transaction.atomic
def practice_round_start(
    *,
    practice_set: PracticeSet,
    user: User,
    count: int,
    tag: str | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> PracticeRound:
    """Draw ``count`` questions of the set (of ``tag``, a chapter, if given) at random, one per exclusion
    group, none of an exam open to the person now. Fewer when the set has fewer; none: ``NoPracticeQuestions``."""
    now = now or timezone.now()
    chosen_tag = None
    if tag:
        tags = Tag.objects.filter(name=tag, questions__bank_id=practice_set.bank_id)
        set_tags = [t.pk for t in practice_set.tags.all()]
        chosen_tag = (tags.filter(pk__in=set_tags) if set_tags else tags).first()
        if chosen_tag is None:
            message = _("本练习没有标签“%(tag)s”。") % {"tag": tag}
            raise InvalidPracticeSet(message, fields={"tag": [message]})
    questions = practice_questions(practice_set=practice_set, tag=chosen_tag).exclude(
        in_exams_q(exams_open_to(user=user, now=now))
    )
    picked = learning.pick_slots(slot_candidates(questions), count, rng or random.SystemRandom(), set())
    if not picked:
        raise NoPracticeQuestions()
    return _round_create(
        user=user,
        kind=PracticeRound.Kind.PRACTICE,
        question_ids=picked,
        now=now,
        practice_set=practice_set,
        tag=chosen_tag,
    )


@transaction.atomic
def book_round_start(
    *, user: User, count: int, now: datetime | None = None, rng: random.Random | None = None
) -> PracticeRound:
    """Practise again ``count`` questions of the person's book (not retired, not in an exam open to them)."""
    now = now or timezone.now()
    candidates = book_candidates(user=user, now=now, exclude_exams=exams_open_to(user=user, now=now))
    picked = learning.pick_slots(candidates, count, rng or random.SystemRandom(), set())
    if not picked:
        raise NoPracticeQuestions(_("错题本中没有可以练习的题。"))
    return _round_create(user=user, kind=PracticeRound.Kind.BOOK, question_ids=picked, now=now)


def daily_round_start(*, practice_set: PracticeSet, user: User, now: datetime | None = None) -> PracticeRound:
    """Today's daily round of the set for the person: their audience unit's questions of the day (drawn once
    per unit and day by ``learning.daily_draw`` and kept), the same round again when asked again."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    existing = PracticeRound.objects.filter(
        user=user, practice_set=practice_set, kind=PracticeRound.Kind.DAILY, day=today
    ).first()
    if existing is not None:
        return existing
    if not practice_set.daily_count:
        raise NoPracticeQuestions(_("本练习没有每日一练。"))
    unit = audience_unit_of(practice_set=practice_set, user=user)
    if unit is None:  # the access helper admitted the person through the audience: only a race gets here
        raise NoPracticeQuestions()
    daily = DailySet.objects.filter(practice_set=practice_set, unit=unit, day=today).first()
    if daily is None:
        questions = practice_questions(practice_set=practice_set).exclude(
            in_exams_q(exams_open_to_unit(unit=unit, now=now))
        )
        ids = learning.daily_draw(
            candidates=slot_candidates(questions),
            count=practice_set.daily_count,
            practice_set_id=practice_set.pk,
            unit_id=unit.pk,
            day=today,
        )
        daily, _created = DailySet.objects.get_or_create(
            practice_set=practice_set, unit=unit, day=today, defaults={"question_ids": ids}
        )
    if not daily.question_ids:
        raise NoPracticeQuestions()
    try:
        with transaction.atomic():
            return _round_create(
                user=user,
                kind=PracticeRound.Kind.DAILY,
                question_ids=daily.question_ids,
                now=now,
                practice_set=practice_set,
                day=today,
            )
    except IntegrityError:  # the same person's other tab created it first
        return PracticeRound.objects.get(user=user, practice_set=practice_set, kind=PracticeRound.Kind.DAILY, day=today)


# --- Answers --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeAnswerResult:
    question_id: int
    choices: list[str]
    correct: bool
    applied: bool  # False: the question had been answered in this round already (the first answer stands)
    feedback: dict[str, Any]  # key, explanation, legal basis
    book: learning.BookState | None  # the question's book entry after this answer


def _book_state(row: dict[str, Any]) -> learning.BookState | None:
    if row["book_wrong"] is None:
        return None
    return learning.BookState(row["book_wrong"], row["book_streak"], row["book_retired"] is not None)


def practice_answer(
    *, round_id: int, user: User, question_id: int, choices: Sequence[str], now: datetime | None = None
) -> PracticeAnswerResult:
    """Answer one question of the person's round, once: whether right, with the key, explanation, legal basis
    and the cited articles' text (法条原文) at once. Refused (``QuestionInOpenExam``, nothing recorded, no key,
    no article) for a question in an exam open to the person now. The book follows
    ``learning.book_after_answer``.

    No dearer than an autosave: one read (the item, its question, the hidden check for exams open by their own
    window, the book entry), the cited articles from the cache (``caching.cited_article_texts``: the round put
    them there when it was loaded; one read if they were lost), then in one transaction a guarded UPDATE and at
    most one book statement; only a person with an override of an exam holding the question costs the exact
    check (``exams_open_to``) on top.
    """
    now = now or timezone.now()
    book = WrongAnswer.objects.filter(user=user, question=OuterRef("question_id"))
    row = (
        PracticeItem.objects.filter(round_id=round_id, round__user=user, question_id=question_id)
        .annotate(
            hidden=in_exams_q(_window_open_exams(user, now), "question__"),
            maybe_hidden=in_exams_q(_override_exams(user), "question__"),
            book_wrong=Subquery(book.values("wrong_count")[:1]),
            book_streak=Subquery(book.values("right_streak")[:1]),
            book_retired=Subquery(book.values("retired_at")[:1]),
        )
        .values("pk", *ITEM_FIELDS, "hidden", "maybe_hidden", "book_wrong", "book_streak", "book_retired")
        .first()
    )
    if row is None:
        raise PracticeRoundNotFound()
    hidden = row["hidden"] or (
        row["maybe_hidden"]
        and Question.objects.filter(in_exams_q(exams_open_to(user=user, now=now)), pk=question_id).exists()
    )
    if hidden:
        raise QuestionInOpenExam()
    feedback = question_feedback(row, articles=cited_articles([row])[0])
    state = _book_state(row)
    if row["answered_at"] is not None:
        return PracticeAnswerResult(question_id, row["choices"], bool(row["correct"]), False, feedback, state)
    letters = list(OPTION_LETTERS[: len(row["question__options"])])
    stored = validate_choices(kind=row["question__kind"], option_letters=letters, choices=choices)
    correct = stored == sorted(row["question__answer"])
    with transaction.atomic():  # the answer and its book entry together, or neither
        updated = PracticeItem.objects.filter(pk=row["pk"], answered_at__isnull=True).update(
            choices=stored, correct=correct, answered_at=now
        )
        if not updated:  # a concurrent answer of the same item won: report it
            first = PracticeItem.objects.get(pk=row["pk"])
            return PracticeAnswerResult(question_id, first.choices or [], bool(first.correct), False, feedback, state)
        new = learning.book_after_answer(state, correct=correct)
        if new is not None and new != state:
            _book_write(user=user, question_id=question_id, state=new, choices=None if correct else stored, now=now)
    return PracticeAnswerResult(question_id, stored, correct, True, feedback, new)


def _book_write(
    *, user: User, question_id: int, state: learning.BookState, choices: list[str] | None, now: datetime
) -> None:
    """One statement: a wrong answer upserts the entry (as a practice mistake, with the choices), a right one
    updates the run of right answers (and retirement) of the entry that exists."""
    retired_at = now if state.retired else None
    if choices is None:
        WrongAnswer.objects.filter(user=user, question_id=question_id).update(
            right_streak=state.right_streak, retired_at=retired_at
        )
        return
    WrongAnswer.objects.bulk_create(
        [
            WrongAnswer(
                user=user,
                question_id=question_id,
                choices=choices,
                wrong_count=state.wrong_count,
                right_streak=state.right_streak,
                from_practice=True,
                attempt=None,
                last_wrong_at=now,
                retired_at=retired_at,
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "question"],
        update_fields=[
            "choices",
            "wrong_count",
            "right_streak",
            "from_practice",
            "attempt",
            "last_wrong_at",
            "retired_at",
        ],
    )
