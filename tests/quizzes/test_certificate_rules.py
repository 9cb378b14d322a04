"""Certificate rules as pure functions (codes, the verified name), and the certificate selectors' query
counts, which hold at any number of certificates."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import user_create
from quizzes import certificates, selectors_certificates
from quizzes.models import Certificate
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from tests.conftest import PASSWORD


def test_new_codes_are_twelve_characters_of_the_unambiguous_alphabet_and_differ():
    codes = {certificates.new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(code) == 12 and set(code) <= set(certificates.CODE_ALPHABET) for code in codes)
    assert not set("ILOU") & set(certificates.CODE_ALPHABET)


def test_codes_print_in_groups_of_four_and_read_back_however_typed():
    assert certificates.format_code("7K3MQ9XD2FHT") == "7K3M-Q9XD-2FHT"
    for typed in ("7K3M-Q9XD-2FHT", "7k3m q9xd 2fht", " 7K3MQ9XD2FHT "):
        assert certificates.normalise_code(typed) == "7K3MQ9XD2FHT"
    assert certificates.normalise_code("O1IL-0000-0000") == "0111" + "0" * 8  # read as the digits they look like
    for wrong in ("", "7K3M-Q9XD", "7K3M-Q9XD-2FHTX", "UUUU-UUUU-UUUU", "中文中文中文中文中文中文"):
        assert certificates.normalise_code(wrong) is None


@pytest.mark.parametrize(
    ("policy", "name", "shown"),
    [
        ("full", "张三明", "张*明"),  # full names on the leaderboard, yet masked for anyone holding a code
        ("masked", "张三明", "张*明"),
        ("masked", "欧阳娜娜", "欧**娜"),
        ("unit_only", "张三明", None),
        ("masked", "", "匿名"),
    ],
)
def test_the_verified_name_is_never_more_than_masked(policy, name, shown):
    assert certificates.verified_name(policy, name) == shown


def _pass(exam, user):
    attempt, _ = attempt_start(exam=exam, user=user)
    for seq, item in enumerate(attempt.paper.all(), start=1):
        answer_save(attempt_id=attempt.pk, user=user, question_id=item.question_id, choices=item.answer, seq=seq)
    attempt_submit(attempt_id=attempt.pk, user=user)


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 12])
def test_certificate_reads_take_the_same_queries_at_any_size(exam, people, tree, extra):
    _pass(exam, people.alice)
    for n in range(extra):
        person = user_create(username=f"1390000{n:04d}", password=PASSWORD, real_name=f"人{n}", unit=tree.town_b)
        _pass(exam, person)
    code = Certificate.objects.get(user=people.alice).code
    with CaptureQueriesContext(connection) as verify:
        found = selectors_certificates.certificate_by_code(code)
        assert found is not None
        selectors_certificates.verification(found)
    with CaptureQueriesContext(connection) as one:
        certificate = selectors_certificates.certificate_of(exam=exam, user_id=people.alice.pk, within=tree.town_a)
        assert certificate is not None
        selectors_certificates.person_certificate_facts(certificate, verify_url=str)
    with CaptureQueriesContext(connection) as subtree:
        items = list(selectors_certificates.subtree_certificates(exam=exam, unit=tree.city, verify_url=str))
    assert len(items) == 1 + extra
    assert (len(verify), len(one), len(subtree)) == (1, 2, 2)
