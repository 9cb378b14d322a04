"""Refusals of the management commands: a missing unit, bank or file stops them with a message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Question, QuestionBank

pytestmark = pytest.mark.django_db


def test_load_banks_refuses_an_unknown_unit() -> None:
    with pytest.raises(CommandError, match="单位 999999 不存在"):
        call_command("load_banks", "--unit", "999999", stdout=io.StringIO(), stderr=io.StringIO())
    assert not QuestionBank.objects.exists()


def test_import_questions_refuses_an_unknown_bank(tmp_path: Path) -> None:
    source = tmp_path / "q.txt"
    source.write_text("1. 题干（ ）\nA. 甲\nB. 乙\n答案：A\n", encoding="utf-8")
    with pytest.raises(CommandError, match="题库 999999 不存在"):
        call_command("import_questions", "--bank", "999999", str(source), stdout=io.StringIO())


def test_import_questions_refuses_a_file_it_cannot_read(bank: QuestionBank, tmp_path: Path) -> None:
    before = Question.objects.count()
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_questions", "--bank", str(bank.pk), str(tmp_path / "missing.xlsx"), stdout=io.StringIO())
    assert Question.objects.count() == before
