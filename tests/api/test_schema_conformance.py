"""Every operation of the OpenAPI schema, fuzzed in-process by schemathesis, answers as the schema says.

The schema is loaded from the app itself (``/api/schema/`` through WSGI); requests run against the test
database, seeded through the services (a unit tree, a bank, a published exam, an attempt) and sent as a
city organizer logged in through allauth's app client (``X-Session-Token``). Path ids are drawn either
from the seeded rows or at random, so both real objects and missing ones are exercised.

Checked for every response: no 5xx, the content type is declared, and a body with a declared status
matches its schema, and the status is one the operation declares (``api.schema`` declares every error
status an operation can give, with the one error format of ``api/errors.py`` as its body).

Bounded: ``MAX_EXAMPLES`` generated cases per operation, derandomised so that a run is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services.roster import roster_preview
from config.wsgi import application
from quizzes.models import Attempt, Exam, Question
from quizzes.services.attempts import attempt_start
from quizzes.services.learning import practice_round_start, practice_set_create
from tests.conftest import PASSWORD, People, make_bank, make_exam

MAX_EXAMPLES = 20
ROSTER = "姓名,账号,单位\n新人,H8001,南关镇\n".encode()

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# valid data only (invalid data is the business of tests/api/test_bad_input.py), from the fuzzing phase and
# the schema's own examples; the coverage phase's boundary values would add ~30 cases per operation
schema.config.generation.update(modes=[GenerationMode.POSITIVE], max_examples=MAX_EXAMPLES, deterministic=True)
schema.config.phases.update(phases=["examples", "fuzzing"])

# ids of the rows the current test seeded; path parameters are drawn from them half of the time
SEEDED: dict[str, list[int]] = {}
PARAMETER_ROWS = {
    "exam_id": "exam",
    "bank_id": "bank",
    "id": "bank",
    "question_id": "question",
    "attempt_id": "attempt",
    "batch_id": "batch",
    "import_id": "roster_import",
    "practice_set_id": "practice_set",
    "round_id": "practice_round",
}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    if not path_parameters:
        return st.just(path_parameters)
    known = {name: SEEDED.get(row, []) for name, row in PARAMETER_ROWS.items() if name in path_parameters}
    if not any(known.values()):
        return st.just(path_parameters)
    seeded = st.fixed_dictionaries(
        {name: st.sampled_from(ids) if ids else st.just(path_parameters[name]) for name, ids in known.items()}
    ).map(lambda chosen: {**path_parameters, **chosen})
    return st.one_of(seeded, st.just(path_parameters))


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def seeded(people: People, exam: Exam) -> Iterator[dict[str, str]]:
    """A bank, a published exam and an attempt of the city organizer; yields the organizer's auth header."""
    city = people.organizer.unit
    assert city is not None
    own_bank = make_bank(city, name="组织者题库")
    own_exam = make_exam(unit=city, bank=own_bank, audience=[city])
    attempt_start(exam=own_exam, user=people.organizer)
    attempt_start(exam=exam, user=people.alice)
    practice_set = practice_set_create(
        user=people.organizer, title="练习", bank_id=make_bank(city, name="练习题库").pk, audience_unit_ids=[city.pk]
    )
    practice_round = practice_round_start(practice_set=practice_set, user=people.organizer, count=3)
    SEEDED.clear()
    SEEDED.update(
        exam=[exam.pk, own_exam.pk],
        bank=[own_bank.pk],
        question=list(Question.objects.filter(bank=own_bank).values_list("pk", flat=True)[:3]),
        attempt=list(Attempt.objects.order_by("pk").values_list("pk", flat=True)),
        practice_set=[practice_set.pk],
        practice_round=[practice_round.pk],
        roster_import=[roster_preview(unit=city, uploaded_by=None, filename="名册.csv", content=ROSTER).pk],
    )
    login = APIClient().post(
        "/_allauth/app/v1/auth/login", {"username": people.organizer.username, "password": PASSWORD}, format="json"
    )
    assert login.status_code == 200, login.content
    # Schemathesis calls the bare WSGI handler, which closes the database connection after each request; the
    # test's transaction lives on that connection. Django's test client disconnects the same handlers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"X-Session-Token": login.json()["meta"]["session_token"]}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_operation_conforms_to_the_schema(case: Any, seeded: dict[str, str]) -> None:
    case.call_and_validate(headers=seeded, checks=CHECKS)
