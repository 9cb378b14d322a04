"""Certificates (合格证书) through HTTP: issued on a passing counting attempt, the PDF (A4 landscape, the
person's name, unit, exam, score, code and verification address in it), the public verification (masked
name, nothing else about the person), revocation and reinstatement by regrade (audited), who may download
whose, the streamed zip of a unit subtree, and the refusal when the server has no CJK font."""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
import pytest

from accounts.models import AuditEvent, User
from quizzes import certificates
from quizzes.certificate_pdf import certificate_font
from quizzes.errors import CertificateFontMissing
from quizzes.models import Attempt, Certificate, Exam, Question
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit, exam_regrade_question
from quizzes.services.banks import question_update
from tests.conftest import app_login, make_exam

pytestmark = pytest.mark.django_db


def _has_font() -> bool:
    try:
        certificate_font()
    except CertificateFontMissing:
        return False
    return True


needs_font = pytest.mark.skipif(
    not _has_font(), reason="no CJK font on this machine: install fonts-noto-cjk (.ci/run does)"
)


def sit(exam: Exam, user: User, *, correct: int) -> Attempt:
    """Answer the first ``correct`` questions of the paper right, the rest not at all, and submit.
    The paper: 3 single × 10, 2 multiple × 20, 2 judge × 15; the pass line is 60."""
    attempt, _ = attempt_start(exam=exam, user=user)
    for seq, aq in enumerate(attempt.paper.order_by("position")[:correct], start=1):
        answer_save(attempt_id=attempt.pk, user=user, question_id=aq.question_id, choices=aq.answer, seq=seq)
    return attempt_submit(attempt_id=attempt.pk, user=user)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
    # pypdf reads fpdf2's two-byte glyph codes with a NUL before each character: the PDF shows them right
    return re.sub(r"[\s\x00]+", "", reader.pages[0].extract_text())


def code_of(exam: Exam, user: User) -> str:
    return Certificate.objects.get(exam=exam, user=user).code


def test_a_passing_submit_issues_one_certificate_and_a_failing_one_none(exam, people):
    sit(exam, people.alice, correct=7)  # 100
    sit(exam, people.bob, correct=3)  # 30
    certificate = Certificate.objects.get(exam=exam, user=people.alice)
    assert certificate.is_valid and certificate.attempt.score == 100
    assert not Certificate.objects.filter(user=people.bob).exists()
    attempt_submit(attempt_id=certificate.attempt_id, user=people.alice)  # idempotent: nothing new
    assert Certificate.objects.filter(exam=exam).count() == 1


@needs_font
def test_the_participant_downloads_their_certificate_with_name_unit_score_and_code(exam, people):
    sit(exam, people.alice, correct=7)
    response = app_login(people.alice.username).get(f"/api/v1/exams/{exam.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    code = certificates.format_code(code_of(exam, people.alice))
    for expected in ("合格证书", "张三", "南关镇党政办", exam.title, "100分", "优秀", code, "清河市"):
        assert expected in text, expected
    assert "南关镇南关镇" not in text  # a unit named after its parent is not repeated
    assert f"http://testserver/verify/{code_of(exam, people.alice)}" in text
    assert people.alice.username not in text  # no account name (a phone number) on the certificate


def test_a_participant_without_a_pass_gets_404_and_cannot_fetch_someone_elses(exam, people):
    sit(exam, people.alice, correct=7)
    sit(exam, people.bob, correct=3)
    bob = app_login(people.bob.username)
    response = bob.get(f"/api/v1/exams/{exam.pk}/certificate.pdf")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "certificate_not_found"
    response = bob.get(f"/api/v1/exams/{exam.pk}/certificates/{people.alice.pk}.pdf")
    assert response.status_code == 403  # the staff endpoint
    assert bob.get("/api/v1/exams/999999/certificate.pdf").status_code == 404


def test_verify_shows_the_masked_name_exam_grade_and_dates_and_nothing_else(exam, people, api_client):
    sit(exam, people.alice, correct=7)
    code = code_of(exam, people.alice)
    for typed in (certificates.format_code(code), code.lower(), f" {code[:6]} {code[6:]} "):
        response = api_client.get(f"/api/v1/certificates/{typed.strip()}")
        assert response.status_code == 200, typed
    body = response.json()
    assert body["code"] == certificates.format_code(code)
    assert body["valid"] is True and body["status_label"] == "有效"
    assert body["name"] == "张*"  # the exam masks names (its default)
    assert body["exam_title"] == exam.title and body["grade"] == "优秀"
    assert body["revoked_on"] is None and body["issued_on"] and body["exam_date"]
    assert set(body) == {
        "code",
        "valid",
        "status_label",
        "name",
        "exam_title",
        "grade",
        "exam_date",
        "issued_on",
        "revoked_on",
    }
    raw = response.content.decode()
    for secret in (people.alice.username, "张三", "南关镇", "100"):
        assert secret not in raw, secret


@pytest.mark.parametrize(("policy", "shown"), [("full", "张*"), ("masked", "张*"), ("unit_only", None)])
def test_verify_never_shows_more_of_the_name_than_the_exam_allows(tree, bank, people, api_client, policy, shown):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], leaderboard_names=policy)
    sit(exam, people.alice, correct=7)
    body = api_client.get(f"/api/v1/certificates/{code_of(exam, people.alice)}").json()
    assert body["name"] == shown


@pytest.mark.parametrize("code", ["0000-0000-0000", "XXXXXXXXXXXX", "short", "UUUU-UUUU-UUUU", "%E4%B8%AD"])
def test_verify_of_an_unknown_or_malformed_code_is_404(exam, people, api_client, code):
    sit(exam, people.alice, correct=7)
    response = api_client.get(f"/api/v1/certificates/{code}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "certificate_not_found"


def _rekey(question: Question, answer: list[str]) -> None:
    question_update(question=question, answer=answer)


def test_a_regrade_that_fails_the_person_revokes_and_one_that_passes_them_again_reinstates(exam, people, api_client):
    attempt = sit(exam, people.carol, correct=5)  # 3 singles + 2 multiples right: 70
    code = code_of(exam, people.carol)
    multiple = attempt.paper.get(position=4).question  # answered right (20 points)
    original = list(multiple.answer)
    _rekey(multiple, ["A"])
    organizer = app_login(people.organizer.username)
    response = organizer.post(f"/api/v1/exams/{exam.pk}/regrade", {"question_id": multiple.pk}, format="json")
    assert response.status_code == 200
    body = api_client.get(f"/api/v1/certificates/{code}").json()
    assert body["valid"] is False and body["status_label"] == "已撤销" and body["revoked_on"]
    carol = app_login(people.carol.username)
    assert carol.get(f"/api/v1/exams/{exam.pk}/certificate.pdf").status_code == 404
    assert organizer.get(f"/api/v1/exams/{exam.pk}/certificates/{people.carol.pk}.pdf").status_code == 404
    event = AuditEvent.objects.get(action=AuditEvent.Action.CERTIFICATE_REVOKE)
    assert event.actor == people.organizer and event.before == {"valid": True}
    assert event.after is not None and event.after["user_id"] == people.carol.pk and event.after["score"] == "50.00"

    _rekey(multiple, original)
    exam_regrade_question(exam=exam, question=Question.objects.get(pk=multiple.pk))
    certificate = Certificate.objects.get(exam=exam, user=people.carol)
    assert certificate.is_valid and certificate.code == code  # the same certificate, the same code
    assert api_client.get(f"/api/v1/certificates/{code}").json()["valid"] is True
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CERTIFICATE_REINSTATE).count() == 1


def test_a_later_passing_attempt_issues_the_certificate_for_that_attempt(tree, bank, people):
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city], max_attempts=2)
    sit(exam, people.alice, correct=3)
    assert not Certificate.objects.filter(exam=exam).exists()
    second = sit(exam, people.alice, correct=6)
    certificate = Certificate.objects.get(exam=exam, user=people.alice)
    assert certificate.attempt_id == second.pk


@needs_font
def test_staff_download_the_certificates_of_their_subtree_only(exam, people, tree):
    sit(exam, people.alice, correct=7)  # town A office
    sit(exam, people.bob, correct=6)  # town B: 85
    organizer_a = app_login(people.organizer_a.username)
    assert organizer_a.get(f"/api/v1/exams/{exam.pk}/certificates/{people.alice.pk}.pdf").status_code == 200
    response = organizer_a.get(f"/api/v1/exams/{exam.pk}/certificates/{people.bob.pk}.pdf")
    assert response.status_code == 404
    hr_b = app_login(people.hr_b.username)
    response = hr_b.get(f"/api/v1/exams/{exam.pk}/certificates/{people.bob.pk}.pdf")
    assert response.status_code == 200 and "李四" in pdf_text(response.content)
    assert hr_b.get(f"/api/v1/exams/{exam.pk}/certificates/{people.alice.pk}.pdf").status_code == 404


def _zip_names(response) -> dict[str, bytes]:
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


@needs_font
def test_the_zip_holds_one_pdf_per_valid_certificate_of_the_unit_subtree(exam, people, tree):
    sit(exam, people.alice, correct=7)
    sit(exam, people.carol, correct=6)
    sit(exam, people.bob, correct=6)
    User.objects.filter(pk=people.carol.pk).update(real_name="王/五")  # a name no file system takes as is
    organizer = app_login(people.organizer.username)
    files = _zip_names(organizer.get(f"/api/v1/exams/{exam.pk}/certificates.zip"))
    assert len(files) == 3
    assert all(name.endswith(".pdf") and "/" not in name for name in files)
    codes = {certificates.format_code(code_of(exam, person)) for person in (people.alice, people.bob)}
    assert {name for name in files if any(code in name for code in codes)} == {
        f"南关镇党政办-张三-{certificates.format_code(code_of(exam, people.alice))}.pdf",
        f"北岭镇-李四-{certificates.format_code(code_of(exam, people.bob))}.pdf",
    }
    for name, content in files.items():
        code = name.removesuffix(".pdf")[-14:]  # the file name ends with the code, as printed
        assert code in pdf_text(content) and "合格证书" in pdf_text(content)
    assert any(name.startswith("南关镇-王_五-") for name in files)

    town_a = _zip_names(organizer.get(f"/api/v1/exams/{exam.pk}/certificates.zip?unit={tree.town_a.pk}"))
    assert len(town_a) == 2 and not any("李四" in name for name in town_a)
    hr_b = app_login(people.hr_b.username)
    assert len(_zip_names(hr_b.get(f"/api/v1/exams/{exam.pk}/certificates.zip"))) == 1
    assert hr_b.get(f"/api/v1/exams/{exam.pk}/certificates.zip?unit={tree.town_a.pk}").status_code == 404
    assert app_login(people.alice.username).get(f"/api/v1/exams/{exam.pk}/certificates.zip").status_code == 403


def test_without_a_cjk_font_downloads_refuse_clearly_and_verification_still_works(exam, people, settings, api_client):
    settings.XUEFA_CERTIFICATE_FONT = "/nonexistent/font.ttc"
    sit(exam, people.alice, correct=7)
    for client, url in [
        (app_login(people.alice.username), f"/api/v1/exams/{exam.pk}/certificate.pdf"),
        (app_login(people.organizer.username), f"/api/v1/exams/{exam.pk}/certificates/{people.alice.pk}.pdf"),
        (app_login(people.organizer.username), f"/api/v1/exams/{exam.pk}/certificates.zip"),
    ]:
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.json()["error"]["code"] == "certificate_font_missing"
    assert api_client.get(f"/api/v1/certificates/{code_of(exam, people.alice)}").status_code == 200
