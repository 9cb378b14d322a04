"""Leaderboards: people by score and time with competition ranks; units by participation, mean, pass and
excellent rate.

Reads only, like ``selectors``; each has a query-count test. The ranking rules themselves are the pure
functions of ``quizzes.ranking``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.lookups import GreaterThanOrEqual

from accounts import scopes
from accounts.models import Unit, User

from . import rankindex, ranking, rawsql, reporting, scoring
from .models import Attempt, Exam

# Leaderboard order: score desc, then less time, earlier submission; pk makes it total (the
# attempt_leaderboard_order index).
LEADERBOARD_ORDER = ("-score", "time_used_seconds", "submitted_at", "pk")


@dataclass(frozen=True)
class PersonRow:
    rank: int
    user_id: int
    name: str | None
    unit_name: str
    score: Decimal
    time_used_seconds: int
    submitted_at: datetime
    attempt_id: int
    real_name: str = ""  # the name alone (``name`` falls back to the account name): for participants' views


def leaderboard_people_rows(*, exam: Exam, within: Unit | None = None) -> QuerySet[Attempt, Any]:
    """Everyone's counting attempt in leaderboard order (score desc, time used asc, submitted_at asc),
    as dicts without names or ranks: page it, then complete the page with ``leaderboard_rank_rows``.

    Unfiltered, it reads the ``attempt_leaderboard_order`` index and joins nothing, so counting and
    paging stay cheap at 10,000 people. ``within`` only filters rows; ranks stay global.
    """
    rows = Attempt.objects.filter(exam=exam, is_counted=True)
    if within is not None:
        rows = rows.filter(scopes.subtree_q(within, "user__unit"))
    return rows.order_by(*LEADERBOARD_ORDER).values("pk", "user_id", "score", "time_used_seconds", "submitted_at")


RankKey = tuple[Decimal, int]


def _rank_key(row: Mapping[str, Any]) -> RankKey:
    return (row["score"], row["time_used_seconds"])


def _better_than(key: RankKey) -> Q:
    score, used = key
    return Q(score__gt=score) | Q(score=score, time_used_seconds__lt=used)


def _ranks_of_contiguous(exam: Exam, rows: Sequence[Mapping[str, Any]], offset: int) -> list[int]:
    """Ranks of rows that stand at positions offset+1, offset+2, … of the unfiltered leaderboard.

    A row's competition rank is its position unless it ties with the row before it; only the first
    row, whose tie may begin on an earlier page, needs one indexed count.
    """
    if not rows:
        return []
    within_page = ranking.competition_ranks(rows, _rank_key)
    if offset == 0:
        return within_page
    first = 1 + Attempt.objects.filter(_better_than(_rank_key(rows[0])), exam=exam, is_counted=True).count()
    return [first if rank == 1 else offset + rank for rank in within_page]


def _ranks_of_scattered(exam: Exam, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Global ranks of rows picked out of the leaderboard (a unit's people): one query, none for one person's row
    when the exam's rank index (``rankindex``) answers.

    rank = 1 + the number of counting attempts strictly better (higher score, or same score in less time).
    """
    keys = sorted({_rank_key(r) for r in rows})
    if not keys:
        return []
    if len(keys) == 1:  # one person's row (a participant's own): from the rank index when there is one
        indexed = rankindex.tally(exam.pk, *keys[0])
        if indexed is not None:
            return [indexed[0] + 1] * len(rows)
    counted = Attempt.objects.filter(exam=exam, is_counted=True)
    if len(keys) <= 100:  # a page: count the better attempts for each key in one aggregate
        counts = counted.aggregate(**{f"k{i}": Count("pk", filter=_better_than(key)) for i, key in enumerate(keys)})
        by_key = {key: counts[f"k{i}"] + 1 for i, key in enumerate(keys)}
    else:  # a long list: walk the histogram of (score, time used)
        by_key, better = {}, 0
        for row in (
            counted.values("score", "time_used_seconds").annotate(n=Count("pk")).order_by("-score", "time_used_seconds")
        ):
            by_key[_rank_key(row)] = better + 1
            better += row["n"]
    return [by_key[_rank_key(r)] for r in rows]


def leaderboard_rank_rows(
    *, exam: Exam, rows: Sequence[Mapping[str, Any]], offset: int | None = None
) -> list[PersonRow]:
    """Complete rows of ``leaderboard_people_rows`` with names and competition ranks (ties: same score
    and time used). Pass ``offset``, the rows' position in the unfiltered leaderboard, when they are a
    contiguous page of it; leave it None for rows filtered ``within`` a unit. At most two queries.
    """
    ranks = _ranks_of_scattered(exam, rows) if offset is None else _ranks_of_contiguous(exam, rows, offset)
    people = (
        {
            p["pk"]: p
            for p in User.objects.filter(pk__in=[r["user_id"] for r in rows]).values(
                "pk", "real_name", "username", "unit__name"
            )
        }
        if rows
        else {}
    )
    return [_person_row(rank, r, people[r["user_id"]]) for rank, r in zip(ranks, rows, strict=True)]


def _person_row(rank: int, row: Mapping[str, Any], person: Mapping[str, Any]) -> PersonRow:
    """A ranked row from a row of ``leaderboard_people_rows`` and its person's ``real_name``, ``username`` and
    ``unit__name``: the name falls back to the account name, the unit to empty."""
    return PersonRow(
        rank=rank,
        user_id=row["user_id"],
        name=person["real_name"] or person["username"],
        unit_name=person["unit__name"] or "",
        score=row["score"],
        time_used_seconds=row["time_used_seconds"],
        submitted_at=row["submitted_at"],
        attempt_id=row["pk"],
        real_name=person["real_name"],
    )


PARTICIPANT_TOP = 20  # a participant sees this many leading rows of the person leaderboard, and their own


def leaderboard_rows_for_participant(
    *, exam: Exam, rows: Sequence[PersonRow], viewer_id: int | None
) -> list[PersonRow]:
    """Rows as a participant may see them: other people's names as the exam's ``leaderboard_names``
    says (full, masked like 张*明, or none), never an account name; their own row unchanged (None: every row
    as someone else's)."""
    return [
        row
        if row.user_id == viewer_id
        else replace(row, name=reporting.name_for_participant(exam.leaderboard_names, row.real_name))
        for row in rows
    ]


@dataclass(frozen=True)
class PeopleBoard:
    """What a results reader (organizer, HR) may page through of the person leaderboard: their subtree's rows
    with full names and global ranks (complete a page with ``people_page``). Participants read the cached top
    rows instead (``quizzes.caching.cached_participant_board``)."""

    rows: QuerySet[Attempt, Any]
    within: Unit | None


def people_board_for(*, exam: Exam, viewer: User) -> PeopleBoard:
    """A results reader's rows: their subtree's (everyone's for the superuser)."""
    within = scopes.staff_unit(viewer)
    return PeopleBoard(rows=leaderboard_people_rows(exam=exam, within=within), within=within)


class PeoplePage(NamedTuple):
    """One page of a staff board (``people_page``)."""

    rows: list[PersonRow]  # ranked, with full names
    me: PersonRow | None  # the viewer's own row when it is on the page (staff rarely sit)
    ranked_count: int  # how many people the exam ranks: the denominator of every rank, ranks being global


def people_page(
    *, exam: Exam, viewer: User, board: PeopleBoard, rows: Sequence[Mapping[str, Any]], start: int, listed: int
) -> PeoplePage:
    """One page of a staff ``board`` (rows from position ``start`` on) ranked, with full names, the viewer's own
    row when it is on the page, and how many are ranked. ``listed``: how many rows the whole board has (its
    paginator's count), which is everyone ranked when the board is not a subtree's (no query then).
    Participants read the cached top rows instead (``quizzes.caching.cached_participant_board``)."""
    ranked = leaderboard_rank_rows(exam=exam, rows=rows, offset=None if board.within is not None else start)
    everyone = listed if board.within is None else ranked_count(exam_id=exam.pk)
    return PeoplePage(ranked, next((row for row in ranked if row.user_id == viewer.pk), None), everyone)


def ranked_count(*, exam_id: int) -> int:
    """How many people the person leaderboard ranks (one counting attempt each): the denominator of every rank."""
    return Attempt.objects.filter(exam_id=exam_id, is_counted=True).count()


def leaderboard_people(*, exam: Exam, within: Unit | None = None) -> list[PersonRow]:
    """The whole person leaderboard, ranked (for exports and tests; the API pages it)."""
    rows = list(leaderboard_people_rows(exam=exam, within=within))
    return leaderboard_rank_rows(exam=exam, rows=rows, offset=0 if within is None else None)


def leaderboard_person_row(*, exam: Exam, user_id: int) -> PersonRow | None:
    """One person's ranked row (their counting attempt with their name and unit, global rank), or None if they
    have none, from the database: a participant's own row when the exam's rank index cannot give it (``own_row``).
    One indexed read, written out (the ORM's building of this read and of a second one for the name cost more
    than running them), then the rank from the exam's rank index, or one aggregate without it
    (``_ranks_of_scattered``)."""
    q = connection.ops.quote_name
    attempt, user, unit = (q(model._meta.db_table) for model in (Attempt, User, Unit))
    fields = ("id", "score", "time_used_seconds", "submitted_at")
    sql = (
        f"SELECT {', '.join('a.' + rawsql.column_of(Attempt, name) for name in fields)}, "
        f"u.{rawsql.column_of(User, 'real_name')}, u.{rawsql.column_of(User, 'username')}, "
        f"n.{rawsql.column_of(Unit, 'name')} FROM {attempt} a "
        f"JOIN {user} u ON u.{q('id')} = a.{rawsql.column_of(Attempt, 'user')} "
        f"LEFT JOIN {unit} n ON n.{q('id')} = u.{rawsql.column_of(User, 'unit')} "
        f"WHERE a.{rawsql.column_of(Attempt, 'exam')} = %s AND a.{rawsql.column_of(Attempt, 'user')} = %s "
        f"AND a.{rawsql.column_of(Attempt, 'is_counted')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [exam.pk, user_id])
        found = cursor.fetchall()
    if not found:
        return None
    (pk, score, used, submitted, real_name, username, unit_name), *_ = rawsql.rows_from_db(Attempt, fields, found)
    row = {"pk": pk, "user_id": user_id, "score": score, "time_used_seconds": used, "submitted_at": submitted}
    person = {"real_name": real_name, "username": username, "unit__name": unit_name}
    return _person_row(_ranks_of_scattered(exam, [row])[0], row, person)


class OwnRow(NamedTuple):
    """A participant's own row of the person leaderboard (``own_row``)."""

    row: PersonRow | None  # None: they have no counting attempt
    stored: bool  # their having none is already stored under ``when_unranked``'s key (by the rank index's read)


def own_row(*, exam: Exam, person: User, when_unranked: tuple[str, Any, int] | None = None) -> OwnRow:
    """``person``'s own ranked row, with their name and unit as ``person`` holds them (the signed-in participant):
    from the exam's rank index in one round trip and no query when it has it (``rankindex.own``, which also stores
    ``when_unranked`` when they are not ranked), else from the database (``leaderboard_person_row``)."""
    indexed = rankindex.own(exam.pk, person.pk, when_unranked=when_unranked)
    if indexed == rankindex.UNRANKED:
        return OwnRow(None, when_unranked is not None)
    if indexed is None:
        return OwnRow(leaderboard_person_row(exam=exam, user_id=person.pk), False)
    assert isinstance(indexed, rankindex.Own)
    return OwnRow(placed_row(indexed, person), False)


def _names_of(person: User) -> dict[str, Any]:
    """``person``'s names and unit's name, as ``_person_row`` takes them."""
    unit_name = person.unit.name if person.unit is not None else None
    return {"real_name": person.real_name, "username": person.username, "unit__name": unit_name}


def own_row_made_of(index_row: str, person: User) -> tuple[Any, ...]:
    """Everything ``counted_row`` makes ``person``'s row of, but the rank: their counted attempt as the rank index
    keeps it (its row's text, ``rankindex.Counted.row``), their names and their unit's name."""
    return index_row, *_names_of(person).values()


def placed_row(placed: rankindex.Own, person: User) -> PersonRow:
    """``person``'s own ranked row from their place in the exam's rank index (``rankindex.own``), with their name and
    unit as ``person`` holds them (the signed-in participant)."""
    return counted_row(placed.counted, placed.better + 1, person)


def counted_row(counted: rankindex.Counted, rank: int, person: User) -> PersonRow:
    """``person``'s row at ``rank`` for their counted attempt as the rank index keeps it."""
    row = {
        "pk": counted.attempt_id,
        "user_id": person.pk,
        "score": counted.score,
        "time_used_seconds": counted.time_used_seconds,
        "submitted_at": counted.submitted_at,
    }
    return _person_row(rank, row, _names_of(person))


def attempt_rank(*, attempt: Attempt) -> tuple[int | None, int]:
    """(competition rank of this person's counting attempt, number of ranked people). One query when
    ``attempt`` is the one that counts (as after most submits), two otherwise."""
    mine: Mapping[str, Any] | None = (
        {"score": attempt.score, "time_used_seconds": attempt.time_used_seconds}
        if attempt.is_counted
        else Attempt.objects.filter(exam_id=attempt.exam_id, is_counted=True, user_id=attempt.user_id)
        .values("score", "time_used_seconds")
        .first()
    )
    if mine is None:
        return None, ranked_count(exam_id=attempt.exam_id)
    better, total = _rank_tally(attempt.exam_id, _rank_key(mine))
    return 1 + better, total


def _rank_tally(exam_id: int, key: RankKey) -> tuple[int, int]:
    """(counted attempts better than ``key``, counted attempts) of the exam: from its rank index in Redis
    (``rankindex``: O(log n)) when there is one; else the aggregate of ``Count(filter=_better_than(key))`` over every
    counted attempt, written out (``rawsql``): it runs on every submit, and building it with the ORM cost more CPU
    than the rest of the submit's result."""
    score, used = key
    indexed = rankindex.tally(exam_id, score, used)
    if indexed is not None:
        return indexed
    t = connection.ops.quote_name(Attempt._meta.db_table)
    s, u = rawsql.column_of(Attempt, "score"), rawsql.column_of(Attempt, "time_used_seconds")
    sql = (
        f"SELECT COALESCE(SUM(CASE WHEN {s} > %s OR ({s} = %s AND {u} < %s) THEN 1 ELSE 0 END), 0), COUNT(*) "
        f"FROM {t} WHERE {rawsql.column_of(Attempt, 'exam')} = %s AND {rawsql.column_of(Attempt, 'is_counted')} = %s"
    )
    prepared = Attempt._meta.get_field("score").get_db_prep_value(score, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [prepared, prepared, used, exam_id, True])
        better, total = cursor.fetchone()
    return int(better), int(total)


def audience_paths_of(exam: Exam) -> list[str]:
    """The paths of the exam's audience units: from the cached exam (``caching.cached_exam``) when it is one."""
    if exam.audience_paths is not None:
        return list(exam.audience_paths)
    return list(exam.audience_units.values_list("path", flat=True))


def people_q(exam: Exam, prefix: str = "", *, audience_paths: Sequence[str] | None = None) -> Q:
    """Whose results a unit ranking counts. A roster exam: its 应考 people, i.e. active participant
    accounts on the roster (``is_on_roster``) in an audience unit's subtree, as they are now. An open
    quiz: every participant account, self-signed-up public participants included. Staff (organizer,
    HR) accounts are never counted. ``prefix`` reaches the user from the queried model (``"user__"``)."""
    q = Q(**{f"{prefix}role": User.Role.PARTICIPANT})
    if exam.is_public:
        return q
    audience = Q(pk__in=[])
    if audience_paths is None:
        audience_paths = audience_paths_of(exam)
    for path in audience_paths:
        audience |= Q(**{f"{prefix}unit__path__startswith": path})
    return scopes.roster_person_q(prefix) & audience


@dataclass(frozen=True)
class UnitRow:
    rank: int
    unit_id: int
    unit_name: str
    headcount: int | None  # 应考: roster people now (None for an open quiz)
    participants: int  # 参考 (roster) or 人数 (open): people with a finished, counting attempt
    attempts: int  # 人次: their finished attempts
    participation_rate: Decimal | None  # participants / headcount (None: open quiz, or nobody on the roster)
    mean_score: Decimal | None  # over participants' counting attempts (None: nobody took part)
    pass_rate: Decimal | None
    excellent_rate: Decimal | None
    highest_score: Decimal | None
    lowest_score: Decimal | None


@dataclass(frozen=True)
class UnitBoard:
    kind: str  # "roster" (rates over the roster) or "open" (counts of people and attempts)
    excellent_percent: Decimal
    rows: list[UnitRow]


def unit_headcounts(*, exam: Exam, parent: Unit, audience_paths: Sequence[str] | None = None) -> dict[str, int]:
    """应考 of a roster exam in ``parent``'s subtree: its roster people (``people_q``) now, by the path of their own
    unit (rolled up by ``leaderboard_units``). One query over the people, whatever the exam's results: it changes
    with the roster and the exam's audience, never with a submit, so that ``caching.cached_unit_headcounts`` keeps it
    while the submits move the ranking on. Empty for an open quiz (no roster). ``audience_paths``: as ``people_q``'s."""
    if exam.is_public:
        return {}
    people = User.objects.filter(people_q(exam, audience_paths=audience_paths), scopes.subtree_q(parent, "unit"))
    with rawsql.planned_each_time():  # its subtree's pattern: never a generic plan
        return dict(people.values_list("unit__path").annotate(n=Count("pk")).order_by())


def leaderboard_units(
    *,
    exam: Exam,
    parent: Unit | None = None,
    primary: str = "participation_rate",
    headcounts: Mapping[str, int] | None = None,
) -> UnitBoard:
    """Rank the child units of ``parent`` (default: the exam's own unit), each rolled up over its subtree.

    For a roster exam: headcount (应考) = the roster people (``people_q``) in the subtree now;
    participants (参考) = those of them with a finished, counting attempt; participation rate =
    participants / headcount. For an open quiz there is no roster: participants (人数) and attempts (人次)
    count everyone who took part and the participation rate is None. Mean score, pass rate, excellent
    rate (≥ the top grade band) and highest and lowest score are over the participants' counting
    attempts. Ranked by ``quizzes.ranking.rank_units`` on the chosen key, then the others.

    Four queries whatever the size (two for an open quiz): the child units, the audience, the headcounts
    (``unit_headcounts``: none when the caller passes them, as the cached board does) and one GROUP BY unit over the
    exam's finished attempts of those people, counting and not. The last one reads the exam's attempts only, so
    that recomputing the ranking after a submit costs what the exam's results cost, not a scan of the whole
    city's people; the roll-up to the children runs over those per-unit aggregates (a unit's path starts with its
    ancestors'). Both aggregates are planned for their own subtree (``rawsql.planned_each_time``).
    """
    parent = parent or exam.unit
    children = list(Unit.objects.filter(parent=parent).order_by("sort_order", "path")) or [parent]
    key_length = len(children[0].path)
    audience = [] if exam.is_public else audience_paths_of(exam)
    excellent = reporting.excellent_percent(exam.grade_bands)
    totals: dict[str, dict[str, Any]] = {}
    if headcounts is None:
        headcounts = unit_headcounts(exam=exam, parent=parent, audience_paths=audience)
    for path, headcount in headcounts.items():
        totals.setdefault(path[:key_length], _empty_totals())["headcount"] += headcount
    # One row per person counts (attempt_one_counted_per_person); the finished attempts that do not count (second
    # sittings; few) add to 人次 only. The people are those whom people_q counts now, as for the headcounts.
    counted = Q(is_counted=True)
    by_unit = (
        Attempt.objects.filter(
            people_q(exam, "user__", audience_paths=audience),
            scopes.subtree_q(parent, "user__unit"),
            ~Q(status=Attempt.Status.IN_PROGRESS),
            exam=exam,
        )
        .values("user__unit__path")
        .annotate(
            n=Count("pk", filter=counted),
            extra=Count("pk", filter=~counted),
            total=Sum("score", filter=counted),
            passed=Count("pk", filter=counted & Q(passed=True)),
            excellent=Count(
                "pk", filter=counted & Q(GreaterThanOrEqual(F("score") * 100, F("max_score") * Value(excellent)))
            ),
            highest=Max("score", filter=counted),
            lowest=Min("score", filter=counted),
        )
        .order_by()
    )
    with rawsql.planned_each_time():  # the subtree's and the audience's patterns: never a generic plan
        aggregates = list(by_unit)
    for agg in aggregates:
        into = totals.setdefault(agg["user__unit__path"][:key_length], _empty_totals())
        for name in ("n", "extra", "passed", "excellent"):
            into[name] += agg[name]
        into["total"] += agg["total"] or Decimal(0)
        into["scores"] += [score for score in (agg["highest"], agg["lowest"]) if score is not None]
    unranked = [_unit_row(exam, child, totals.get(child.path, _empty_totals())) for child in children]
    order = ranking.unit_order(primary, open_quiz=exam.is_public)
    return UnitBoard(
        kind="open" if exam.is_public else "roster",
        excellent_percent=excellent,
        rows=[UnitRow(rank=rank, **row) for rank, row in ranking.rank_units(unranked, order)],
    )


def _empty_totals() -> dict[str, Any]:
    return {"headcount": 0, "n": 0, "extra": 0, "total": Decimal(0), "passed": 0, "excellent": 0, "scores": []}


def _unit_row(exam: Exam, unit: Unit, t: dict[str, Any]) -> dict[str, Any]:
    n, headcount = t["n"], t["headcount"]

    def rate(part: int, whole: int) -> Decimal | None:
        return scoring.percent_of(Decimal(part), Decimal(whole)) if whole else None

    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "headcount": None if exam.is_public else headcount,
        "participants": n,
        "attempts": n + t["extra"],
        "participation_rate": None if exam.is_public else rate(n, headcount),
        "mean_score": (t["total"] / n).quantize(scoring.CENT) if n else None,
        "pass_rate": rate(t["passed"], n),
        "excellent_rate": rate(t["excellent"], n),
        "highest_score": max(t["scores"]) if t["scores"] else None,
        "lowest_score": min(t["scores"]) if t["scores"] else None,
    }
