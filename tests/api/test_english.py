"""English clients (Accept-Language: en) get English messages, with the same codes as Chinese clients."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from quizzes.importing.template import COLUMNS
from quizzes.services.banks import bank_create
from tests.conftest import app_login
from tests.roster_files import roster_csv

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def both(request, *args, **kwargs):
    """The response's JSON to a Chinese client (no Accept-Language) and to an English one."""
    return request(*args, **kwargs).json(), request(*args, **kwargs, **EN).json()


def test_exam_input_validation_error(bank, people):
    organizer = app_login(people.organizer.username)
    now = timezone.now()
    body = {
        "title": "学法考试",
        "opens_at": now.isoformat(),
        "closes_at": (now - timedelta(hours=1)).isoformat(),
        "fixed_questions": [{"question_id": bank.questions.earliest("id").pk, "points": "10"}],
    }
    chinese, english = both(organizer.post, "/api/v1/exams/", body, format="json")
    assert chinese["error"]["code"] == english["error"]["code"] == "invalid_input"
    assert chinese["error"]["fields"]["closes_at"] == ["结束时间必须晚于开始时间。"]
    assert english["error"]["fields"]["closes_at"] == ["The end time must be later than the start time."]
    assert english["error"]["message"] == "The submitted data is invalid."


def test_autosave_with_invalid_choices(exam, people):
    client = app_login(people.alice.username)
    paper = client.post(f"/api/v1/exams/{exam.pk}/attempts").json()
    question = next(q for q in paper["questions"] if q["kind"] == "multiple")
    url = f"/api/v1/attempts/{paper['id']}/answers/{question['question_id']}"
    chinese, english = both(client.put, url, {"choices": ["G", "H"], "seq": 1}, format="json")
    assert chinese["error"]["code"] == english["error"]["code"] == "invalid_choices"
    assert chinese["error"]["fields"]["choices"] == ["选项 G、H 不在本题选项中。"]
    assert english["error"]["fields"]["choices"] == ["Not options of this question: G, H."]


def test_import_preview_issue_messages(tree, people):
    organizer = people.organizer_a
    bank = bank_create(name="南关镇民法典题库", unit=tree.town_a, created_by=organizer)
    client = app_login(organizer.username)
    content = "题型,题干,选项A,选项B,答案\n单选,成年人是指年满（　）周岁的自然人。,十六,十八,Z\n".encode()
    url = f"/api/v1/banks/{bank.pk}/imports"

    def upload(**extra):
        return client.post(url, {"file": SimpleUploadedFile("试题.csv", content)}, format="multipart", **extra).json()

    chinese, english = upload(), upload(**EN)
    [chinese_issue], [english_issue] = chinese["items"][0]["errors"], english["items"][0]["errors"]
    assert chinese_issue["code"] == english_issue["code"] == "answer_not_in_options"
    assert chinese_issue["column"] == english_issue["column"] == "答案"  # the template's column: data
    assert chinese_issue["message"] == "答案 Z 不在选项 AB 之中。"
    assert english_issue["message"] == "The answer Z is not among the options AB."


@pytest.mark.parametrize(
    ("path", "chinese_message", "english_message"),
    [
        (
            "/api/v1/exams/{huge}/",
            "考试不存在或您无权访问。",
            "The exam does not exist or you do not have access to it.",
        ),
        ("/api/v1/attempts/{huge}", "答卷不存在或不属于您。", "The attempt does not exist or is not yours."),
    ],
)
def test_not_found_from_the_access_helpers(exam, people, path, chinese_message, english_message):
    client = app_login(people.alice.username)
    chinese, english = both(client.get, path.format(huge=10**12))
    assert chinese["error"] == {"code": "not_found", "message": chinese_message}
    assert english["error"] == {"code": "not_found", "message": english_message}


def test_import_template_in_english_keeps_the_chinese_headers(people):
    client = app_login(people.organizer_a.username)
    response = client.get("/api/v1/banks/import-template.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "filename*=UTF-8''question-import-template.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["试题", "Instructions"]
    assert [c.value for c in workbook.worksheets[0][1]] == COLUMNS
    assert workbook["Instructions"]["A1"].value == "Instructions (this sheet is not imported)"


def test_roster_preview_row_error_messages(tree, people):
    client = app_login(people.organizer.username)
    content = roster_csv([["陈一", "A1001", "1390013", "南关镇/党政", ""]])

    def upload(**extra):
        file = SimpleUploadedFile("名册.csv", content)
        return client.post("/api/v1/roster-imports", {"file": file}, format="multipart", **extra).json()

    chinese, english = upload(), upload(**EN)
    chinese_errors, english_errors = chinese["items"][0]["errors"], english["items"][0]["errors"]
    # same codes and columns (the roster's columns are data); the unit paths are the file's and the tree's
    assert [(e["code"], e["column"]) for e in chinese_errors] == [(e["code"], e["column"]) for e in english_errors]
    assert [(e["code"], e["column"]) for e in english_errors] == [("phone_invalid", "手机"), ("unit_unknown", "单位")]
    assert [e["message"] for e in chinese_errors] == [
        "手机号“1390013”无效，应为 11 位手机号码（可带 +86、空格或横线）。",
        "单位“南关镇/党政”不存在。最接近的单位：南关镇/南关镇党政办、南关镇。",
    ]
    assert [e["message"] for e in english_errors] == [
        "The mobile number “1390013” is invalid: it must have 11 digits (+86, spaces and hyphens are allowed).",
        "The unit “南关镇/党政” does not exist. Nearest units: 南关镇/南关镇党政办, 南关镇.",
    ]
