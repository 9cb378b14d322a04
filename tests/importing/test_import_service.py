"""Preview → commit through the real database, town_bank export, and the management commands."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from quizzes.errors import ImportAlreadyCommitted, ImportFileError, ImportHasErrors
from quizzes.importing.parse_table import parse_xlsx
from quizzes.models import ImportBatch, Question, QuestionBank, Tag
from quizzes.services.banks import question_create
from quizzes.services.imports import bank_export_xlsx, import_commit, import_preview
from tests.conftest import Tree

from .conftest import template_row, xlsx_bytes
from .helpers import bank_snapshot

pytestmark = pytest.mark.django_db

GOOD_TEXT = """一、单项选择题
1.十八周岁以上的自然人为（　）。
A.未成年人
B.成年人
答案：B
标签：总则编
二、判断题
1.遗嘱可以由本人亲笔书写。
答案：对
标签：继承编、遗嘱
"""


def no_basis(line: int) -> dict[str, object]:
    """The warning of a question without a legal basis (the quality report's per-question check)."""
    return {"line": line, "column": "法条依据", "code": "no_legal_basis", "message": "没有填写法条依据。"}


def test_preview_stores_items_and_counts(town_bank: QuestionBank, town_organizer: User) -> None:
    batch = import_preview(bank=town_bank, uploaded_by=town_organizer, filename="试题.txt", content=GOOD_TEXT.encode())
    batch.refresh_from_db()
    assert (batch.file_format, batch.status, batch.error_count, batch.warning_count) == ("txt", "previewed", 0, 2)
    assert batch.uploaded_by == town_organizer
    assert batch.items == [
        {
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
            "warnings": [no_basis(2)],
        },
        {
            "line": 8,
            "fields": {
                "kind": "judge",
                "stem": "遗嘱可以由本人亲笔书写。",
                "options": ["正确", "错误"],
                "answer": ["A"],
                "explanation": "",
                "legal_basis": "",
                "difficulty": 3,
                "tags": ["继承编", "遗嘱"],
                "exclusion_group": "",
            },
            "errors": [],
            "warnings": [no_basis(8)],
        },
    ]


def test_commit_creates_questions_with_tags(town_bank: QuestionBank, town_organizer: User) -> None:
    batch = import_preview(bank=town_bank, uploaded_by=town_organizer, filename="试题.txt", content=GOOD_TEXT.encode())
    assert import_commit(batch=batch) == 2
    batch.refresh_from_db()
    assert (batch.status, batch.committed_count) == ("committed", 2)
    assert batch.committed_at is not None
    rows = [
        (q.kind, q.stem, q.options, q.answer, sorted(t.name for t in q.tags.all()))
        for q in Question.objects.filter(bank=town_bank).prefetch_related("tags")
    ]
    assert rows == [
        ("single", "十八周岁以上的自然人为（　）。", ["未成年人", "成年人"], ["B"], ["总则编"]),
        ("judge", "遗嘱可以由本人亲笔书写。", ["正确", "错误"], ["A"], ["继承编", "遗嘱"]),
    ]


def _rows(n: int, tag_prefix: str) -> list[list[object]]:
    return [
        template_row(
            题型="单选",
            题干=f"第{i}题：关于{tag_prefix}的规定，下列说法正确的是",
            A=f"甲{i}",
            B=f"乙{i}",
            答案="A",
            标签=f"{tag_prefix}{i % 3}、共同标签{tag_prefix}",
        )
        for i in range(n)
    ]


def test_commit_uses_a_constant_number_of_queries(town_bank: QuestionBank, town_organizer: User) -> None:
    counts = []
    for n, prefix in ((3, "甲"), (60, "乙")):
        batch = import_preview(
            bank=town_bank, uploaded_by=town_organizer, filename="q.xlsx", content=xlsx_bytes(_rows(n, prefix))
        )
        with CaptureQueriesContext(connection) as queries:
            assert import_commit(batch=batch) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 12
    assert Question.objects.filter(bank=town_bank).count() == 63
    assert Question.tags.through.objects.filter(question__bank=town_bank).count() == 126


def test_commit_refused_while_errors_remain(town_bank: QuestionBank, town_organizer: User) -> None:
    content = (GOOD_TEXT + "3.没有答案的题\nA.甲\nB.乙\n").encode()
    batch = import_preview(bank=town_bank, uploaded_by=town_organizer, filename="e.txt", content=content)
    assert batch.error_count == 1
    with pytest.raises(ImportHasErrors) as caught:
        import_commit(batch=batch)
    assert (caught.value.code, caught.value.message) == ("import_has_errors", "文件中还有 1 处错误，请修改后重新上传。")
    assert not Question.objects.filter(bank=town_bank).exists()
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_commit_allowed_with_warnings_and_twice_refused(town_bank: QuestionBank, town_organizer: User) -> None:
    question_create(bank=town_bank, kind="judge", stem="遗嘱可以由本人亲笔书写。", answer=["A"])
    batch = import_preview(bank=town_bank, uploaded_by=town_organizer, filename="w.txt", content=GOOD_TEXT.encode())
    assert (batch.error_count, batch.warning_count) == (0, 3)
    assert batch.items[1]["warnings"] == [
        {
            "line": 8,
            "column": "题干",
            "code": "duplicate_in_bank",
            "message": f"题库中已有相同的试题（编号 {Question.objects.get().pk}）。",
        },
        no_basis(8),
    ]
    assert import_commit(batch=batch) == 2
    with pytest.raises(ImportAlreadyCommitted) as caught:
        import_commit(batch=batch)
    assert caught.value.code == "import_already_committed"
    assert Question.objects.filter(bank=town_bank).count() == 3


def test_commit_is_atomic(town_bank: QuestionBank, town_organizer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = import_preview(bank=town_bank, uploaded_by=town_organizer, filename="a.txt", content=GOOD_TEXT.encode())
    through = Question.tags.through

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(through.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_commit(batch=batch)
    assert not Question.objects.filter(bank=town_bank).exists()
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_unusable_file_stores_nothing(town_bank: QuestionBank, town_organizer: User) -> None:
    with pytest.raises(ImportFileError) as caught:
        import_preview(bank=town_bank, uploaded_by=town_organizer, filename="a.xlsx", content=b"%PDF-1.4")
    assert caught.value.code == "file_wrong_type"
    assert not ImportBatch.objects.exists()


def test_export_then_import_gives_the_same_bank(town_bank: QuestionBank, town_organizer: User, tree: Tree) -> None:
    question_create(
        bank=town_bank,
        kind="single",
        stem="=1+1 不是公式",
        options=["甲", "乙"],
        answer=["B"],
        explanation="解析\n两行",
        legal_basis="《中华人民共和国民法典》第十七条",
        difficulty=5,
        tags=["总则编", "易错题"],
    )
    question_create(bank=town_bank, kind="multiple", stem="多选", options=list("甲乙丙丁戊己庚辛"), answer=["A", "H"])
    question_create(bank=town_bank, kind="judge", stem="判断", answer=["B"])
    with CaptureQueriesContext(connection) as queries:
        content = bank_export_xlsx(bank=town_bank)
    assert len(queries) == 2
    parsed = parse_xlsx(content)
    assert [q.errors for q in parsed.questions] == [[], [], []]

    copy = QuestionBank.objects.create(name="副本", unit=tree.town_a)
    import_commit(batch=import_preview(bank=copy, uploaded_by=town_organizer, filename="export.xlsx", content=content))

    assert bank_snapshot(copy) == bank_snapshot(town_bank)
    assert Tag.objects.count() == 2


# --- management commands -------------------------------------------------------------------


def test_import_questions_command_previews_and_commits(town_bank: QuestionBank, tmp_path: Path) -> None:
    path = tmp_path / "试题.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("import_questions", "--bank", str(town_bank.pk), str(path), stdout=out)
    assert "第 2 行 [单选] 十八周岁以上的自然人为（　）。 答案 B" in out.getvalue()
    assert "第 2 行 法条依据 警告：没有填写法条依据。（no_legal_basis）" in out.getvalue()
    assert "共 2 题，错误 0 处，警告 2 处" in out.getvalue()
    assert not Question.objects.exists()
    call_command("import_questions", "--bank", str(town_bank.pk), str(path), "--commit", stdout=out)
    assert f"已导入 2 题到题库“{town_bank.name}”。" in out.getvalue()
    assert Question.objects.filter(bank=town_bank).count() == 2


def test_import_questions_command_fails_on_errors(town_bank: QuestionBank, tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes("题型,题干,选项A,选项B,答案\n单选,题一,甲,乙,C\n".encode("gb18030"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="有 1 处错误，未导入。"):
        call_command("import_questions", "--bank", str(town_bank.pk), str(path), "--commit", stdout=out)
    assert "  第 2 行 答案 错误：答案 C 不在选项 AB 之中。（answer_not_in_options）" in out.getvalue()
    assert not Question.objects.exists()


def test_import_questions_command_file_error(town_bank: QuestionBank, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match=r"文件为空。（file_empty）"):
        call_command("import_questions", "--bank", str(town_bank.pk), str(path))
