"""The cached unit ranking and exam statistics: served without queries, invalidated by the writes that
change them, and never stale after a commit (the generation is bumped again once the write commits).
Run on locmem here and on Redis in CI (REDIS_URL)."""

from __future__ import annotations

import dataclasses
import functools
import threading
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit, User
from accounts.services import user_create
from api.serializers.exams import person_row_json_at, person_rows_json
from quizzes import caching, leaderboards, reporting, selectors_stats
from quizzes.models import AttemptQuestion, Exam, Question, QuestionBank
from quizzes.selectors import personal_terms
from quizzes.services.attempts import attempt_start, attempt_submit, attempts_close_overdue
from quizzes.services.banks import question_update
from quizzes.services.exams import RuleSpec, exam_create, exam_publish, exam_update
from quizzes.services.overrides import overrides_grant
from tests.api.test_roster_import import GOOD_ROWS, imported, login
from tests.conftest import PASSWORD, People, Tree, admin_person_form, app_login, statement_name

pytestmark = pytest.mark.django_db

RANKING_QUERIES = 4  # leaderboard_units given its parent: child units, audience, headcounts, attempts


def sit(username: str, exam: Exam, *, correct: int) -> None:
    """Sit ``exam`` through the API, answering the first ``correct`` questions right; the submit's commit runs what it
    schedules (the rank index takes the person), as outside a test's transaction."""
    client = app_login(username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    keys = {aq.question_id: aq.answer for aq in AttemptQuestion.objects.filter(attempt_id=paper["id"])}
    for seq, q in enumerate(paper["questions"][:correct], start=1):
        client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}",
            {"choices": keys[q["question_id"]], "seq": seq},
            format="json",
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/api/v1/attempts/{paper['id']}/submit").status_code == 200


def row(board: leaderboards.UnitBoard, unit_id: int) -> leaderboards.UnitRow:
    return next(r for r in board.rows if r.unit_id == unit_id)


def test_a_cached_ranking_is_served_without_queries(exam: Exam, people: People, django_assert_num_queries: Any) -> None:
    sit(people.alice.username, exam, correct=7)
    board = caching.cached_leaderboard_units(exam=exam)
    assert board == leaderboards.leaderboard_units(exam=exam)
    with django_assert_num_queries(0):
        assert caching.cached_leaderboard_units(exam=exam) == board
    # each parent and order is a value of its own
    by_mean = caching.cached_leaderboard_units(exam=exam, parent=exam.unit, primary="mean_score")
    assert by_mean == leaderboards.leaderboard_units(exam=exam, primary="mean_score")


def test_the_unit_endpoint_reads_the_cache(exam: Exam, people: People) -> None:
    sit(people.alice.username, exam, correct=7)
    client = app_login(people.organizer.username)
    with CaptureQueriesContext(connection) as first:
        board = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()
    with CaptureQueriesContext(connection) as second:
        assert client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json() == board
    # only the session and access remain (the requester comes from the cache, where the login put them:
    # accounts/usercache.py); the ranking read the audience from the cached exam (caching.cached_exam), one
    # query fewer than from a loaded one
    assert len(second) == len(first) - (RANKING_QUERIES - 1)


def test_a_submit_through_the_api_shows_in_the_next_read(exam: Exam, people: People, tree: Tree) -> None:
    before = caching.cached_leaderboard_units(exam=exam)
    assert row(before, tree.town_a.pk).participants == 0
    sit(people.alice.username, exam, correct=7)
    after = caching.cached_leaderboard_units(exam=exam)
    assert row(after, tree.town_a.pk).participants == 1 and row(after, tree.town_a.pk).mean_score == 100


def test_a_submit_recomputes_the_ranking_from_the_attempts_with_the_headcounts_kept(
    exam: Exam, people: People, tree: Tree
) -> None:
    """The headcounts (应考) change with the roster and the audience, not with a submit: after one, the ranking is
    computed again from the exam's attempts, and the city's people are not counted again."""
    before = caching.cached_leaderboard_units(exam=exam)
    sit(people.alice.username, exam, correct=7)
    with CaptureQueriesContext(connection) as recomputed:
        after = caching.cached_leaderboard_units(exam=exam)
    assert after == leaderboards.leaderboard_units(exam=exam)  # the same as computed from scratch
    assert row(after, tree.town_a.pk).participants == 1 and row(after, tree.town_a.pk).headcount == (
        row(before, tree.town_a.pk).headcount
    )
    tables = [statement_name(query["sql"]).split()[1] for query in recomputed.captured_queries]
    assert len(tables) == RANKING_QUERIES - 1  # no headcounts
    assert "accounts_user" not in tables and tables.count("quizzes_attempt") == 1


def test_a_regrade_invalidates(exam: Exam, people: People, tree: Tree) -> None:
    sit(people.alice.username, exam, correct=7)
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_a.pk).mean_score == 100
    question = Question.objects.filter(kind="single").order_by("pk").first()
    assert question is not None
    question_update(question=question, answer=["D"])
    organizer = app_login(people.organizer.username)
    response = organizer.post(f"/api/v1/exams/{exam.pk}/regrade", {"question_id": question.pk}, format="json")
    assert response.status_code == 200 and response.json()["regraded_attempts"] == 1
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_a.pk).mean_score == 90


def test_a_roster_commit_invalidates_headcounts(exam: Exam, people: People, tree: Tree) -> None:
    before = sum(r.headcount or 0 for r in caching.cached_leaderboard_units(exam=exam).rows)
    imported(login(people.organizer), GOOD_ROWS)
    after = sum(r.headcount or 0 for r in caching.cached_leaderboard_units(exam=exam).rows)
    assert after == before + len(GOOD_ROWS)


def test_a_new_account_and_an_exam_edit_invalidate(exam: Exam, people: People, tree: Tree) -> None:
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_b.pk).headcount == 1
    user_create(username="13800000009", password=PASSWORD, real_name="周九", unit=tree.town_b)
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_b.pk).headcount == 2
    exam_update(exam=exam, audience_units=[tree.town_a])
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_b.pk).headcount == 0


def admin_edit(client: Client, person: User, **changes: Any) -> None:
    """Save ``person`` through the Django admin's change form, with ``changes`` to its fields."""
    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]), admin_person_form(person, **changes)
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def test_a_person_moved_deactivated_or_deleted_in_the_admin_counts_at_once(
    exam: Exam, people: People, tree: Tree, django_assert_num_queries: Any
) -> None:
    """The admin is the superuser's way to move or deactivate one person. 应考 follows at once, as after a roster
    import, not after the cache's TTL; an edit that changes no one's count leaves the cached ranking be."""
    admin = Client()
    admin.force_login(user_create(username="root", password=None, is_superuser=True))

    def headcounts() -> tuple[int | None, int | None]:
        board = caching.cached_leaderboard_units(exam=exam)
        return row(board, tree.town_a.pk).headcount, row(board, tree.town_b.pk).headcount

    assert headcounts() == (2, 1)  # alice and carol in town A (its office included), bob in town B
    admin_edit(admin, people.bob, phone="13933330002")
    with django_assert_num_queries(0):
        assert headcounts() == (2, 1)
    admin_edit(admin, people.bob, is_active=None)  # the box unticked
    assert headcounts() == (2, 0)
    admin_edit(admin, people.alice, unit=tree.town_b.pk)
    assert headcounts() == (1, 1)
    response = admin.post(reverse("admin:accounts_user_delete", args=[people.carol.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert headcounts() == (0, 1)


def test_the_cached_exam_carries_who_holds_an_override_unless_too_many(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who holds an override or make-up comes with the cached exam, for the starts (``selectors.personal_terms``);
    an exam with more of them than ``OVERRIDERS_KEPT`` carries none, and a start reads the person's own."""
    cached = caching.cached_exam(exam.pk)
    assert cached is not None and cached.override_user_ids == frozenset()
    definition = caching._generations(caching.exam_definition_key(exam.pk))
    overrides_grant(exam=exam, user_ids=[people.alice.pk, people.bob.pk], extra_seconds=60, reason="停电")
    cached = caching.cached_exam(exam.pk)
    assert cached is not None and cached.override_user_ids == {people.alice.pk, people.bob.pk}
    # the rest cached under the exam's definition (the unit ranking's headcounts) is kept
    assert caching._generations(caching.exam_definition_key(exam.pk)) == definition
    monkeypatch.setattr(caching, "OVERRIDERS_KEPT", 1)
    caching.overrides_changed(exam.pk)
    cached = caching.cached_exam(exam.pk)
    assert cached is not None and cached.override_user_ids is None
    assert [t.extra_seconds for t in personal_terms(exam=cached, user_id=people.alice.pk)] == [60]
    assert personal_terms(exam=cached, user_id=people.carol.pk) == []


def test_the_periodic_close_of_overdue_attempts_invalidates(exam: Exam, people: People, tree: Tree) -> None:
    attempt, _ = attempt_start(exam=exam, user=people.bob)
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_b.pk).attempts == 0
    assert attempts_close_overdue(now=attempt.deadline + (exam.closes_at - exam.opens_at)) == 1
    assert row(caching.cached_leaderboard_units(exam=exam), tree.town_b.pk).attempts == 1


def test_the_generation_is_bumped_again_on_commit(
    exam: Exam, people: People, tree: Tree, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """A reader that read the database before the submit committed may store that state under the
    generation it saw; the bump after the commit makes sure it is never served afterwards."""
    attempt, _ = attempt_start(exam=exam, user=people.alice)
    key = caching.exam_key(exam.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attempt_submit(attempt_id=attempt.pk, user=people.alice)
    assert len(callbacks) == 2  # the boards' generation bumped again, and the person's entry in the rank index
    generation = cache.get(key)

    stale = leaderboards.UnitBoard(kind="roster", excellent_percent=Decimal(90), rows=[])
    with monkeypatch.context() as patched:  # the pre-commit state, as a concurrent reader saw it
        patched.setattr(leaderboards, "leaderboard_units", lambda **kwargs: stale)
        assert caching.cached_leaderboard_units(exam=exam) is stale
    assert caching.cached_leaderboard_units(exam=exam) == stale  # without the commit's bump: served

    callbacks[0]()  # the transaction commits
    assert cache.get(key) == generation + 1
    fresh = caching.cached_leaderboard_units(exam=exam)
    assert fresh != stale and row(fresh, tree.town_a.pk).participants == 1


def test_a_lost_generation_starts_above_the_old_ones(exam: Exam, people: People) -> None:
    caching.cached_leaderboard_units(exam=exam)
    key = caching.exam_key(exam.pk)
    old = cache.get(key)
    cache.delete(key)
    caching.exam_changed(exam.pk)  # a bump on a lost generation
    assert cache.get(key) > old
    cache.delete(key)
    caching.cached_leaderboard_units(exam=exam)  # a read on a lost generation
    assert cache.get(key) > old


def test_statistics_are_cached_and_invalidated(
    exam: Exam, people: People, tree: Tree, django_assert_num_queries: Any
) -> None:
    sit(people.alice.username, exam, correct=7)
    stats = caching.cached_exam_stats(exam=exam, unit=tree.city)
    assert stats == selectors_stats.exam_stats(exam=exam, unit=tree.city)
    with django_assert_num_queries(0):
        assert caching.cached_exam_stats(exam=exam, unit=tree.city) == stats
    assert stats.attempt_count == 1
    sit(people.bob.username, exam, correct=3)
    assert caching.cached_exam_stats(exam=exam, unit=tree.city).attempt_count == 2
    question = Question.objects.order_by("pk").first()
    assert question is not None
    question_update(question=question, stem="改过的题干。")
    items = caching.cached_exam_stats(exam=exam, unit=tree.city).items
    assert next(i for i in items if i.question_id == question.pk).stem == "改过的题干。"


def test_a_participants_board_is_cached_until_a_submit(
    exam: Exam,
    people: People,
    monkeypatch: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The top rows and the viewer's own row (off the top rows: here the top is one row) are read once per
    exam generation; a submit shows at once; someone who never sat is cached as nobody."""
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 1)
    sit(people.alice.username, exam, correct=5)
    sit(people.bob.username, exam, correct=3)
    board = functools.partial(caching.cached_participant_board, exam=exam, render=list)  # rows as they are
    top, me, ranked = board(viewer=people.bob)
    assert [row.user_id for row in top] == [people.alice.pk] and ranked == 2  # the top is one row of two ranked
    assert me is not None and (me.user_id, me.rank) == (people.bob.pk, 2)
    with django_assert_num_queries(0):
        assert board(viewer=people.bob) == (top, me, 2)
    assert board(viewer=people.carol).me is None
    with django_assert_num_queries(0):
        assert board(viewer=people.carol).me is None
    with django_capture_on_commit_callbacks(execute=True):  # as its commit does (the rank index takes carol)
        sit(people.carol.username, exam, correct=7)  # the submit bumps the exam's generation
    top, me, ranked = board(viewer=people.bob)
    assert [row.user_id for row in top] == [people.carol.pk] and me is not None and me.rank == 3 and ranked == 3


def test_a_participant_sees_the_cached_top_with_others_names_masked_and_their_own_whole(
    exam: Exam, people: People, django_assert_num_queries: Any
) -> None:
    """The top is rendered once per generation; each viewer's list puts their own row in whole."""
    Exam.objects.filter(pk=exam.pk).update(leaderboard_names=Exam.LeaderboardNames.MASKED)
    exam.refresh_from_db()
    sit(people.alice.username, exam, correct=5)
    sit(people.bob.username, exam, correct=3)
    rendered: list[int] = []

    def render(rows: list[leaderboards.PersonRow]) -> list[str | None]:
        rendered.append(len(rows))
        return [row.name for row in rows]

    alice, bob = people.alice.real_name, people.bob.real_name
    masked = functools.partial(reporting.name_for_participant, Exam.LeaderboardNames.MASKED)
    top, me, ranked = caching.cached_participant_board(exam=exam, viewer=people.alice, render=render)
    assert top == [alice, masked(bob)] and me == alice and ranked == 2
    assert rendered == [2, 2]  # as others see the top, and whole
    with django_assert_num_queries(0):
        top, me, _ = caching.cached_participant_board(exam=exam, viewer=people.bob, render=render)
    assert top == [masked(alice), bob] and me == bob and rendered == [2, 2]
    top, me, _ = caching.cached_participant_board(exam=exam, viewer=people.carol, render=render)
    assert top == [masked(alice), masked(bob)] and me is None


def test_cited_articles_are_cached_per_library_and_follow_its_changes(tree: Tree, people: People) -> None:
    from quizzes.services.laws import law_text_create, law_text_delete

    basis = "《某县机关作风建设规定》第二条"
    with CaptureQueriesContext(connection) as first:
        assert caching.cited_article_texts(unit_id=tree.town_a.pk, legal_bases=[basis, ""]) == [[], []]
    assert len(first) == 1  # the library has no such text yet
    with CaptureQueriesContext(connection) as again:
        assert caching.cited_article_texts(unit_id=tree.town_a.pk, legal_bases=[basis]) == [[]]
    assert len(again) == 0
    law = law_text_create(
        unit=tree.town_a,
        name="某县机关作风建设规定",
        edition="2026年",
        lines=["第一条 为了改进作风，制定本规定。", "第二条 机关工作人员应当按时办结群众事项。"],
        created_by=people.organizer_a,
    )
    (texts,) = caching.cited_article_texts(unit_id=tree.town_a.pk, legal_bases=[basis])
    assert [t["text"] for t in texts] == ["机关工作人员应当按时办结群众事项。"]  # the new text, not the cached none
    assert caching.cited_article_texts(unit_id=tree.town_b.pk, legal_bases=[basis]) == [[]]  # another library
    law_text_delete(law=law)
    assert caching.cited_article_texts(unit_id=tree.town_a.pk, legal_bases=[basis]) == [[]]


# --- the exam as the hot reads' access checks see it (caching.cached_exam) ------------------------------------


def test_the_cached_exam_costs_no_query_and_follows_every_edit(
    exam: Exam, people: People, tree: Tree, django_assert_num_queries: Any
) -> None:
    from quizzes import selectors
    from quizzes.services.exams import exam_close

    cached = caching.cached_exam(exam.pk)
    assert cached is not None and cached.audience_paths == (tree.city.path,)
    with django_assert_num_queries(0):
        again = caching.cached_exam(exam.pk)
        assert again is not None and again.unit.name == tree.city.name
        assert selectors.user_in_audience(exam=again, user=people.alice)  # alice's unit came with her
    # the audience changes (exam_update sets it through the m2m): a town's exam no longer admits the other town
    exam_update(exam=exam, audience_units=[tree.town_b])
    moved = caching.cached_exam(exam.pk)
    assert moved is not None and moved.audience_paths == (tree.town_b.path,)
    assert not selectors.user_in_audience(exam=moved, user=people.alice)
    assert selectors.user_in_audience(exam=moved, user=people.alice) == selectors.user_in_audience(
        exam=Exam.objects.get(pk=exam.pk), user=people.alice
    )
    # a save outside the services (the admin) and a close
    Exam.objects.get(pk=exam.pk).save()  # bumps, with no change
    row = Exam.objects.get(pk=exam.pk)
    row.title = "改名后的考试"
    row.save()
    assert caching.cached_exam(exam.pk).title == "改名后的考试"  # type: ignore[union-attr]
    exam_close(exam=exam)
    assert caching.cached_exam(exam.pk).status == Exam.Status.CLOSED  # type: ignore[union-attr]
    # the owning unit renamed (the people generation)
    city = tree.city
    city.name = "新市名"
    city.save()
    assert caching.cached_exam(exam.pk).unit.name == "新市名"  # type: ignore[union-attr]
    assert caching.cached_exam(987654) is None


def test_a_unit_removed_from_the_audience_by_the_units_side_shows_too(exam: Exam, tree: Tree) -> None:
    assert caching.cached_exam(exam.pk).audience_paths == (tree.city.path,)  # type: ignore[union-attr]
    tree.city.audience_exams.remove(exam)  # the reverse side of Exam.audience_units
    assert caching.cached_exam(exam.pk).audience_paths == ()  # type: ignore[union-attr]


@pytest.mark.parametrize("board", ["units", "people", "units?order=mean_score"])
def test_a_cached_leaderboard_read_reads_the_exam_and_the_board_in_one_round_trip(
    exam: Exam, people: People, board: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The access check's exam and the board come in one ``get_many`` (``caching.cached_exam_and``): the board's
    key does not depend on the exam (the exam's own unit is ``top``)."""
    sit(people.alice.username, exam, correct=7)
    client = app_login(people.bob.username)
    first = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/{board}")
    assert first.status_code == 200
    asked = _recorded_reads(monkeypatch)
    again = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/{board}")
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"] == "application/json"
    exam_reads = _reads_of(exam, asked)
    assert len(exam_reads) == 1, asked
    [keys] = exam_reads
    assert f"exam:{exam.pk}:entry" in keys and caching.exam_key(exam.pk) in keys
    assert any(key.startswith((f"exam:{exam.pk}:units:top:", f"exam:{exam.pk}:people-top")) for key in keys)


def _recorded_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The keys of every cache read from now on, one list a round trip."""
    asked: list[list[str]] = []
    get_many, get = cache.get_many, cache.get
    inside: list[bool] = []  # locmem's get_many calls get for each key: one round trip all the same

    def recording_many(keys: Any, **kwargs: Any) -> Any:
        asked.append(list(keys))
        inside.append(True)
        try:
            return get_many(keys, **kwargs)
        finally:
            inside.pop()

    def recording(key: str, *args: Any, **kwargs: Any) -> Any:
        if not inside:
            asked.append([key])
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", recording_many)
    monkeypatch.setattr(cache, "get", recording)
    return asked


def _reads_of(exam: Exam, asked: list[list[str]]) -> list[list[str]]:
    return [keys for keys in asked if any(key.startswith(f"exam:{exam.pk}:") for key in keys)]


# --- what a worker read of exams and boards, under a request's snapshot (caching.ANY_KEY) --------------------

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="a request's snapshot is read in its session's Redis round trip"
)


@needs_redis
@pytest.mark.parametrize("board", ["units", "people", "units?order=mean_score"])
def test_a_board_read_again_under_the_same_snapshot_costs_no_round_trip_but_the_sessions(
    exam: Exam, people: People, board: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing moved since the worker read the exam and the board: it answers them itself. The first read computes
    the board, the second finds it in the cache (the worker keeps what is current, never a miss), the third asks
    nothing."""
    sit(people.alice.username, exam, correct=7)
    client = app_login(people.bob.username)
    first = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/{board}")
    assert client.get(f"/api/v1/exams/{exam.pk}/leaderboard/{board}").content == first.content
    asked = _recorded_reads(monkeypatch)
    third = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/{board}")
    assert third.status_code == 200 and third.content == first.content
    assert _reads_of(exam, asked) == [], asked


@needs_redis
def test_each_viewers_own_row_comes_with_their_session_so_a_board_the_worker_kept_costs_no_round_trip_more(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """The exam and the top rows are the same for every viewer and the worker keeps them; a viewer's own row is
    theirs alone, and a city's viewers are mostly new to the worker that serves them. Their row is read in their
    session's round trip (``caching.want_with_session``), so a read costs that round trip only: for someone the
    worker has not served (Carol, her row stored by another server), and for someone in the top rows, who has no
    row of their own stored (Alice)."""
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 1)  # Alice's row is the top, Carol's her own
    sit(people.alice.username, exam, correct=7)
    sit(people.carol.username, exam, correct=3)
    alice, carol = app_login(people.alice.username), app_login(people.carol.username)
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    first = {name: client.get(path) for name, client in (("alice", alice), ("carol", carol))}
    for name, client in (("alice", alice), ("carol", carol)):
        assert client.get(path).content == first[name].content
    carol_row = caching.own_row_made_prefix(exam.pk) + str(people.carol.pk)
    assert cache.get(carol_row) is not None  # in the cache, for every server
    assert caching._local_current.get(carol_row) is None  # ... and not kept by the worker: each read reads it
    asked = _recorded_reads(monkeypatch)
    with django_assert_num_queries(0):
        again = {name: client.get(path) for name, client in (("alice", alice), ("carol", carol))}
    assert _reads_of(exam, asked) == [], asked
    for name, response in again.items():
        assert response.status_code == 200 and response.content == first[name].content
    assert again["alice"].json()["me"]["rank"] == 1 and again["carol"].json()["me"]["rank"] == 2


@needs_redis
def test_a_viewers_own_row_read_with_their_session_is_not_read_again_when_the_board_is(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a submit the worker's copies are of another snapshot, and the exam and the board are read from the
    cache; the viewer's own row came with their session already, and is not asked for a second time."""
    sit(people.carol.username, exam, correct=3)
    carol = app_login(people.carol.username)
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    assert carol.get(path).json()["me"]["rank"] == 1
    sit(people.alice.username, exam, correct=7)  # gen:any moves
    asked = _recorded_reads(monkeypatch)
    board = carol.get(path).json()
    assert board["me"]["rank"] == 2 and board["ranked_count"] == 2
    [keys] = _reads_of(exam, asked)
    assert f"exam:{exam.pk}:people-top:v3" in keys
    assert caching.participant_board_keys(exam.pk, people.carol.pk)[1] not in keys


def _stores_and_scripts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What requests write to the cache of a person's own row (``set:`` and the key) and the rank index scripts they
    run for it (``own``); the top rows' writes are left out."""
    from config.cache import HeldConnectionScript
    from quizzes import rankindex

    done: list[str] = []
    set_, set_many, run = cache.set, cache.set_many, HeldConnectionScript.__call__

    def setting(key: str, *args: Any, **kwargs: Any) -> Any:
        if ":person" in key:
            done.append(f"set:{key}")
        return set_(key, *args, **kwargs)

    def setting_many(values: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        done.extend(f"set:{key}" for key in values if ":person" in key)
        return set_many(values, *args, **kwargs)

    def running(self: HeldConnectionScript, **given: Any) -> Any:
        if self.registered.script == rankindex.OWN:
            done.append("own")
        return run(self, **given)

    monkeypatch.setattr(cache, "set", setting)
    monkeypatch.setattr(cache, "set_many", setting_many)
    monkeypatch.setattr(HeldConnectionScript, "__call__", running)
    return done


@needs_redis
def test_the_submits_of_others_move_a_viewers_rank_without_a_round_trip_or_a_rendering_of_their_row(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A viewer's place in the exam's rank index comes with their session, and their row, rendered by their submit
    from their attempt and names, is read with it: each submit of another person moves their rank, and their next
    read puts the new rank into the row they had, as a rendering at that rank gives it (the JSON answered is the
    same)."""
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 1)
    sit(people.alice.username, exam, correct=5)
    sit(people.carol.username, exam, correct=3)
    carol = app_login(people.carol.username)
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    done = _stores_and_scripts(monkeypatch)
    me = carol.get(path).json()["me"]  # the submits' results built the rank index: her place comes with her session
    assert me["rank"] == 2 and me["name"] == people.carol.real_name
    assert done == []  # her row came with it: her submit stored it
    sit(people.bob.username, exam, correct=7)  # bob goes first: carol third
    done.clear()
    again = carol.get(path).json()
    assert again["me"] == {**me, "rank": 3} and again["ranked_count"] == 3
    assert done == []  # no round trip of her own, no store
    rendered = [row.decode() for row in person_rows_json(leaderboards.leaderboard_people(exam=exam))]
    assert carol.get(path).content.decode().count(rendered[2]) == 1  # byte for byte as a rendering at rank 3


@needs_redis
def test_an_attempt_finalised_without_the_api_leaves_the_own_row_to_the_boards_first_read(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finalisation that no submit's view asked to render for (the timer's, an overdue one at a start) stores no
    row: the person's first look renders and stores it, once."""
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 1)
    sit(people.alice.username, exam, correct=5)
    attempt, _ = attempt_start(exam=exam, user=people.carol)
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt_submit(attempt_id=attempt.pk, user=people.carol)
    carol = app_login(people.carol.username)
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    done = _stores_and_scripts(monkeypatch)
    me = carol.get(path).json()["me"]
    assert me["rank"] == 2 and me["name"] == people.carol.real_name
    assert done == [f"set:{caching.own_row_made_prefix(exam.pk)}{people.carol.pk}"]
    done.clear()
    assert carol.get(path).json()["me"] == me and done == []


def test_a_rendered_row_put_at_another_rank_is_that_rows_rendering_at_that_rank(exam: Exam, people: People) -> None:
    sit(people.alice.username, exam, correct=5)
    [row] = leaderboards.leaderboard_people(exam=exam)
    for rank in (1, 9, 10, 12345):
        [at_rank] = person_rows_json([dataclasses.replace(row, rank=rank)])
        for other in (1, 10, 777):
            [from_other] = person_rows_json([dataclasses.replace(row, rank=other)])
            assert person_row_json_at(from_other, rank) == at_rank


@needs_redis
def test_a_viewers_own_row_follows_their_own_submit_and_their_names(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row kept is what it was made of: a later counted attempt of theirs, or a new name, renders it again."""
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 1)
    sit(people.alice.username, exam, correct=7)
    sit(people.carol.username, exam, correct=2)
    carol = app_login(people.carol.username)
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    for _ in range(2):
        me = carol.get(path).json()["me"]
    assert me["rank"] == 2
    Exam.objects.filter(pk=exam.pk).update(max_attempts=2)
    caching.exam_definition_changed(exam.pk)
    sit(people.carol.username, exam, correct=4)  # her better attempt counts
    again = carol.get(path).json()["me"]
    assert again["rank"] == 2 and Decimal(again["score"]) > Decimal(me["score"])
    assert again["submitted_at"] != me["submitted_at"]
    User.objects.filter(pk=people.carol.pk).update(real_name="赵六")
    caching.people_changed()
    assert carol.get(path).json()["me"] == {**again, "name": "赵六"}


@needs_redis
def test_someone_not_ranked_reads_a_board_with_no_round_trip_or_store_of_their_own(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    sit(people.alice.username, exam, correct=7)
    bob = app_login(people.bob.username)
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    done = _stores_and_scripts(monkeypatch)
    for _ in range(2):
        assert bob.get(path).json()["me"] is None
    assert done == []  # the submit's result built the rank index, which says he is not ranked


@needs_redis
def test_a_submit_on_any_server_shows_in_the_next_read_of_a_board_the_worker_kept(
    exam: Exam, people: People, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A submit moves ``gen:any`` in Redis, whichever server it ran on: the next request's snapshot is another, and
    what the worker kept is not taken. Here the viewer's own row and the unit counts appear at once."""
    sit(people.alice.username, exam, correct=3)
    bob = app_login(people.bob.username)
    for _ in range(2):
        bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people")
        bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/units")
    asked = _recorded_reads(monkeypatch)
    people_board = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    units = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()
    assert _reads_of(exam, asked) == []  # answered by the worker
    assert people_board["me"] is None and people_board["ranked_count"] == 1
    assert next(r for r in units["results"] if r["unit_id"] == tree.town_b.pk)["participants"] == 0
    sit(people.bob.username, exam, correct=7)
    people_board = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    units = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()
    assert people_board["me"]["rank"] == 1 and people_board["ranked_count"] == 2
    assert next(r for r in units["results"] if r["unit_id"] == tree.town_b.pk)["participants"] == 1


@needs_redis
def test_without_a_snapshot_every_read_asks_the_cache(
    exam: Exam, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis lost ``gen:any`` (or never had it): no request has a snapshot, so none takes what the worker kept."""
    sit(people.alice.username, exam, correct=7)
    client = app_login(people.bob.username)
    for _ in range(2):
        client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units")
    cache.delete(caching.ANY_KEY)
    asked = _recorded_reads(monkeypatch)
    for _ in range(2):
        assert client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").status_code == 200
    assert len(_reads_of(exam, asked)) == 2, asked


@needs_redis
def test_the_starts_of_an_opening_take_the_questions_generation_from_the_worker(
    tree: Tree, bank: QuestionBank, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A random paper's draw needs the questions generation (``cached_rule_candidates``). At an exam's opening no
    generation moves, so after the first start the worker answers it under the request's snapshot; an edited
    question moves it, and the next start reads it again and draws the edited question."""
    now = timezone.now()
    exam = exam_create(
        unit=tree.city,
        created_by=None,
        audience_units=[tree.city],
        composition=Exam.Composition.RANDOM,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=5),
        rules=[RuleSpec(kind="single", bank_id=bank.pk, count=3, points=Decimal(10))],
    )
    exam = exam_publish(exam=exam)
    assert app_login(people.alice.username).post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 201
    bob, carol = app_login(people.bob.username), app_login(people.carol.username)
    asked = _recorded_reads(monkeypatch)
    assert bob.post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 201
    assert not [keys for keys in asked if caching.QUESTIONS_KEY in keys], asked
    single = Question.objects.filter(bank=bank, kind="single").order_by("pk")
    question_update(question=single[0], stem="改过的题干")
    paper = carol.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    assert [keys for keys in asked if caching.QUESTIONS_KEY in keys], asked
    assert "改过的题干" in [q["stem"] for q in paper["questions"]]  # all three singles are drawn


def test_a_request_that_moves_a_generation_reads_the_cache_from_then_on(exam: Exam) -> None:
    """What it would take from the worker may be older than its own write."""
    caching.offer_snapshot(41)
    caching.cached_exam(exam.pk)  # read from the cache, kept
    assert caching._kept([f"exam:{exam.pk}:entry"]) is not None
    caching.exam_changed(exam.pk)
    assert caching._kept([f"exam:{exam.pk}:entry"]) is None
    caching.offer_snapshot(41)  # a later request of the old snapshot would take it (none has: gen:any moved)
    assert caching._kept([f"exam:{exam.pk}:entry"]) is not None
    caching.offer_snapshot(None)


def test_the_worker_hands_out_copies_of_the_exam_it_kept(exam: Exam, django_assert_num_queries: Any) -> None:
    caching.offer_snapshot(7)
    title = exam.title
    caching.cached_exam(exam.pk)
    with django_assert_num_queries(0):
        kept = caching.cached_exam(exam.pk)
        assert kept is not None and kept.title == title
        kept.title = "改过的标题"
        kept.unit = Unit(name="别的单位")  # its related objects cache is its own too
        again = caching.cached_exam(exam.pk)
        assert again is not None and again.title == title and again is not kept
        # a whole exam, as the access checks read it: its unit and audience came along, and it is saved, not new
        assert again.unit.name == exam.unit.name and again.audience_paths == (exam.unit.path,)  # the city
        assert (again.pk, again._state.adding, again._state.db) == (exam.pk, False, "default")
    caching.offer_snapshot(None)


# --- one reader computes a missing value, the others wait for it (caching.computed_once) ----------------------


_sleep = time.sleep  # the test's own waits, untouched by the ``polling`` fixture's patch


def _in_thread(results: list[Any], call: Any) -> threading.Thread:
    def run() -> None:
        try:
            results.append(call())
        except Exception as error:  # reported to the test
            results.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def polling(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The threads seen polling in ``computed_once`` (through ``time.sleep``, the module it sleeps through), with a
    short ``COMPUTE_POLL``."""
    monkeypatch.setattr(caching, "COMPUTE_POLL", 0.001)
    seen: set[int] = set()

    def poll(seconds: float) -> None:
        seen.add(threading.get_ident())
        _sleep(seconds)

    monkeypatch.setattr(time, "sleep", poll)
    return seen


def _held(
    results: list[Any], computed: list[str], key: str, generations: tuple[int, ...], outcome: Any, **kwargs: Any
) -> tuple[threading.Thread, threading.Event]:
    """A reader that has claimed ``key`` and computes until released, then answers ``outcome`` (or raises it,
    an exception): its thread and its release. Each computation is noted in ``computed`` ("held" for this one)."""
    started, release = threading.Event(), threading.Event()

    def compute() -> Any:
        computed.append("held")
        started.set()
        assert release.wait(5)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    thread = _in_thread(results, lambda: caching.computed_once(key, generations, compute, **kwargs))
    assert started.wait(5)
    return thread, release


def _release_once_polling(release: threading.Event, waiters: list[threading.Thread], polling: set[int]) -> None:
    """Release the held computation once each waiter is seen waiting: a waiter that first ran after the computation
    had ended would rightly claim and compute anew."""
    deadline = time.monotonic() + 10
    while not {thread.ident for thread in waiters} <= polling and time.monotonic() < deadline:
        _sleep(0.001)
    release.set()


def test_readers_who_miss_the_same_generations_wait_for_the_one_computing(polling: set[int]) -> None:
    results: list[Any] = []
    computed: list[str] = []
    first, release = _held(results, computed, "test:board", (7, 1), "the board")

    def again() -> str:
        computed.append("again")
        return "computed twice"

    waiters = [_in_thread(results, lambda: caching.computed_once("test:board", (7, 1), again)) for _ in range(3)]
    other = caching.computed_once("test:board", (8, 1), lambda: "a newer generation")  # does not wait
    _release_once_polling(release, waiters, polling)
    for thread in [first, *waiters]:
        thread.join(10)
    assert results == ["the board"] * 4 and computed == ["held"]
    assert other == "a newer generation"
    assert cache.get("test:board:computing:7.1") is None and cache.get("test:board:computing:8.1") is None


def test_a_waiter_computes_when_the_computing_reader_fails(polling: set[int]) -> None:
    results: list[Any] = []
    first, release = _held(results, [], "test:failing", (1,), RuntimeError("the database went away"))
    waiter = _in_thread(results, lambda: caching.computed_once("test:failing", (1,), lambda: "computed by the waiter"))
    _release_once_polling(release, [waiter], polling)
    first.join(10)
    waiter.join(10)
    assert isinstance(results[0], RuntimeError) and results[1:] == ["computed by the waiter"]
    assert cache.get("test:failing")[1] == "computed by the waiter"


def test_a_value_that_may_lag_is_computed_by_one_reader_at_a_time_whatever_the_generations(
    polling: set[int],
) -> None:
    """While one reader computes the unit ranking for the newest submit, readers who saw still newer submits
    answer the last ranking at once instead of each computing their own; a reader alone computes at once."""
    caching.store_current({"test:units": "ranking of generation 1"}, (1,))
    results: list[Any] = []
    computed: list[str] = []
    first, release = _held(results, computed, "test:units", (2,), "ranking of generation 2", may_lag=True)

    def never() -> str:
        computed.append("never")
        return "computed beside the other"

    for generations in [(2,), (3,), (4,)]:  # the same generation or newer ones: the last ranking, no computing
        assert caching.computed_once("test:units", generations, never, may_lag=True) == "ranking of generation 1"
    release.set()
    first.join(10)
    assert results == ["ranking of generation 2"] and computed == ["held"]
    assert cache.get("test:units") == ((2,), "ranking of generation 2") and cache.get("test:units:computing") is None
    # nobody computing: the reader of a newer generation computes it at once (a submit shows on the next read)
    assert caching.computed_once("test:units", (4,), lambda: "ranking of generation 4", may_lag=True) == (
        "ranking of generation 4"
    )


def test_a_value_that_may_lag_is_computed_again_only_after_a_spacing_while_the_submits_go_on() -> None:
    """At an exam's close every submit moves the unit ranking's generation on, and each reader after a computation
    would find it stale and compute it again (328 times in the 20 s of a 2,000-taker exam day's submits). A
    computation during which the generation moved leaves its claim for ``LAG_SPACING`` seconds, and the readers
    until then answer its value."""
    generation = "test:submits"
    computed: list[str] = []

    def during_submits(label: str) -> Any:
        def compute() -> str:
            computed.append(label)
            caching._bump(generation)  # a submit while it computes
            return label

        return compute

    assert caching.cached("test:units", [generation], during_submits("first"), may_lag=True) == "first"
    caching._bump(generation)
    assert caching.cached("test:units", [generation], during_submits("second"), may_lag=True) == "first"
    assert computed == ["first"]  # the others answered the last value
    _sleep(caching.LAG_SPACING + 0.2)
    assert caching.cached("test:units", [generation], during_submits("third"), may_lag=True) == "third"
    assert computed == ["first", "third"]

    # nothing moved during a computation (a reader alone): no spacing, a submit shows on the next read
    assert caching.cached("test:quiet", [generation], lambda: "before", may_lag=True) == "before"
    assert cache.get("test:quiet:computing") is None
    caching._bump(generation)
    assert caching.cached("test:quiet", [generation], lambda: "after", may_lag=True) == "after"


def test_a_value_that_may_lag_and_was_never_computed_is_waited_for(polling: set[int]) -> None:
    """No ranking yet: the others wait for the one being computed, even for newer generations, rather than
    compute it beside it."""
    results: list[Any] = []
    computed: list[str] = []
    first, release = _held(results, computed, "test:first", (1,), "the first ranking", may_lag=True)
    waiters = [
        _in_thread(results, lambda g=g: caching.computed_once("test:first", g, lambda: "again", may_lag=True))
        for g in [(1,), (2,)]
    ]
    _release_once_polling(release, waiters, polling)
    for thread in [first, *waiters]:
        thread.join(10)
    assert results == ["the first ranking"] * 3 and computed == ["held"]


def test_what_a_worker_keeps_expires_and_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """``WorkerCopies``: a value for its seconds (or until dropped), and never more than ``most`` of them: past it,
    all go and are kept afresh as they are read again."""
    timed: caching.WorkerCopies[str, int] = caching.WorkerCopies(seconds=60, most=3)
    lasting: caching.WorkerCopies[str, int] = caching.WorkerCopies(seconds=None, most=3)
    timed.keep({"a": 1, "b": 2})
    lasting.keep({"a": 1})
    assert (timed.get("a"), timed.get("c"), lasting.get("a")) == (1, None, 1)
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert (timed.get("a"), lasting.get("a")) == (None, 1)
    lasting.keep({"b": 2, "c": 3})
    assert [lasting.get(key) for key in "abc"] == [1, 2, 3]
    lasting.keep({"d": 4})  # a fourth: afresh
    assert [lasting.get(key) for key in "abcd"] == [None, None, None, 4]
