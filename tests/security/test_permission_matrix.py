"""Who may call what: every operation of the OpenAPI schema × every role, against one expected table.

The operations come from the schema, which drf-spectacular generates from the URL conf, so a new endpoint
without an entry in ``ALLOWED`` fails ``test_every_operation_has_an_entry``. For each operation and role
the request is made against a small world (town A owns a bank, a published exam for town A and its
import batches; alice of town A has an attempt) and its answer is classed as *refused* (401, 403 or 404:
the role may not reach it) or *reached* (anything else: 2xx, or a 400/409/410 about the request itself).
The table states which roles reach each operation; scoping of what a reaching role then sees (rows of its
own subtree only) is tested next to each feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Unit, User
from accounts.services import user_create
from quizzes.models import Certificate, PracticeItem, PracticeRound, Question
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.learning import practice_set_create
from quizzes.services.overrides import overrides_grant
from tests.conftest import PASSWORD, People, Tree, app_login, make_bank, make_exam
from tests.roster_files import roster_csv

ROLES = ("anonymous", "participant_in", "participant_out", "organizer", "organizer_other", "hr", "hr_other", "admin")
REFUSED = {401, 403, 404}

EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ORGANIZERS = {"organizer", "organizer_other", "admin"}
RESULTS_READERS = {"organizer", "organizer_other", "hr", "hr_other", "admin"}
MANAGER = {"organizer", "admin"}  # organizes town A, which owns the bank and the exam; or the superuser
READERS_OF_THE_EXAM = {"organizer", "hr", "admin"}  # staff whose subtree the exam reaches
AUDIENCE = {"participant_in", "organizer", "hr"}  # people whose unit lies in town A (staff may sit a trial)
OWNER = {"participant_in"}  # alice, whose attempt it is

ALLOWED: dict[str, set[str]] = {
    "GET /api/v1/me": SIGNED_IN,
    "GET /api/v1/units/": EVERYONE,  # the sign-up form's unit picker
    "GET /api/v1/site-settings": EVERYONE,  # whether sign-up is open
    "PATCH /api/v1/site-settings": {"admin"},  # and organizers of a root unit
    "GET /api/v1/units/managed": ORGANIZERS,  # each their own subtree
    "POST /api/v1/units/managed": ORGANIZERS,  # refused later (400) for a parent outside the subtree
    "PATCH /api/v1/units/managed/{unit_id}": MANAGER,
    "GET /api/v1/users/": ORGANIZERS,  # each their own subtree's people
    "GET /api/v1/users/{user_id}": MANAGER,
    "POST /api/v1/users/{user_id}/password": MANAGER,
    "POST /api/v1/users/{user_id}/unlock": MANAGER,
    "GET /api/v1/banks/": ORGANIZERS,
    "POST /api/v1/banks/": ORGANIZERS,
    "GET /api/v1/banks/import-template.xlsx": ORGANIZERS,
    "GET /api/v1/banks/{id}/": MANAGER,
    "PATCH /api/v1/banks/{id}/": MANAGER,
    "GET /api/v1/banks/{bank_id}/tags/": MANAGER,
    "GET /api/v1/banks/{bank_id}/export.xlsx": MANAGER,
    "POST /api/v1/banks/{bank_id}/imports": MANAGER,
    "GET /api/v1/banks/{bank_id}/imports/{batch_id}": MANAGER,
    "POST /api/v1/banks/{bank_id}/imports/{batch_id}/commit": MANAGER,
    "GET /api/v1/banks/{bank_id}/questions/": MANAGER,
    "POST /api/v1/banks/{bank_id}/questions/": MANAGER,
    "GET /api/v1/banks/{bank_id}/questions/{question_id}/": MANAGER,
    "PUT /api/v1/banks/{bank_id}/questions/{question_id}/": MANAGER,
    "GET /api/v1/exams/": SIGNED_IN,
    "POST /api/v1/exams/": ORGANIZERS,
    "GET /api/v1/exams/{exam_id}/": AUDIENCE | READERS_OF_THE_EXAM,
    "PATCH /api/v1/exams/{exam_id}/": MANAGER,
    "POST /api/v1/exams/{exam_id}/publish": MANAGER,
    "POST /api/v1/exams/{exam_id}/close": MANAGER,
    "POST /api/v1/exams/{exam_id}/regrade": MANAGER,
    "GET /api/v1/exams/managed": ORGANIZERS,  # each the exams of their own subtree
    "POST /api/v1/exams/draw-availability": ORGANIZERS,  # each with the banks of their own subtree
    "GET /api/v1/exams/{exam_id}/sample-paper": MANAGER,
    "GET /api/v1/exams/{exam_id}/qr.png": MANAGER,
    "POST /api/v1/exams/{exam_id}/attempts": AUDIENCE,
    "GET /api/v1/exams/{exam_id}/overrides": MANAGER,
    "POST /api/v1/exams/{exam_id}/overrides": MANAGER,
    "DELETE /api/v1/exams/{exam_id}/overrides/{override_id}": MANAGER,
    "POST /api/v1/exams/{exam_id}/makeups": MANAGER,
    "GET /api/v1/exams/{exam_id}/leaderboard/people": AUDIENCE | READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/leaderboard/units": AUDIENCE | READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/leaderboard/units/{unit_id}/people": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/absentees": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/absentees.xlsx": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/page-leaves": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/results": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/results.xlsx": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/results.csv": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/stats": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/live": READERS_OF_THE_EXAM,
    "GET /api/v1/learning-records.xlsx": RESULTS_READERS,  # each within their own subtree
    "GET /api/v1/audit-events": ORGANIZERS,  # each organizer the events of their subtree
    "GET /api/v1/audit-events.csv": ORGANIZERS,
    "GET /api/v1/exams/{exam_id}/certificate.pdf": OWNER,  # one's own certificate: alice passed
    "GET /api/v1/exams/{exam_id}/certificates/{user_id}.pdf": READERS_OF_THE_EXAM,
    "GET /api/v1/exams/{exam_id}/certificates.zip": READERS_OF_THE_EXAM,
    "GET /api/v1/certificates/{code}": EVERYONE,  # the public verification a certificate's QR code opens
    "GET /api/v1/attempts/{attempt_id}": OWNER,
    "PUT /api/v1/attempts/{attempt_id}/answers/{question_id}": OWNER,
    "POST /api/v1/attempts/{attempt_id}/submit": OWNER,
    "POST /api/v1/attempts/{attempt_id}/page-leaves": OWNER,
    "GET /api/v1/roster-imports/template.xlsx": ORGANIZERS,
    "POST /api/v1/roster-imports": ORGANIZERS,
    "GET /api/v1/roster-imports/{import_id}": MANAGER,
    "POST /api/v1/roster-imports/{import_id}/commit": MANAGER,
    "GET /api/v1/roster-imports/{import_id}/passwords.xlsx": MANAGER,
    # learning (docs/adr/0015): a practice set of town A's bank, open to town A; alice's round
    "GET /api/v1/practice-sets/": SIGNED_IN,  # each the sets open to their unit
    "GET /api/v1/practice-sets/managed": ORGANIZERS,  # each the sets of their own subtree
    "POST /api/v1/practice-sets/managed": ORGANIZERS,  # refused later (400) for a bank outside the subtree
    "GET /api/v1/practice-sets/managed/{practice_set_id}": MANAGER,
    "PATCH /api/v1/practice-sets/managed/{practice_set_id}": MANAGER,
    "GET /api/v1/practice-sets/{practice_set_id}/progress": AUDIENCE,
    "POST /api/v1/practice-sets/{practice_set_id}/rounds": AUDIENCE,
    "POST /api/v1/practice-sets/{practice_set_id}/daily": AUDIENCE,
    "GET /api/v1/practice-rounds/": SIGNED_IN,  # each their own rounds
    "GET /api/v1/practice-rounds/{round_id}": OWNER,
    "PUT /api/v1/practice-rounds/{round_id}/answers/{question_id}": OWNER,  # 409: the question is in an open exam
    "GET /api/v1/wrong-answers/": SIGNED_IN,  # each their own book
    "GET /api/v1/wrong-answers/count": SIGNED_IN,
    "POST /api/v1/wrong-answers/rounds": SIGNED_IN,  # 409 with an empty book
    "GET /api/v1/daily/calendar": SIGNED_IN,
    "GET /api/v1/learning/reach": RESULTS_READERS,  # each within their own subtree
}


def schema_operations() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


OPERATIONS = schema_operations()


def test_every_operation_has_an_entry() -> None:
    assert sorted(ALLOWED) == OPERATIONS, "a new endpoint needs its row in ALLOWED (and an old one loses it)"


@dataclass
class World:
    ids: dict[str, int | str]
    clients: dict[str, APIClient]


@pytest.fixture
def world(tree: Tree, people: People) -> Iterator[World]:
    def staff(username: str, unit: Unit, role: str) -> None:
        user_create(username=username, password=PASSWORD, real_name=username, unit=unit, role=role)

    staff("organizer_b", tree.town_b, User.Role.ORGANIZER)
    staff("hr_a", tree.town_a, User.Role.HR)
    user_create(username="root", password=PASSWORD, real_name="管理员", unit=tree.city, is_superuser=True)
    bank = make_bank(tree.town_a, name="南关镇题库")
    exam = make_exam(unit=tree.town_a, bank=bank, audience=[tree.town_a], title="南关镇考试", max_attempts=0)
    attempt, _created = attempt_start(exam=exam, user=people.alice)
    [override] = overrides_grant(exam=exam, user_ids=[people.alice.pk], reason="视力障碍", extra_seconds=600)
    for seq, item in enumerate(attempt.paper.all(), start=1):  # alice passes: she holds a certificate
        answer_save(
            attempt_id=attempt.pk, user=people.alice, question_id=item.question_id, choices=item.answer, seq=seq
        )
    attempt_submit(attempt_id=attempt.pk, user=people.alice)
    question = Question.objects.filter(bank=bank).order_by("pk").first()
    assert question is not None
    practice_set = practice_set_create(
        user=people.organizer_a,
        title="南关镇练习",
        bank_id=make_bank(tree.town_a, name="南关镇练习题库").pk,
        audience_unit_ids=[tree.town_a.pk],
    )
    # alice's round holds the exam's question (as if started before the exam opened): answering it is refused
    practice_round = PracticeRound.objects.create(
        user=people.alice, practice_set=practice_set, started_at=timezone.now()
    )
    PracticeItem.objects.create(round=practice_round, question=question, position=1)

    organizer = app_login(people.organizer_a.username)
    batch = organizer.post(
        f"/api/v1/banks/{bank.pk}/imports",
        {"file": SimpleUploadedFile("q.csv", "题型,题干,选项A,选项B,答案\n单选,一道新题（ ）。,甲,乙,A\n".encode())},
        format="multipart",
    )
    assert batch.status_code == 201, batch.content
    roster = organizer.post(
        "/api/v1/roster-imports",
        {"file": SimpleUploadedFile("r.csv", roster_csv([["赵新", "13911110000", "13911110000", "南关镇", ""]]))},
        format="multipart",
    )
    assert roster.status_code == 201, roster.content
    committed = organizer.post(f"/api/v1/roster-imports/{roster.json()['id']}/commit")
    assert committed.status_code == 200, committed.content

    yield World(
        ids={
            "id": bank.pk,
            "bank_id": bank.pk,
            "question_id": question.pk,
            "batch_id": batch.json()["id"],
            "exam_id": exam.pk,
            "attempt_id": attempt.pk,
            "unit_id": tree.town_a_office.pk,
            "user_id": people.alice.pk,
            "import_id": roster.json()["id"],
            "override_id": override.pk,
            "code": Certificate.objects.get(exam=exam, user=people.alice).code,
            "practice_set_id": practice_set.pk,
            "round_id": practice_round.pk,
        },
        clients={
            "anonymous": APIClient(),
            "participant_in": app_login(people.alice.username),
            "participant_out": app_login(people.bob.username),
            "organizer": organizer,
            "organizer_other": app_login("organizer_b"),
            "hr": app_login("hr_a"),
            "hr_other": app_login(people.hr_b.username),
            "admin": app_login("root"),
        },
    )


BODIES: dict[str, Any] = {
    "PUT /api/v1/attempts/{attempt_id}/answers/{question_id}": {"choices": [], "seq": 1},
    "POST /api/v1/attempts/{attempt_id}/page-leaves": {"kind": "return", "seq": 1},
    "PUT /api/v1/practice-rounds/{round_id}/answers/{question_id}": {"choices": ["A"]},
}


@pytest.mark.parametrize("operation", sorted(ALLOWED))
def test_who_reaches_the_operation(world: World, operation: str) -> None:
    method, path = operation.split(" ", 1)
    url = path.format(**world.ids)
    reached = set()
    answers = {}
    for role in ROLES:  # refused roles change nothing, so the order only matters among those reached
        response = world.clients[role].generic(
            method, url, data=json.dumps(BODIES.get(operation, {})), content_type="application/json"
        )
        answers[role] = response.status_code
        if response.status_code not in REFUSED:
            reached.add(role)
        # a server without a CJK font answers certificate downloads 503 to whoever reaches them
        font_missing = response.status_code == 503 and b"certificate_font_missing" in response.content
        assert response.status_code < 500 or font_missing, (operation, role, response.content[:300])
    assert reached == ALLOWED[operation], f"{operation}: statuses by role {answers}"
