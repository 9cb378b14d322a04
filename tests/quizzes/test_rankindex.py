"""The rank index (quizzes/rankindex.py): the Redis sorted set that answers "how many counted attempts are better,
and how many are there" in O(log n) must say what the database says, through every way counted attempts change.
Only with Redis as the cache (the PostgreSQL + Redis run); without it the database counts (tests elsewhere)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin as django_admin
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from config.cache import reachable_redis
from quizzes import caching, leaderboards, rankindex
from quizzes.admin import AttemptAdmin
from quizzes.models import Attempt

pytestmark = [
    pytest.mark.django_db(transaction=True),  # keep() runs when a transaction commits
    pytest.mark.skipif(not settings.REDIS_URL, reason="the rank index lives in Redis"),
]


def _person(tree: Any, n: int) -> User:
    return user_create(username=f"1390000{n:04d}", password=None, real_name=f"人{n}", unit=tree.town_a)


def _counted(exam: Any, user: User, score: str, used: int, number: int = 1) -> Attempt:
    """A finished, counted attempt, written as a finalisation would leave it, and told as it tells it."""
    started = timezone.now() - timedelta(hours=1)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            exam=exam,
            user=user,
            number=number,
            status=Attempt.Status.SUBMITTED,
            started_at=started,
            deadline=started + timedelta(hours=2),
            submitted_at=started + timedelta(seconds=used),
            score=Decimal(score),
            max_score=Decimal(100),
            passed=Decimal(score) >= 60,
            time_used_seconds=used,
            is_counted=True,
        )
        caching.attempt_finalised(exam.pk, user_id=user.pk, counted=attempt)
    return attempt


def _database(exam: Any, score: str, used: int) -> tuple[int, int]:
    counted: list[tuple[Decimal, int]] = [
        (s or Decimal(0), u or 0)
        for s, u in Attempt.objects.filter(exam=exam, is_counted=True).values_list("score", "time_used_seconds")
    ]
    better = sum(1 for s, u in counted if s > Decimal(score) or (s == Decimal(score) and u < used))
    return better, len(counted)


def _live_index(exam: Any) -> tuple[Any, str]:
    """(the Redis client, the key of the exam's index of its current rank generation)."""
    backend = reachable_redis()
    assert backend is not None
    client = backend.client()
    generation = client.get(backend.make_key(rankindex.generation_key(exam.pk))) or b"0"
    return client, backend.make_key(rankindex._index_prefix(exam.pk)) + generation.decode()


PROBES = [("100", 1), ("90", 100), ("90", 300), ("90", 301), ("80", 50), ("0", 0), ("75.5", 10)]


def _agrees(exam: Any) -> None:
    for score, used in PROBES:
        assert rankindex.tally(exam.pk, Decimal(score), used) == _database(exam, score, used), (score, used)


def test_the_index_counts_what_the_database_counts_with_ties_on_score_and_time(exam, tree, monkeypatch):
    assert rankindex.tally(exam.pk, Decimal(50), 10) == (0, 0)  # built from nothing: no one ranked yet
    for n, (score, used) in enumerate([("90", 300), ("90", 300), ("90", 120), ("95", 900), ("60", 30), ("90.5", 1)]):
        _counted(exam, _person(tree, n), score, used)  # each one's entry added after its commit
    _agrees(exam)

    asked: list[int] = []

    def counted_attempts(exam_id: int) -> list[Any]:
        asked.append(exam_id)
        return []

    monkeypatch.setattr(rankindex, "_counted_attempts", counted_attempts)
    assert leaderboards._rank_tally(exam.pk, (Decimal("90"), 300)) == (3, 6)  # 95, 90.5, 90 in 120 s
    assert asked == []  # from the index: not built again, not counted in the database


def test_a_persons_later_counted_attempt_replaces_their_entry(exam, tree):
    someone, other = _person(tree, 1), _person(tree, 2)
    _counted(exam, other, "70", 100)
    first = _counted(exam, someone, "50", 100)
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (1, 2)
    Attempt.objects.filter(pk=first.pk).update(is_counted=False)  # as attempts_update_counted does, then:
    better = _counted(exam, someone, "80", 100, number=2)
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (2, 2)  # one entry per person: now their 80
    Attempt.objects.filter(pk=better.pk).update(is_counted=False)
    with transaction.atomic():
        caching.attempt_finalised(exam.pk, user_id=someone.pk, counted=None)  # none of theirs counts
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (1, 1)
    _agrees(exam)


def test_a_submit_committed_while_the_index_is_built_is_in_it(exam, tree, monkeypatch):
    _counted(exam, _person(tree, 1), "70", 100)
    read = rankindex._counted_attempts

    def read_then_another_submit_commits(exam_id: int) -> list[Any]:
        rows = read(exam_id)  # the builder's read is done; this submit is not in it
        _counted(exam, _person(tree, 2), "85", 100)
        return rows

    monkeypatch.setattr(rankindex, "_counted_attempts", read_then_another_submit_commits)
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (2, 2)
    _agrees(exam)
    _own_rows_agree(exam, list(User.objects.filter(attempts__exam=exam)))  # its row too


def test_one_builder_at_a_time_the_others_count_in_the_database(exam, tree, monkeypatch):
    _counted(exam, _person(tree, 1), "70", 100)
    client, live = _live_index(exam)
    client.set(live + ":builder", "another worker", ex=30)

    assert rankindex.tally(exam.pk, Decimal(60), 0) is None
    assert leaderboards._rank_tally(exam.pk, (Decimal(60), 0)) == (1, 1)  # the database's count


def test_what_else_changes_counted_attempts_makes_the_index_built_afresh(exam, tree):
    attempts = [_counted(exam, _person(tree, n), score, 100) for n, score in enumerate(["90", "80", "70"])]
    assert rankindex.tally(exam.pk, Decimal(75), 0) == (2, 3)

    with transaction.atomic():  # a regrade: scores change in bulk, and it says so
        Attempt.objects.filter(pk=attempts[2].pk).update(score=Decimal(95))
        caching.exam_changed(exam.pk)
    assert rankindex.tally(exam.pk, Decimal(75), 0) == (3, 3)

    attempts[0].delete()  # as the admin deletes one (the signal moves the generation)
    assert rankindex.tally(exam.pk, Decimal(75), 0) == (2, 2)
    _agrees(exam)


def test_an_index_lives_at_most_its_ttl(exam, tree):
    _counted(exam, _person(tree, 1), "70", 100)
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (1, 1)
    client, live = _live_index(exam)
    ttl = client.ttl(live)
    assert 0 < ttl <= rankindex.TTL
    assert 0 < client.ttl(rankindex.rows_key(live)) <= rankindex.TTL  # its rows with it


def test_a_lost_generation_never_serves_an_index_kept_under_an_older_one(exam, tree):
    attempts = [_counted(exam, _person(tree, n), score, 100) for n, score in enumerate(["90", "80"])]
    assert rankindex.tally(exam.pk, Decimal(85), 0) == (1, 2)
    client, _ = _live_index(exam)
    backend = reachable_redis()
    assert backend is not None
    client.delete(backend.make_key(rankindex.generation_key(exam.pk)))  # evicted (allkeys-lru), or Redis restarted
    Attempt.objects.filter(pk=attempts[1].pk).update(score=Decimal(99))  # and meanwhile a change it did not see

    assert rankindex.tally(exam.pk, Decimal(85), 0) == (2, 2)  # a new generation: built afresh


def test_a_score_changed_in_the_admin_ranks_at_once(exam, tree, admin_user):
    _, second = (_counted(exam, _person(tree, n), score, 100) for n, score in enumerate(["90", "80"]))
    assert rankindex.tally(exam.pk, Decimal(85), 0) == (1, 2)
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    second.score = Decimal(95)
    AttemptAdmin(Attempt, django_admin.site).save_model(request, second, SimpleNamespace(), change=True)  # type: ignore[arg-type]

    assert rankindex.tally(exam.pk, Decimal(85), 0) == (2, 2)
    _agrees(exam)


def _own_rows_agree(exam: Any, people: list[User]) -> None:
    """Each person's own row from the index is the one the database gives (``leaderboard_person_row``), without a
    query; someone without a counted attempt is not ranked."""
    for person in people:
        expected = leaderboards.leaderboard_person_row(exam=exam, user_id=person.pk)
        own = leaderboards.own_row(exam=exam, person=User.objects.select_related("unit").get(pk=person.pk))
        assert own.row == expected, person.username


def test_a_persons_own_row_comes_from_the_index_as_the_database_gives_it(exam, tree, django_assert_num_queries):
    people = [_person(tree, n) for n in range(5)]
    for person, (score, used) in zip(people, [("90", 300), ("90", 300), ("95.5", 120), ("60", 30)], strict=False):
        _counted(exam, person, score, used)  # people[4] never sat
    _own_rows_agree(exam, people)  # the first read built the index

    bob, nobody = User.objects.select_related("unit").get(pk=people[1].pk), people[4]
    with django_assert_num_queries(0):
        own = leaderboards.own_row(exam=exam, person=bob)
        assert rankindex.own(exam.pk, nobody.pk) == rankindex.UNRANKED
    assert own.row is not None
    assert (own.row.rank, own.row.name, own.row.unit_name) == (2, bob.real_name, tree.town_a.name)
    assert (own.row.score, own.row.time_used_seconds) == (Decimal(90), 300)

    later = _counted(exam, nobody, "99", 10)  # a submit after the index was built: its row is added with it
    counted = rankindex.Counted(nobody.pk, later.pk, Decimal(99), 10, later.submitted_at)
    assert rankindex.own(exam.pk, nobody.pk) == rankindex.Own(0, 5, nobody.pk, counted.row())
    _own_rows_agree(exam, people)
    Attempt.objects.filter(pk=later.pk).update(is_counted=False)
    with transaction.atomic():
        caching.attempt_finalised(exam.pk, user_id=nobody.pk, counted=None)  # none of theirs counts now
    assert rankindex.own(exam.pk, nobody.pk) == rankindex.UNRANKED
    _own_rows_agree(exam, people)


def test_an_index_without_rows_leaves_a_persons_own_row_to_the_database(exam, tree):
    """An index built by an earlier release has no rows beside it: a person's own row is read from the database,
    and a submit's entry does not start rows that would never expire."""
    alice, bob = _person(tree, 1), _person(tree, 2)
    _counted(exam, alice, "70", 100)
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (1, 1)  # built, with rows
    client, live = _live_index(exam)
    client.delete(rankindex.rows_key(live))  # as an earlier release built it

    assert rankindex.own(exam.pk, alice.pk) is None
    _own_rows_agree(exam, [alice])  # from the database
    _counted(exam, bob, "80", 100)
    assert rankindex.tally(exam.pk, Decimal(60), 0) == (2, 2)  # the entry is in the index
    assert not client.exists(rankindex.rows_key(live))
    assert rankindex.own(exam.pk, bob.pk) is None
    assert rankindex.own(exam.pk, _person(tree, 3).pk) == rankindex.UNRANKED  # the index alone says that


def test_someone_not_ranked_is_stored_for_the_board_in_the_same_round_trip(exam, tree):
    """The board's reader stores "not ranked" under its key (``when_unranked``), written as the cache writes it, in
    the round trip that found it, and nothing when the person is ranked."""
    ranked, nobody = _person(tree, 1), _person(tree, 2)
    _counted(exam, ranked, "70", 100)
    entry = ((1, 2), "-")
    assert rankindex.own(exam.pk, nobody.pk, when_unranked=("t:nobody", entry, 60)) == rankindex.UNRANKED
    assert cache.get("t:nobody") == entry
    backend = reachable_redis()
    assert backend is not None
    assert 0 < backend.client().ttl(backend.make_key("t:nobody")) <= 60
    assert isinstance(rankindex.own(exam.pk, ranked.pk, when_unranked=("t:ranked", entry, 60)), rankindex.Own)
    assert cache.get("t:ranked") is None


def test_a_row_that_is_not_the_persons_entry_leaves_their_own_row_to_the_database(exam, tree):
    """During an upgrade a server of an earlier release adds entries without rows: a person's later counted attempt
    then stands in the index beside the row of their earlier one, and that row is not shown."""
    alice = _person(tree, 1)
    first = _counted(exam, alice, "50", 100)
    assert rankindex.own(exam.pk, alice.pk) is not None  # built, with her row
    client, live = _live_index(exam)
    Attempt.objects.filter(pk=first.pk).update(is_counted=False)
    later = _counted(exam, alice, "80", 90, number=2)
    client.hset(
        rankindex.rows_key(live),
        str(alice.pk),
        rankindex.Counted(alice.pk, first.pk, Decimal(50), 100, first.submitted_at).row(),
    )

    assert rankindex.own(exam.pk, alice.pk) is None
    own = leaderboards.own_row(exam=exam, person=User.objects.select_related("unit").get(pk=alice.pk))
    assert own.row is not None and (own.row.attempt_id, own.row.score) == (later.pk, Decimal(80))  # the database's


def test_a_finalisation_stores_what_it_is_given_along_in_its_round_trip_index_or_not(exam, tree):
    """``keep``'s ``also`` (a submit's person's own row of the board: ``caching.rendering_own_rows``) is written as
    the cache writes it, whether or not the exam has a live index yet."""
    alice, bob = _person(tree, 1), _person(tree, 2)
    attempt = _counted(exam, alice, "70", 100)
    client, live = _live_index(exam)
    assert not client.exists(live)  # no index: no reader has built one
    rankindex.keep(exam.pk, alice.pk, rankindex.Counted.of_attempt(attempt), also=("t:alice", ("made", b"row", 1), 60))
    assert cache.get("t:alice") == ("made", b"row", 1)
    assert rankindex.own(exam.pk, alice.pk) is not None  # built
    later = rankindex.Counted.of_attempt(_counted(exam, bob, "80", 90))
    rankindex.keep(exam.pk, bob.pk, later, also=("t:bob", ("made", b"bob", 1), 60))
    assert cache.get("t:bob") == ("made", b"bob", 1)
    backend = reachable_redis()
    assert backend is not None
    assert 0 < backend.client().ttl(backend.make_key("t:bob")) <= 60
    own = rankindex.own(exam.pk, bob.pk)
    assert isinstance(own, rankindex.Own) and own.better == 0
