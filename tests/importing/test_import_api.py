"""The import/export API as an organizer's browser uses it (session login, multipart upload)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from accounts.services import user_create
from quizzes.importing.template import COLUMNS, XLSX_CONTENT_TYPE
from quizzes.models import ImportBatch, Question, QuestionBank
from quizzes.services.banks import question_create
from tests.conftest import PASSWORD, People, Tree

from .conftest import template_row, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    template_row(题型="单选", 题干="十八周岁以上的自然人为（　）。", A="未成年人", B="成年人", 答案="B", 标签="总则编"),
    template_row(题型="判断", 题干="遗嘱可以由本人亲笔书写。", 答案="对", 难度=2),
]


@pytest.fixture
def org_client(client: Client, town_organizer: User) -> Client:
    client.force_login(town_organizer)
    return client


def upload(client: Client, bank: QuestionBank, content: bytes, name: str = "试题.xlsx") -> Any:
    return client.post(
        reverse("bank-import-create", kwargs={"bank_id": bank.pk}),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_template_download(org_client: Client) -> None:
    response = org_client.get(reverse("import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert (
        "filename*=UTF-8''%E9%A2%98%E7%9B%AE%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        in response["Content-Disposition"]
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == COLUMNS


def test_upload_preview_then_commit(org_client: Client, town_bank: QuestionBank, town_organizer: User) -> None:
    response = upload(org_client, town_bank, xlsx_bytes(ROWS))
    assert response.status_code == 201, response.json()
    body = response.json()
    batch = ImportBatch.objects.get()
    assert body["id"] == batch.pk
    assert (body["bank"], body["filename"], body["file_format"], body["status"]) == (
        town_bank.pk,
        "试题.xlsx",
        "xlsx",
        "previewed",
    )
    assert body["counts"] == {"questions": 2, "valid": 2, "errors": 0, "warnings": 2}
    assert body["file_warnings"] == []
    assert body["items"][0] == {
        "line": 2,
        "fields": {
            "kind": "single",
            "stem": "十八周岁以上的自然人为（　）。",
            "options": ["未成年人", "成年人"],
            "answer": ["B"],
            "explanation": "",
            "legal_basis": "",
            "difficulty": 3,
            "tags": ["总则编"],
            "exclusion_group": "",
        },
        "errors": [],
        "warnings": [{"line": 2, "column": "法条依据", "code": "no_legal_basis", "message": "没有填写法条依据。"}],
    }
    assert batch.uploaded_by == town_organizer

    detail = org_client.get(reverse("bank-import-detail", kwargs={"bank_id": town_bank.pk, "batch_id": batch.pk}))
    assert detail.status_code == 200
    assert detail.json()["items"] == body["items"]

    commit_url = reverse("bank-import-commit", kwargs={"bank_id": town_bank.pk, "batch_id": batch.pk})
    committed = org_client.post(commit_url)
    assert (committed.status_code, committed.json()) == (200, {"created": 2})
    assert Question.objects.filter(bank=town_bank).count() == 2

    again = org_client.post(commit_url)
    assert again.status_code == 409
    assert again.json() == {
        "error": {"code": "import_already_committed", "message": "这批试题已经导入，不能重复导入。"}
    }


def test_preview_with_errors_and_warnings_and_refused_commit(org_client: Client, town_bank: QuestionBank) -> None:
    existing = question_create(bank=town_bank, kind="judge", stem="遗嘱可以由本人亲笔书写。", answer=["A"])
    rows = [*ROWS, template_row(题型="单选", 题干="答案不在选项中", A="甲", B="乙", 答案="E")]
    body = upload(org_client, town_bank, xlsx_bytes(rows)).json()
    assert body["counts"] == {"questions": 3, "valid": 2, "errors": 1, "warnings": 4}  # 3 without legal basis
    assert body["items"][1]["warnings"] == [
        {
            "line": 3,
            "column": "题干",
            "code": "duplicate_in_bank",
            "message": f"题库中已有相同的试题（编号 {existing.pk}）。",
        },
        {"line": 3, "column": "法条依据", "code": "no_legal_basis", "message": "没有填写法条依据。"},
    ]
    assert body["items"][2]["errors"] == [
        {"line": 4, "column": "答案", "code": "answer_not_in_options", "message": "答案 E 不在选项 AB 之中。"}
    ]
    response = org_client.post(reverse("bank-import-commit", kwargs={"bank_id": town_bank.pk, "batch_id": body["id"]}))
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "import_has_errors", "message": "文件中还有 1 处错误，请修改后重新上传。"}
    }
    assert Question.objects.filter(bank=town_bank).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        (
            "a.xlsx",
            b"%PDF-1.5 ...",
            "file_wrong_type",
            "文件类型不符：“a.xlsx”实际是PDF 文档。请上传 .xlsx、.csv、.docx 或 .txt 文件。",
        ),
        ("a.xlsx", b"PK\x03\x04broken", "file_corrupt", "文件“a.xlsx”已损坏或不完整，无法读取。"),
        ("a.txt", b"hello", "no_questions", "文件中没有找到试题。请参照导入格式说明（题号、选项 A. B.、答案：）。"),
    ],
)
def test_unusable_file_is_a_clear_400(
    org_client: Client, town_bank: QuestionBank, name: str, content: bytes, code: str, message: str
) -> None:
    response = upload(org_client, town_bank, content, name)
    assert response.status_code == 400
    assert response.json() == {"error": {"code": code, "message": message}}
    assert not ImportBatch.objects.exists()


def test_empty_upload_and_missing_field(org_client: Client, town_bank: QuestionBank) -> None:
    url = reverse("bank-import-create", kwargs={"bank_id": town_bank.pk})
    response = org_client.post(url, {})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert "file" in response.json()["error"]["fields"]


def test_export_download(org_client: Client, town_bank: QuestionBank) -> None:
    question_create(bank=town_bank, kind="single", stem="题一", options=["甲", "乙"], answer=["A"], tags=["总则编"])
    response = org_client.get(reverse("bank-export", kwargs={"bank_id": town_bank.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == tuple(COLUMNS)
    assert rows[1] == (
        "单选",
        "题一",
        "甲",
        "乙",
        None,
        None,
        None,
        None,
        None,
        None,
        "A",
        None,
        None,
        3,
        "总则编",
        None,
    )


def test_city_organizer_reaches_town_bank(client: Client, people: People, town_bank: QuestionBank) -> None:
    client.force_login(people.organizer)
    assert upload(client, town_bank, xlsx_bytes(ROWS)).status_code == 201


def test_other_units_organizer_gets_404(
    client: Client, tree: Tree, town_bank: QuestionBank, town_organizer: User
) -> None:
    other_organizer = user_create(username="organizer_b", password=PASSWORD, unit=tree.town_b, role=User.Role.ORGANIZER)
    batch = ImportBatch.objects.create(
        bank=town_bank, uploaded_by=town_organizer, filename="a.xlsx", file_format="xlsx"
    )
    client.force_login(other_organizer)
    assert upload(client, town_bank, xlsx_bytes(ROWS)).status_code == 404
    detail = client.get(reverse("bank-import-detail", kwargs={"bank_id": town_bank.pk, "batch_id": batch.pk}))
    assert detail.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"
    commit = client.post(reverse("bank-import-commit", kwargs={"bank_id": town_bank.pk, "batch_id": batch.pk}))
    assert commit.status_code == 404
    assert client.get(reverse("bank-export", kwargs={"bank_id": town_bank.pk})).status_code == 404


def test_batch_of_another_bank_is_404(org_client: Client, town_bank: QuestionBank, town_organizer: User) -> None:
    sibling = QuestionBank.objects.create(name="另一个题库", unit=town_bank.unit)
    batch = ImportBatch.objects.create(bank=sibling, uploaded_by=town_organizer, filename="a.xlsx", file_format="xlsx")
    response = org_client.get(reverse("bank-import-detail", kwargs={"bank_id": town_bank.pk, "batch_id": batch.pk}))
    assert response.status_code == 404


def test_participant_and_anonymous_are_refused(client: Client, people: People, town_bank: QuestionBank) -> None:
    anonymous = client.get(reverse("import-template"))
    assert anonymous.status_code == 401  # no login: 401 with WWW-Authenticate (was 403 before issue #10)
    client.force_login(people.alice)
    assert client.get(reverse("import-template")).status_code == 403
    response = upload(client, town_bank, xlsx_bytes(ROWS))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not ImportBatch.objects.exists()
