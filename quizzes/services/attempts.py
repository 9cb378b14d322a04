"""Sitting an exam: start or resume, autosave, page-leave reports, submit, finalisation of overdue attempts,
regrading.

Time belongs to the server: ``deadline = min(started_at + time_limit, closes_at)``, with the person's
overrides and make-up window (``quizzes.timing``), fixed on the attempt at start. Answers are refused
after the deadline; a submit within ``grace_seconds`` after it is accepted with the answers saved by the
deadline; an attempt still open after deadline + grace is finalised, stamped with its deadline, by the
next write on it (start, autosave, submit) and by the periodic ``manage.py close_overdue_attempts``.
Reads never write: a GET shows an overdue attempt as ``in_progress`` with its ``deadline`` and
``server_now``, and the client submits it.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditContext, audit_record
from accounts.models import AuditEvent, User

from .. import caching, ranking, rawsql, scoring, selectors, timing
from ..errors import (
    AttemptExpired,
    AttemptFinalised,
    AttemptNotFound,
    ExamOutsideWindow,
    InvalidChoices,
    NoAttemptsLeft,
    NotInAudience,
    QuestionNotOnPaper,
)
from ..i18n import join_list
from ..models import OPTION_LETTERS, Answer, Attempt, AttemptQuestion, Exam, PageLeave, Question, QuestionKind
from ..selectors import exam_terms, personal_terms, user_in_audience
from .book import book_collect_exam_mistakes
from .certificates import certificate_sync
from .exams import paper_compose

StrOrPromise = str | Promise


def attempt_is_overdue(attempt: Attempt, exam: Exam, now: datetime) -> bool:
    return attempt.status == Attempt.Status.IN_PROGRESS and now > attempt.deadline + timedelta(
        seconds=exam.grace_seconds
    )


@transaction.atomic
def attempt_start(
    *, exam: Exam, user: User, now: datetime | None = None, rng: random.Random | None = None
) -> tuple[Attempt, bool]:
    """Start a new attempt, or resume the person's open one. Returns ``(attempt, created)``.

    The person's row is locked so that two tabs starting at once get the same attempt.
    """
    now = now or timezone.now()
    if exam.status == Exam.Status.DRAFT:
        raise ExamOutsideWindow()
    if not user_in_audience(exam=exam, user=user):
        raise NotInAudience()
    rawsql.lock(User, user.pk)  # the person's row only, not read: two tabs starting at once wait here
    sitting = timing.sitting_at(timing.sittings(exam_terms(exam), personal_terms(exam=exam, user_id=user.pk)), now)
    if sitting is None:
        raise ExamOutsideWindow()
    attempts = rawsql.instances(Attempt, exam=exam.pk, user=user.pk, order_by=("number",))
    open_attempt = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt is not None:
        if not attempt_is_overdue(open_attempt, exam, now):
            return open_attempt, False
        attempt_finalise(attempt=open_attempt, exam=exam, status=Attempt.Status.TIMED_OUT, at=open_attempt.deadline)
    if timing.attempts_left(sitting, sum(1 for a in attempts if a.is_makeup == sitting.makeup)) == 0:
        raise NoAttemptsLeft()

    items = paper_compose(exam=exam, rng=rng)
    option_rng = rng or random.SystemRandom()
    attempt = rawsql.insert(
        Attempt(
            exam=exam,
            user=user,
            number=(attempts[-1].number + 1) if attempts else 1,
            started_at=now,
            deadline=timing.attempt_deadline(sitting, now),
            is_makeup=sitting.makeup,
            max_score=sum((item.points for item in items), Decimal(0)),
        )
    )
    paper: list[dict[str, Any]] = [
        {
            "question_id": item.question.pk,
            "position": position,
            "kind": item.question.kind,
            "stem": item.question.stem,
            "options": _frozen_options(item.question, shuffle=exam.shuffle_options, rng=option_rng),
            "answer": list(item.question.answer),
            "explanation": item.question.explanation,
            "legal_basis": item.question.legal_basis,
            "points": item.points,
        }
        for position, item in enumerate(items, start=1)
    ]
    _paper_insert(attempt.pk, paper)
    attempt.fresh_paper = paper
    shape = caching.paper_shape(user.pk, [(row["question_id"], row["kind"], _letters(row["options"])) for row in paper])
    transaction.on_commit(lambda: caching.keep_paper_shape(attempt.pk, shape))  # this worker's autosaves read none
    return attempt, True


PAPER_COLUMNS = ("question_id", "position", "kind", "stem", "options", "answer", "explanation", "legal_basis", "points")
_PAPER_TYPES = ("bigint", "integer", "text", "text", "json", "json", "text", "text", "numeric")


def _paper_insert(attempt_id: int, paper: Sequence[dict[str, Any]]) -> None:
    """Write a new attempt's paper (rows keyed by ``PAPER_COLUMNS``) in one statement with its rows packed into one
    parameter (``rawsql.rows_of_packed``): ``bulk_create`` of a paper's 25 rows cost six times the CPU (issue 9's
    profile: a quarter of a start), in building a model per row and adapting each of its values."""
    q = connection.ops.quote_name
    columns = ", ".join(q(name) for name in ("attempt_id", *PAPER_COLUMNS))
    rows = rawsql.packed_rows([[row[name] for name in PAPER_COLUMNS] for row in paper])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(AttemptQuestion._meta.db_table)} ({columns}) "
            f"SELECT %s, {rawsql.rows_of_packed(_PAPER_TYPES)}",
            [attempt_id, rows],
        )


def _frozen_options(question: Question, *, shuffle: bool, rng: random.Random) -> list[dict[str, str]]:
    options = [{"letter": letter, "text": text} for letter, text in zip(OPTION_LETTERS, question.options, strict=False)]
    if shuffle and question.kind != QuestionKind.JUDGE:
        rng.shuffle(options)
    return options


def _lock_own_attempt(attempt_id: int, user: User) -> Attempt:
    """The person's own attempt with its exam, the attempt row-locked until the transaction ends; someone else's
    is not found. Written out (``rawsql``): the ORM's ``select_for_update().select_related("exam")`` cost more
    CPU to build than anything else a submit reads."""
    q = connection.ops.quote_name
    lock = " FOR UPDATE OF a" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {rawsql.select_columns(Attempt, 'a')}, {rawsql.select_columns(Exam, 'e')} "
        f"FROM {q(Attempt._meta.db_table)} a JOIN {q(Exam._meta.db_table)} e ON e.{q('id')} = a.{q('exam_id')} "
        f"WHERE a.{q('id')} = %s AND a.{q('user_id')} = %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id, user.pk])
        row = cursor.fetchone()
    if row is None:
        raise AttemptNotFound()
    width = len(Attempt._meta.concrete_fields)
    attempt = rawsql.instance_from_row(Attempt, row[:width])
    attempt.exam = rawsql.instance_from_row(Exam, row[width:])
    attempt.user = user  # theirs: the read asked for it
    return attempt


def validate_choices(*, kind: str, option_letters: Sequence[str], choices: Sequence[str]) -> list[str]:
    """Choices as stored (sorted original letters) or ``InvalidChoices`` naming what is wrong."""
    problems: list[StrOrPromise] = []
    if len(set(choices)) != len(choices):
        problems.append(_("选项重复。"))
    unknown = [c for c in choices if c not in option_letters]
    if unknown:
        problems.append(_("选项 %(letters)s 不在本题选项中。") % {"letters": join_list(unknown)})
    if kind in (QuestionKind.SINGLE, QuestionKind.JUDGE) and len(choices) > 1:
        problems.append(_("单选题和判断题只能选择一个选项。"))
    if problems:
        raise InvalidChoices(fields={"choices": problems})
    return sorted(choices)


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    applied: bool


def answer_save(
    *, attempt_id: int, user: User, question_id: int, choices: Sequence[str], seq: int, now: datetime | None = None
) -> SaveResult:
    """Autosave: an idempotent upsert of the answer to one paper question.

    A save whose ``seq`` is not greater than the stored one is ignored (``applied=False``), so a
    retried or reordered request never overwrites a newer answer; the very save already stored (same
    ``seq``, same choices: a retry) answers as it did the first time. After the deadline nothing is saved;
    an attempt found overdue is finalised on the way (committed) before ``AttemptExpired`` is raised.

    The common save (an open attempt, a newer ``seq``) costs one statement and no transaction, two the first time
    an app server sees the attempt (``_answer_save_open``); everything else takes the locked path below, which
    says what is wrong.
    """
    now = now or timezone.now()
    saved = _answer_save_open(attempt_id, user=user, question_id=question_id, choices=choices, seq=seq, now=now)
    if saved is not None:
        return saved
    with transaction.atomic():
        attempt = _lock_own_attempt(attempt_id, user)
        if attempt.is_finalised:
            raise AttemptFinalised()
        expired = now > attempt.deadline
        if expired and attempt_is_overdue(attempt, attempt.exam, now):
            attempt_finalise(attempt=attempt, exam=attempt.exam, status=Attempt.Status.TIMED_OUT, at=attempt.deadline)
        if not expired:
            return _answer_upsert(attempt, question_id=question_id, choices=choices, seq=seq, now=now)
    raise AttemptExpired()


def _answer_save_open(
    attempt_id: int, *, user: User, question_id: int, choices: Sequence[str], seq: int, now: datetime
) -> SaveResult | None:
    """The common save in one statement: the answer checked against the paper's shape, which this worker keeps
    (``caching.cached_paper_shape``: read once per attempt and server, or put there by the start), then one upsert
    guarded by the attempt being the person's and still open (``_answer_row_upsert``'s ``open_at``). None when
    anything is not plain (not found, not the person's, not on the paper, invalid choices, finalised, past the
    deadline, an older or repeated ``seq``): the caller's locked path then decides and says why, in its order."""
    shape = caching.cached_paper_shape(attempt_id, _paper_shape)
    if shape is None or shape.user_id != user.pk or question_id not in shape.questions:
        return None
    kind, letters = shape.questions[question_id]
    try:
        stored = validate_choices(kind=kind, option_letters=letters, choices=choices)
    except InvalidChoices:  # unless the attempt is finalised or expired, which the locked path says first
        return None
    saved = _answer_row_upsert(
        attempt_id, question_id=question_id, choices=stored, seq=seq, now=now, open_at=now, owner_id=user.pk
    )
    if saved is None:
        return None
    answer = Answer(id=saved, attempt_id=attempt_id, question_id=question_id, choices=stored, seq=seq, saved_at=now)
    return SaveResult(answer, applied=True)


def _letters(options: Sequence[dict[str, str]]) -> list[str]:
    return [option["letter"] for option in options]


def _paper_shape(attempt_id: int) -> caching.PaperShape | None:
    """The attempt's owner and its paper questions' kinds and option letters: one indexed read, written out (on
    the hottest request of an exam, building the same query with the ORM cost five times the CPU of running it:
    issue 9's profile). None when there is no such attempt."""
    q = connection.ops.quote_name
    paper, attempts = q(AttemptQuestion._meta.db_table), q(Attempt._meta.db_table)
    sql = (
        f"SELECT a.{q('user_id')}, p.{q('question_id')}, p.{q('kind')}, p.{q('options')} FROM {attempts} a "
        f"LEFT JOIN {paper} p ON p.{q('attempt_id')} = a.{q('id')} WHERE a.{q('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    questions = [
        (row[1], row[2], _letters(rawsql.value_from_db(AttemptQuestion, "options", row[3])))
        for row in rows
        if row[1] is not None
    ]
    return caching.paper_shape(rows[0][0], questions)


def _answer_upsert(
    attempt: Attempt, *, question_id: int, choices: Sequence[str], seq: int, now: datetime
) -> SaveResult:
    """Precondition: the caller holds a row lock on the open ``attempt``."""
    paper_row = (
        AttemptQuestion.objects.filter(attempt=attempt, question_id=question_id).values("kind", "options").first()
    )
    if paper_row is None:
        raise QuestionNotOnPaper(fields={"question_id": [_("第 %(id)s 号题不在本次试卷中。") % {"id": question_id}]})
    stored = validate_choices(kind=paper_row["kind"], option_letters=_letters(paper_row["options"]), choices=choices)
    saved = _answer_row_upsert(attempt.pk, question_id=question_id, choices=stored, seq=seq, now=now)
    if saved is None:  # a stored seq as high: this save is older than what is kept, or the same one again
        current = Answer.objects.get(attempt=attempt, question_id=question_id)
        # the same save again (a retry whose first answer was lost with the connection) is reported as the
        # first time: applied, with what it stored; an older or different one is not applied
        return SaveResult(current, applied=current.seq == seq and current.choices == stored)
    answer = Answer(id=saved, attempt=attempt, question_id=question_id, choices=stored, seq=seq, saved_at=now)
    return SaveResult(answer, applied=True)


def _answer_row_upsert(
    attempt_id: int,
    *,
    question_id: int,
    choices: list[str],
    seq: int,
    now: datetime,
    open_at: datetime | None = None,
    owner_id: int | None = None,
) -> int | None:
    """One statement: insert the answer, or update it only where the stored ``seq`` is lower (PostgreSQL and
    SQLite's ``INSERT … ON CONFLICT DO UPDATE … WHERE``). The row's id, or None when the stored row is kept.

    With ``open_at``, also only while the attempt (``owner_id``'s) is in progress with its deadline not before
    ``open_at``, for a caller that holds no lock on it. On PostgreSQL that check share-locks the attempt's row: a submit
    or finalisation holding it (``FOR UPDATE``) makes the save wait, and then see it finalised and store
    nothing; a save that got there first holds the submit back until it commits, and is scored. SQLite lets
    one writer at a time in, which orders them the same way."""
    opts = Answer._meta
    params = [
        attempt_id,
        question_id,
        opts.get_field("choices").get_db_prep_save(choices, connection),
        seq,
        opts.get_field("saved_at").get_db_prep_save(now, connection),
    ]
    if open_at is not None:
        assert owner_id is not None, "a save without a lock names the attempt's owner"
        deadline = Attempt._meta.get_field("deadline").get_db_prep_save(open_at, connection)
        params += [attempt_id, owner_id, Attempt.Status.IN_PROGRESS.value, deadline]
    sql = _answer_upsert_sql(connection.vendor, guarded=open_at is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


@functools.cache
def _answer_upsert_sql(vendor: str, *, guarded: bool) -> str:
    """``_answer_row_upsert``'s statement for the database ``vendor`` (the default connection's), written out once
    per process: ``guarded``, the attempt's row checked (and share-locked) in the same statement."""
    q = connection.ops.quote_name
    table = q(Answer._meta.db_table)
    columns = f"({q('attempt_id')}, {q('question_id')}, {q('choices')}, {q('seq')}, {q('saved_at')})"
    source = "VALUES (%s, %s, %s, %s, %s)"
    if guarded:
        share = " FOR SHARE" if connection.features.has_select_for_update else ""
        source = (
            f"SELECT %s, %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM {q(Attempt._meta.db_table)} "
            f"WHERE {q('id')} = %s AND {q('user_id')} = %s AND {q('status')} = %s AND {q('deadline')} >= %s{share})"
        )
    return (
        f"INSERT INTO {table} {columns} {source} "
        f"ON CONFLICT ({q('attempt_id')}, {q('question_id')}) DO UPDATE SET "
        f"{q('choices')} = EXCLUDED.{q('choices')}, {q('seq')} = EXCLUDED.{q('seq')}, "
        f"{q('saved_at')} = EXCLUDED.{q('saved_at')} WHERE {table}.{q('seq')} < EXCLUDED.{q('seq')} "
        f"RETURNING {q('id')}"
    )


def attempt_submit(*, attempt_id: int, user: User, now: datetime | None = None) -> Attempt:
    """Hand in an attempt. Idempotent: a second call returns the first result unchanged."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _lock_own_attempt(attempt_id, user)
        if attempt.is_finalised:
            return attempt
        if attempt_is_overdue(attempt, attempt.exam, now):
            attempt_finalise(attempt=attempt, exam=attempt.exam, status=Attempt.Status.TIMED_OUT, at=attempt.deadline)
        else:
            attempt_finalise(
                attempt=attempt, exam=attempt.exam, status=Attempt.Status.SUBMITTED, at=min(now, attempt.deadline)
            )
        return attempt


@dataclass(frozen=True)
class PageLeaveResult:
    attempt: Attempt
    applied: bool


def page_leave_record(
    *, attempt_id: int, user: User, kind: str, seq: int, now: datetime | None = None
) -> PageLeaveResult:
    """Record that the owner's exam page was hidden (``leave``) or shown again (``return``).

    Only the attempt's owner reports, only while it is in progress. Like autosave, a report whose ``seq``
    is not greater than the last recorded one is ignored (``applied=False``), so a retried report never
    counts twice. A leave beyond the exam's ``leave_limit`` submits and scores the attempt (status
    ``left_page``), stamped now; without a limit leaves are only recorded. An overdue attempt is finalised
    as timed out (committed) before ``AttemptExpired`` is raised.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _lock_own_attempt(attempt_id, user)
        if attempt.is_finalised:
            raise AttemptFinalised()
        exam = attempt.exam
        overdue = attempt_is_overdue(attempt, exam, now)
        if overdue:
            attempt_finalise(attempt=attempt, exam=exam, status=Attempt.Status.TIMED_OUT, at=attempt.deadline)
        elif seq <= attempt.leave_seq:
            return PageLeaveResult(attempt, applied=False)
        else:
            PageLeave.objects.create(attempt=attempt, seq=seq, kind=kind, at=now)
            attempt.leave_seq = seq
            if kind == PageLeave.Kind.LEAVE:
                attempt.leave_count += 1
            attempt.save(update_fields=["leave_seq", "leave_count"])
            if exam.leave_limit is not None and attempt.leave_count > exam.leave_limit:
                attempt_finalise(
                    attempt=attempt, exam=exam, status=Attempt.Status.LEFT_PAGE, at=min(now, attempt.deadline)
                )
            return PageLeaveResult(attempt, applied=True)
    raise AttemptExpired()


def attempt_finalise(*, attempt: Attempt, exam: Exam, status: str, at: datetime) -> Attempt:
    """Score ``attempt``, stamp it ``at`` and update which of the person's attempts counts.

    Precondition: the caller holds a row lock on the attempt (or just created it) inside a transaction.
    Answers saved after ``at`` never exist: autosave refuses them after the deadline.
    """
    attempt.status = status
    attempt.submitted_at = at
    attempt.time_used_seconds = max(0, int((at - attempt.started_at).total_seconds()))
    wrong = _set_score(attempt, exam)
    # A person's first attempt is their only one (one open at a time, numbered in order): it counts under every
    # policy, and is marked in the same UPDATE, with no read of the others (most people sit once)
    first_finish = attempt.number == 1
    attempt.is_counted = attempt.is_counted or first_finish
    rawsql.update(attempt, ["status", "submitted_at", "time_used_seconds", "score", "passed", "is_counted"])
    book_collect_exam_mistakes(attempt=attempt, exam=exam, wrong=wrong)  # one statement, none if all right
    counted: Attempt | None = attempt
    if not first_finish:
        counted_id = attempts_update_counted(exam=exam, user_id=attempt.user_id)
        attempt.is_counted = attempt.pk == counted_id  # the rows changed by queryset; keep the instance true
        counted = attempt if attempt.is_counted else None
        if counted is None and counted_id is not None:  # an earlier attempt still counts (highest or first)
            counted = Attempt.objects.filter(pk=counted_id).first()
    certificate_sync(exam=exam, user_id=attempt.user_id, counted=counted, now=at, first_finish=first_finish)
    person = attempt.user if Attempt.user.is_cached(attempt) else None  # the submitter (``_lock_own_attempt``)
    caching.attempt_finalised(exam.pk, user_id=attempt.user_id, counted=counted, person=person)
    return attempt


def _set_score(attempt: Attempt, exam: Exam) -> list[tuple[int, list[str]]]:
    """Mark the saved answers and set (not save) the attempt's score and pass. Returns the answers that did not
    earn full points, as (question id, choices), for the wrong-answer book."""
    wrong: list[tuple[int, list[str]]] = []
    attempt.score = sum(_mark_answers(attempt=attempt, exam=exam, wrong=wrong).values(), Decimal("0.00"))
    attempt.passed = scoring.is_pass(scoring.percent_of(attempt.score, attempt.max_score), exam.pass_percent)
    return wrong


def _mark_answers(*, attempt: Attempt, exam: Exam, wrong: list[tuple[int, list[str]]]) -> dict[int, Decimal]:
    """Mark every saved answer of ``attempt`` against its frozen key; returns marks by question id and adds the
    answers short of full points to ``wrong``."""
    rows = []
    marks: dict[int, Decimal] = {}
    scores: list[tuple[int, Decimal]] = []
    marked: dict[int, dict[str, Any]] = {}
    for row, saved in _paper_with_answers(attempt.pk):
        rows.append(row)
        if saved is None:
            continue
        answer_id, choices = saved
        question_id = row["question_id"]
        score = scoring.score_answer(
            kind=row["kind"],
            key=row["answer"],
            choices=choices,
            points=row["points"],
            multiple_mode=exam.multiple_scoring,
            step=exam.score_step,
        )
        marks[question_id] = score
        scores.append((answer_id, score))
        marked[question_id] = {"question_id": question_id, "choices": choices, "score": score}
        if score < row["points"]:
            wrong.append((question_id, list(choices)))
    _answer_scores_write(attempt.pk, scores)
    attempt.fresh_review = (rows, marked)  # what the submit's answer shows needs no second read
    return marks


def _paper_with_answers(attempt_id: int) -> list[tuple[dict[str, Any], tuple[int, list[str]] | None]]:
    """The paper in order (``selectors.REVIEW_PAPER_FIELDS``) with each question's saved answer, ``(id, choices)``
    (None when unanswered). One written-out read (``rawsql``), where the ORM made two."""
    q = connection.ops.quote_name
    fields = selectors.REVIEW_PAPER_FIELDS
    paper, answers = q(AttemptQuestion._meta.db_table), q(Answer._meta.db_table)
    columns = ", ".join(f"p.{rawsql.column_of(AttemptQuestion, name)}" for name in fields)
    sql = (
        f"SELECT {columns}, s.{q('id')}, s.{q('choices')} FROM {paper} p LEFT JOIN {answers} s "
        f"ON s.{q('attempt_id')} = p.{q('attempt_id')} AND s.{q('question_id')} = p.{q('question_id')} "
        f"WHERE p.{q('attempt_id')} = %s ORDER BY p.{q('position')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id])
        found = rawsql.rows_from_db(AttemptQuestion, fields, cursor.fetchall())
    width = len(fields)
    return [
        (
            dict(zip(fields, row, strict=False)),
            None if row[width] is None else (row[width], rawsql.value_from_db(Answer, "choices", row[width + 1])),
        )
        for row in found
    ]


def _answer_scores_write(attempt_id: int, scores: Sequence[tuple[int, Decimal]]) -> None:
    """Store the marks of the answers of one attempt, ``(answer id, score)``, in one statement: ``UPDATE … FROM``
    the rows packed into one parameter (``rawsql.rows_of_packed``; PostgreSQL, and SQLite since 3.33).
    ``bulk_update`` builds a ``CASE`` expression per row in Python, which was a quarter of a submit's CPU (issue
    9's profile). The attempt is named too: PostgreSQL's planner cannot see how many rows the parameter holds,
    and without it may scan every answer of every attempt to join them."""
    if not scores:
        return
    q = connection.ops.quote_name
    table = q(Answer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {q('score')} = marks.{q('score')} "
            f"FROM (SELECT {rawsql.rows_of_packed(('bigint', 'numeric'), ('id', 'score'))}) AS marks "
            f"WHERE {table}.{q('attempt_id')} = %s AND {table}.{q('id')} = marks.{q('id')}",
            [rawsql.packed_rows(scores), attempt_id],
        )


def attempts_update_counted(*, exam: Exam, user_id: int) -> int | None:
    """Mark the one finished attempt of this person that counts under the exam's counting policy.

    Updates rows by queryset, so instances already loaded keep their old flag: returns the id of the
    counted attempt (None if the person has no finished attempt) for the caller to set its own. The
    callers (``attempt_finalise``, ``exam_regrade_question``) bump the exam's cache generation."""
    attempts = list(Attempt.objects.filter(exam=exam, user_id=user_id))
    finished = [
        ranking.FinishedAttempt(
            a.pk, a.number, a.score or Decimal(0), a.time_used_seconds or 0, a.submitted_at, makeup=a.is_makeup
        )
        for a in attempts
        if a.submitted_at is not None  # finished; open attempts have no submission time
    ]
    chosen = ranking.counted_attempt(finished, exam.counting_policy)
    if chosen is None:
        return None
    # clear the old flag before setting the new one: at most one counted attempt per person (constraint). A
    # person's only attempt (most people) has no other flag to clear; the clearing UPDATE re-reads the flags
    # under lock, so it is kept whenever there is another attempt.
    if len(attempts) > 1:
        Attempt.objects.filter(exam=exam, user_id=user_id, is_counted=True).exclude(pk=chosen.id).update(
            is_counted=False
        )
    if not any(a.pk == chosen.id and a.is_counted for a in attempts):
        Attempt.objects.filter(pk=chosen.id).update(is_counted=True)
    return chosen.id


def attempts_close_overdue(*, now: datetime | None = None, exam: Exam | None = None, user: User | None = None) -> int:
    """Finalise every attempt (of ``exam``, of ``user``) still open after deadline + grace, stamped
    with its deadline. Cheap when there is none: one indexed query."""
    now = now or timezone.now()
    candidates = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=now)
    if exam is not None:
        candidates = candidates.filter(exam=exam)
    if user is not None:
        candidates = candidates.filter(user=user)
    closed = 0
    for attempt_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt_id)
            if attempt_is_overdue(attempt, attempt.exam, now):
                attempt_finalise(
                    attempt=attempt, exam=attempt.exam, status=Attempt.Status.TIMED_OUT, at=attempt.deadline
                )
                closed += 1
    return closed


def exam_regrade_question(
    *, exam: Exam, question: Question, reason: str = "", audit: AuditContext | None = None
) -> int:
    """Apply ``question``'s corrected key to every attempt of ``exam`` that has it on its paper.

    Frozen papers never change by themselves; this is the explicit, audited way to correct a key
    (``reason``, the organizer's words, goes into the audit event).
    Returns the number of finished attempts re-scored.
    """
    regraded = 0
    with transaction.atomic():
        caching.exam_changed(exam.pk)
        old_keys = sorted(
            {
                "".join(key)
                for key in AttemptQuestion.objects.filter(attempt__exam=exam, question=question).values_list(
                    "answer", flat=True
                )
            }
        )
        AttemptQuestion.objects.filter(attempt__exam=exam, question=question).update(answer=list(question.answer))
        attempt_ids = list(
            Attempt.objects.filter(exam=exam, paper__question=question)
            .exclude(status=Attempt.Status.IN_PROGRESS)
            .values_list("pk", flat=True)
        )
        people: set[int] = set()
        rescored: dict[int, Attempt] = {}
        for attempt in Attempt.objects.select_for_update().filter(pk__in=attempt_ids).order_by("pk"):
            _set_score(attempt, exam)
            attempt.save(update_fields=["score", "passed"])
            people.add(attempt.user_id)
            rescored[attempt.pk] = attempt
            regraded += 1
        now = timezone.now()
        for user_id in sorted(people):  # once a person, after all their attempts have their new scores
            counted_id = attempts_update_counted(exam=exam, user_id=user_id)
            counted = rescored.get(counted_id) if counted_id is not None else None
            if counted is None and counted_id is not None:  # a counting attempt whose paper lacks the question
                counted = Attempt.objects.filter(pk=counted_id).first()
            certificate_sync(exam=exam, user_id=user_id, counted=counted, now=now, audit=audit)
        audit_record(
            context=audit,
            action=AuditEvent.Action.EXAM_REGRADE,
            unit=exam.unit,
            target=exam,
            before={"question_id": question.pk, "answers": old_keys},
            after={
                "question_id": question.pk,
                "answer": "".join(question.answer),
                "regraded_attempts": regraded,
                **({"reason": reason} if reason else {}),
            },
        )
    return regraded
