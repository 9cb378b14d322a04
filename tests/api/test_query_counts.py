"""Hot paths use a fixed number of queries, whatever the paper's length (pinned numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from quizzes import leaderboards
from quizzes.models import Question
from quizzes.services.banks import bank_create, question_create
from tests.conftest import PASSWORD, app_login, make_exam, statement_name
from tests.quizzes.test_caching import sit

pytestmark = pytest.mark.django_db

# Numbers through HTTP with the app client (X-Session-Token). They include authentication: one session query
# where sessions live only in the database (the token's session is loaded once, not checked for and then loaded:
# api/authentication.py; with Redis the session engine, cached_db underneath, reads it from the cache:
# accounts/sessions.py);
# the person comes from the cache (accounts/usercache.py), where the login put them, and transaction savepoints.
SESSION_QUERIES = (
    0 if settings.SESSION_ENGINE in ("accounts.sessions", "django.contrib.sessions.backends.cached_db") else 1
)
# a result's rank: from the exam's rank index in Redis once the first reader has built it (in one read: the
# query it replaces; quizzes/rankindex.py), else one aggregate over the counted attempts
RANK_QUERIES = 0 if isinstance(caches["default"], RedisCache) else 1
START_QUERIES = 10 + SESSION_QUERIES  # the exam, its audience and who holds overrides (read once, then cached:
# caching.cached_exam); locks the person; the person's own overrides are read only if they hold one; the answer is
# built from the paper just written (Attempt.fresh_paper), not read back
# one upsert guarded by the attempt being the person's and open, no transaction: the answer is checked against
# the paper's shape, which the start put in this worker's keeping (quizzes/services/attempts.py: _answer_save_open;
# quizzes.caching.cached_paper_shape); on another app server the first save reads it (one indexed read)
AUTOSAVE_QUERIES = 1 + SESSION_QUERIES
AUTOSAVE_FIRST_ON_ANOTHER_SERVER_QUERIES = AUTOSAVE_QUERIES + 1
# the attempt with its exam, locked (one read); the paper with the saved answers (one read, written out:
# services/attempts.py _paper_with_answers); the counted rank (one aggregate); a first attempt is marked as
# counted in the attempt's own UPDATE and its certificate issued without a read (no other attempt or certificate
# can exist yet: services/attempts.py, services/certificates.py); a later one reads the person's attempts and
# certificate. The review in the answer comes from the rows the marking read (Attempt.fresh_review), not read
# again
SUBMIT_QUERIES = 8 + SESSION_QUERIES
# a paper with wrong answers costs one statement more: they enter the wrong-answer book in one upsert
# (services/book.py, docs/adr/0015); the all-right papers measured here cost none
SUBMIT_WITH_MISTAKES_QUERIES = SUBMIT_QUERIES + 1
UNIT_LEADERBOARD_QUERIES = 3 + SESSION_QUERIES  # units, headcounts, results (the exam and its audience: cached)
# a participant's person leaderboard: access from the cache (caching.cached_exam: the exam with its unit and
# audience, kept until the exam is edited), then the top rows and their names unless cached (per exam
# generation: a submit or regrade reads them again); no overdue sweep (GETs write nothing)
LEADERBOARD_QUERIES = 2 + SESSION_QUERIES
LEADERBOARD_CACHED_QUERIES = 0 + SESSION_QUERIES
# a participant's own row off the top rows, when not cached: from the exam's rank index in Redis (none), else their
# row with their name and unit (one read) and their rank (one aggregate); someone not ranked: none, else one read
OWN_ROW_QUERIES = 0 if isinstance(caches["default"], RedisCache) else 1 + RANK_QUERIES
NOBODYS_ROW_QUERIES = 0 if isinstance(caches["default"], RedisCache) else 1


# a login (allauth headless, the app client): the person with their unit (one read, which the login then caches:
# accounts/usercache.py read_for_login), last_login, the audit record of the login, and the new session; no second
# read of the person, of their unit or of email addresses, no list of their sessions. With Redis
# (accounts/sessions.py) the session is INSERTed once, at the end, with how it was authenticated, under a key not
# asked for first; Django's database sessions ask whether the key is taken, INSERT the session when its key is
# cycled, and UPDATE it at the end.
LOGIN_STATEMENTS = (
    [
        "SELECT accounts_user JOIN accounts_unit",
        "UPDATE accounts_user",
        "INSERT accounts_auditevent",
        "INSERT django_session",
    ]
    if settings.SESSION_ENGINE == "accounts.sessions"
    else [
        "SELECT accounts_user JOIN accounts_unit",
        "SELECT django_session",
        "INSERT django_session",
        "UPDATE accounts_user",
        "INSERT accounts_auditevent",
        "UPDATE django_session",
    ]
)


def test_a_login_reads_the_person_once_and_writes_four_rows(people):
    client = APIClient()
    with CaptureQueriesContext(connection) as login:
        response = client.post(
            "/_allauth/app/v1/auth/login", {"username": people.alice.username, "password": PASSWORD}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["data"]["user"] == {
        "id": people.alice.pk,
        "display": people.alice.username,
        "has_usable_password": True,
        "username": people.alice.username,
    }
    statements = [q["sql"] for q in login if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert [statement_name(sql) for sql in statements] == LOGIN_STATEMENTS, [s[:160] for s in statements]


def _exam_with(tree, size: int):
    bank = bank_create(name=f"题库{size}", unit=tree.city)
    for i in range(size):
        kind = ["single", "multiple", "judge"][i % 3]
        question_create(
            bank=bank,
            kind=kind,
            stem=f"第{i}题",
            options=[] if kind == "judge" else ["甲", "乙", "丙", "丁"],
            answer=["A", "B"] if kind == "multiple" else ["A"],
        )
    return make_exam(unit=tree.city, bank=bank, audience=[tree.city], title=f"考试{size}")


def _measure(client, exam, on_commit):
    with CaptureQueriesContext(connection) as start, on_commit(execute=True):  # as the request's commit would
        paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    keys = {q.pk: q.answer for q in Question.objects.filter(pk__in=[q["question_id"] for q in paper["questions"]])}
    autosaves = []
    for seq, q in enumerate(paper["questions"], start=1):
        with CaptureQueriesContext(connection) as save:
            response = client.put(
                f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}",
                {"choices": keys[q["question_id"]], "seq": seq},
                format="json",
            )
        assert response.status_code == 200
        autosaves.append(len(save))
    with CaptureQueriesContext(connection) as submit:
        result = client.post(f"/api/v1/attempts/{paper['id']}/submit").json()["result"]
    assert Decimal(result["score"]) > 0
    with CaptureQueriesContext(connection) as board:
        client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people")
    return len(start), set(autosaves), len(submit), len(board)


@pytest.mark.parametrize("size", [6, 60])
def test_hot_paths_query_counts_are_pinned_and_constant(tree, people, size, django_capture_on_commit_callbacks):
    exam = _exam_with(tree, size)
    client = app_login(people.alice.username)
    start, autosaves, submit, board = _measure(client, exam, django_capture_on_commit_callbacks)
    assert (start, autosaves, submit, board) == (START_QUERIES, {AUTOSAVE_QUERIES}, SUBMIT_QUERIES, LEADERBOARD_QUERIES)


def test_a_start_reads_no_overrides_of_someone_who_holds_none(tree, people, django_capture_on_commit_callbacks):
    """Who holds an override comes with the cached exam (``Exam.override_user_ids``): once the opening's first
    start has cached it, the others read neither the exam nor anyone's overrides."""
    exam = _exam_with(tree, 6)
    with django_capture_on_commit_callbacks(execute=True):
        assert app_login(people.alice.username).post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 201
    bob = app_login(people.bob.username)
    with CaptureQueriesContext(connection) as start, django_capture_on_commit_callbacks(execute=True):
        assert bob.post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 201
    statements = [query["sql"] for query in start.captured_queries]
    assert not [sql for sql in statements if '"quizzes_examoverride"' in sql or 'FROM "quizzes_exam"' in sql]
    assert len(statements) == START_QUERIES - 3, statements  # the exam, its audience and who holds overrides: cached


def test_an_autosave_on_another_server_reads_the_paper_once(tree, people, django_assert_num_queries):
    """A worker that did not start the attempt reads its paper's shape at its first save, and keeps it."""
    from quizzes import caching

    exam = _exam_with(tree, 6)
    client = app_login(people.alice.username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    caching.forget_local()  # another app server's worker: it keeps nothing of this attempt
    path = f"/api/v1/attempts/{paper['id']}/answers/"
    first, second = paper["questions"][0]["question_id"], paper["questions"][1]["question_id"]
    with django_assert_num_queries(AUTOSAVE_FIRST_ON_ANOTHER_SERVER_QUERIES):
        assert client.put(path + str(first), {"choices": ["A"], "seq": 1}, format="json").json()["applied"]
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        assert client.put(path + str(second), {"choices": ["A"], "seq": 2}, format="json").json()["applied"]


def test_leaderboard_queries_do_not_grow_with_participants(tree, bank, people, django_assert_num_queries):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    for user in (people.alice, people.bob, people.carol, people.organizer_a, people.hr_b):
        client = app_login(user.username)
        attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
        client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    client = app_login(people.alice.username)
    with django_assert_num_queries(LEADERBOARD_QUERIES):
        assert client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()["count"] == 5
    with django_assert_num_queries(LEADERBOARD_CACHED_QUERIES):
        board = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/people?page=5&page_size=1").json()
    assert board["me"]["name"] == "张三" and board["me"] not in board["results"]
    bob = app_login(people.bob.username)  # another participant reads the same cached rows
    with django_assert_num_queries(LEADERBOARD_CACHED_QUERIES):
        bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people?page_size=1")
    with django_assert_num_queries(UNIT_LEADERBOARD_QUERIES):
        rows = client.get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()["results"]
    assert sum(r["participants"] for r in rows) == 3  # organizer_a and hr_b are staff, not roster


# GETs write nothing, so none of these runs the overdue sweep any more
EXAM_LIST_QUERIES = 4 + SESSION_QUERIES  # count, page, the requester's attempts and overrides
EXAM_DETAIL_QUERIES = 4 + SESSION_QUERIES  # the exam, the requester's attempts and overrides, the paper's size
MANAGER_DETAIL_EXTRA = 4  # "manages it?", audience, fixed questions, draw rules
ATTEMPT_DETAIL_QUERIES = 3 + SESSION_QUERIES  # the attempt, its paper and saved answers


def test_reads_query_counts_are_pinned(tree, people, django_assert_num_queries):
    exam = _exam_with(tree, 6)
    client = app_login(people.alice.username)
    attempt = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    with django_assert_num_queries(EXAM_LIST_QUERIES):
        assert client.get("/api/v1/exams/").json()["results"][0]["my_attempts"][0]["id"] == attempt["id"]
    with django_assert_num_queries(EXAM_DETAIL_QUERIES):
        assert client.get(f"/api/v1/exams/{exam.pk}/").json()["management"] is None
    with django_assert_num_queries(ATTEMPT_DETAIL_QUERIES):
        assert len(client.get(f"/api/v1/attempts/{attempt['id']}").json()["questions"]) == 6
    organizer = app_login(people.organizer.username)
    with django_assert_num_queries(EXAM_DETAIL_QUERIES + MANAGER_DETAIL_EXTRA):  # the first request after login
        assert len(organizer.get(f"/api/v1/exams/{exam.pk}/").json()["management"]["fixed_questions"]) == 6


# Practice answers (docs/adr/0015): one read (the item with its question, the hidden check for exams open by
# their own window and the book entry), the cited articles' text (法条原文) from the cache, where loading the round
# put it (caching.cited_article_texts), then in one transaction the guarded UPDATE and one book statement; a
# right answer to a question not in the book writes no book row. (They cost what an autosave cost until the
# autosave lost its transaction and lock: 5 statements.)
PRACTICE_ANSWER_QUERIES = 5 + SESSION_QUERIES
PRACTICE_RIGHT_NOT_IN_BOOK_QUERIES = 4 + SESSION_QUERIES


@pytest.mark.parametrize("size", [6, 60])
def test_practice_answer_query_count_is_pinned_and_constant(tree, people, size, django_assert_num_queries):
    from quizzes.lawtexts import chinese_numeral
    from tests.api.test_law_library import CIVIL_CODE, shipped_civil_code
    from tests.api.test_practice import open_practice

    shipped_civil_code(range(1, 61))
    bank = _exam_with(tree, size).fixed_questions.first().question.bank
    for i, question in enumerate(Question.objects.filter(bank=bank).order_by("pk")):  # each cites an article
        Question.objects.filter(pk=question.pk).update(legal_basis=f"{CIVIL_CODE}第{chinese_numeral(i + 1)}条")
    exam_bank = bank_create(name="考试题库", unit=tree.city)  # an exam open now, on another bank
    question_create(bank=exam_bank, kind="judge", stem="判断", options=[], answer=["A"])
    make_exam(unit=tree.city, bank=exam_bank, audience=[tree.city], title="开放中的考试")
    from quizzes.models import Exam

    Exam.objects.filter(fixed_questions__question__bank=bank).update(status=Exam.Status.CLOSED)
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city])
    client = app_login(people.alice.username)
    round_ = client.post(f"/api/v1/practice-sets/{practice['id']}/rounds", {"count": 3}, format="json").json()
    first, second, third = (q["question_id"] for q in round_["questions"])
    keys = {q.pk: q.answer for q in Question.objects.filter(pk__in=[first, second, third])}

    def put(question_id: int, choices: list[str]) -> dict:
        url = f"/api/v1/practice-rounds/{round_['id']}/answers/{question_id}"
        return client.put(url, {"choices": choices}, format="json").json()

    with django_assert_num_queries(PRACTICE_ANSWER_QUERIES):  # wrong: into the book
        wrong = put(first, ["B"] if keys[first] != ["B"] else ["A"])
        assert wrong["correct"] is False and len(wrong["feedback"]["articles"]) == 1
    with django_assert_num_queries(PRACTICE_RIGHT_NOT_IN_BOOK_QUERIES):
        assert put(second, keys[second])["correct"] is True
    book_round = client.post("/api/v1/wrong-answers/rounds", {"count": 1}, format="json").json()
    with django_assert_num_queries(PRACTICE_ANSWER_QUERIES):  # right, in the book: its run of right answers
        url = f"/api/v1/practice-rounds/{book_round['id']}/answers/{first}"
        assert client.put(url, {"choices": keys[first]}, format="json").json()["book"]["right_streak"] == 1


# the learning reads: the same number of queries whatever the number of questions, rounds and answers
PRACTICE_SETS_QUERIES = 3 + SESSION_QUERIES  # count, page, tags
# the round, the open exams (candidates, overrides), the items; the cited articles come from the cache, where
# starting the round put them (one read when they are not there)
ROUND_DETAIL_QUERIES = 4 + SESSION_QUERIES
# the open exams (two), count, page; the cited articles from the cache, where the rounds that put the questions in
# the book left them (one read for those not there)
BOOK_QUERIES = 4 + SESSION_QUERIES
BOOK_COUNT_QUERIES = 1 + SESSION_QUERIES
ROUNDS_QUERIES = 2 + SESSION_QUERIES  # count, page
CALENDAR_QUERIES = 1 + SESSION_QUERIES
REACH_QUERIES = 3 + SESSION_QUERIES  # children, per unit, per day (the unit: the cached person's own)


@pytest.mark.parametrize("rounds", [1, 4])
def test_learning_reads_query_counts_are_pinned(tree, people, rounds, django_assert_num_queries):
    from tests.api.test_practice import answer, chapter_bank, open_practice, start

    bank = chapter_bank(tree.city, per_tag=10)
    exam_bank = bank_create(name="考试题库", unit=tree.city)  # an exam open now, on another bank
    question_create(bank=exam_bank, kind="judge", stem="判断", options=[], answer=["A"])
    make_exam(unit=tree.city, bank=exam_bank, audience=[tree.city], title="开放中的考试")
    practice = open_practice(app_login(people.organizer.username), bank, [tree.city], daily_count=3)
    client = app_login(people.alice.username)
    for _ in range(rounds):
        round_ = start(client, practice["id"], count=5)
        for q in round_["questions"]:
            answer(client, round_["id"], q["question_id"], ["B"])
    daily = client.post(f"/api/v1/practice-sets/{practice['id']}/daily").json()
    with django_assert_num_queries(PRACTICE_SETS_QUERIES):
        assert client.get("/api/v1/practice-sets/").json()["count"] == 1
    with django_assert_num_queries(ROUND_DETAIL_QUERIES):
        assert len(client.get(f"/api/v1/practice-rounds/{round_['id']}").json()["questions"]) == 5
    with django_assert_num_queries(BOOK_QUERIES):
        assert client.get("/api/v1/wrong-answers/").json()["count"] >= 5
    with django_assert_num_queries(BOOK_COUNT_QUERIES):
        assert client.get("/api/v1/wrong-answers/count").json()["open"] >= 5
    with django_assert_num_queries(ROUNDS_QUERIES):
        assert client.get("/api/v1/practice-rounds/").json()["count"] == rounds + 1
    with django_assert_num_queries(CALENDAR_QUERIES):
        assert client.get("/api/v1/daily/calendar").json()["today_done"] is False
    assert daily["kind"] == "daily"
    organizer = app_login(people.organizer.username)
    with django_assert_num_queries(REACH_QUERIES):
        assert organizer.get("/api/v1/learning/reach").json()["total"]["rounds"] == rounds


def test_submit_with_mistakes_costs_one_statement_more(tree, people):
    exam = _exam_with(tree, 6)
    client = app_login(people.alice.username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    keys = {q.pk: q.answer for q in Question.objects.filter(pk__in=[q["question_id"] for q in paper["questions"]])}
    for seq, q in enumerate(paper["questions"], start=1):
        key = keys[q["question_id"]]
        choices = (["B"] if key != ["B"] else ["A"]) if seq == 1 else key  # the first one wrong
        client.put(
            f"/api/v1/attempts/{paper['id']}/answers/{q['question_id']}",
            {"choices": choices, "seq": seq},
            format="json",
        )
    with CaptureQueriesContext(connection) as submit:
        result = client.post(f"/api/v1/attempts/{paper['id']}/submit").json()["result"]
    assert result["passed"] is True  # the same certificate path as the all-right paper
    assert len(submit) == SUBMIT_WITH_MISTAKES_QUERIES


def test_a_viewers_own_row_off_the_top_comes_from_the_rank_index(
    tree, bank, people, monkeypatch, django_assert_num_queries
):
    """Every participant's first look at a board after a submit reads their own row. With Redis, the exam's rank
    index holds their rank and their row (quizzes/rankindex.py), and their name and unit are the signed-in person's:
    no query. Without it, one read with their name and unit (quizzes/leaderboards.py, written out) and one aggregate
    for the rank. Then it is cached until the next submit."""
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 1)
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    sit(people.alice.username, exam, correct=5)
    sit(people.bob.username, exam, correct=0)  # a blank paper: second
    path = f"/api/v1/exams/{exam.pk}/leaderboard/people"
    assert [r["user_id"] for r in app_login(people.alice.username).get(path).json()["results"]] == [people.alice.pk]
    bob = app_login(people.bob.username)  # the top is cached now; bob's own row is not
    with django_assert_num_queries(OWN_ROW_QUERIES + SESSION_QUERIES):
        me = bob.get(path).json()["me"]
    assert (me["rank"], me["user_id"], me["name"], me["unit_name"]) == (2, people.bob.pk, "李四", people.bob.unit.name)
    with django_assert_num_queries(LEADERBOARD_CACHED_QUERIES):
        assert bob.get(path).json()["me"] == me
    carol = app_login(people.carol.username)  # never sat: nothing found, cached as nobody
    with django_assert_num_queries(NOBODYS_ROW_QUERIES + SESSION_QUERIES):
        assert carol.get(path).json()["me"] is None
    with django_assert_num_queries(LEADERBOARD_CACHED_QUERIES):
        assert carol.get(path).json()["me"] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_the_autosave_statement_is_prepared_once_per_connection(tree, people):
    """The autosave's upsert reaches PostgreSQL with its values apart (server-side binding) and, after its fifth run on
    a connection, as a prepared statement (config/settings.py, ``prepare_threshold``): PostgreSQL parses and plans
    it once per connection, and every later save only executes it."""
    exam = _exam_with(tree, 6)
    client = app_login(people.alice.username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    path = f"/api/v1/attempts/{paper['id']}/answers/"
    questions = [q["question_id"] for q in paper["questions"]]

    def save(seq: int) -> None:
        response = client.put(
            path + str(questions[seq % len(questions)]), {"choices": ["A"], "seq": seq}, format="json"
        )
        assert response.json()["applied"]

    def prepared_runs() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                ["INSERT INTO %quizzes_answer% ON CONFLICT %"],
            )
            return [row[0] for row in cursor.fetchall()]

    for seq in range(1, 6):
        save(seq)
    assert prepared_runs() == []  # five runs of a statement on a connection before PostgreSQL keeps it
    save(6)
    assert prepared_runs() == [1]  # prepared at the sixth, as one statement whatever the values
    for seq in range(7, 17):
        save(seq)
    assert prepared_runs() == [11]  # the same prepared statement ran for each later save
