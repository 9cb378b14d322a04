"""The shipped banks (quizzes/data/banks/*.csv): read by importing.shipped, loaded by services.shipped."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Unit
from quizzes.errors import ImportHasErrors
from quizzes.importing import shipped
from quizzes.importing.dedupe import question_text
from quizzes.importing.parse_table import parse_csv
from quizzes.importing.types import ImportFileError, ParsedQuestion
from quizzes.models import Question, QuestionBank
from quizzes.services.banks import bank_create, question_create
from quizzes.services.shipped import banks_load_shipped
from tests.conftest import Tree

from .conftest import csv_text, template_row

ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+条")
CIVIL_CODE_BOOKS = ["总则编", "物权编", "合同编", "人格权编", "婚姻家庭编", "继承编", "侵权责任编"]
REAL_DIR = Path(shipped.__file__).resolve().parent.parent / "data" / "banks"


def _real(filename: str) -> list[ParsedQuestion]:
    path = REAL_DIR / filename
    if not path.is_file():
        pytest.skip(f"{path} is not there yet (written by the content team)")
    return parse_csv(path.read_bytes()).questions


@pytest.mark.parametrize(("filename", "minimum"), [("civil_code.csv", 200), ("cadre_law.csv", 120)])
def test_real_shipped_bank_is_clean(filename: str, minimum: int) -> None:
    questions = _real(filename)
    assert len(questions) >= minimum
    problems = [(q.line, i.message) for q in questions for i in q.errors]
    assert problems == []
    for q in questions:
        assert set(q.answer) <= set("ABCDEFGH"[: len(q.options)]), q.line
        assert q.legal_basis.startswith("《"), (q.line, q.legal_basis)
        assert ARTICLE.search(q.legal_basis), (q.line, q.legal_basis)
    texts = [question_text(kind=q.kind, stem=q.stem, options=q.options) for q in questions]
    duplicates = sorted({q.line for q, t in zip(questions, texts, strict=True) if texts.count(t) > 1})
    assert duplicates == []


def test_real_civil_code_covers_all_seven_books() -> None:
    questions = _real("civil_code.csv")
    tags = {tag for q in questions for tag in q.tags}
    assert [book for book in CIVIL_CODE_BOOKS if book not in tags] == []
    assert {q.kind for q in questions} == {"single", "multiple", "judge"}


# --- the loader, on small fixtures in the same format ----------------------------------------

CIVIL = [
    template_row(
        题型="单选",
        题干="十八周岁以上的自然人为（ ）。",
        A="未成年人",
        B="成年人",
        答案="B",
        法条依据="《中华人民共和国民法典》第十七条",
        标签="总则编",
    ),
    template_row(
        题型="判断",
        题干="自书遗嘱由遗嘱人亲笔书写，签名，注明年、月、日。",
        答案="正确",
        法条依据="《中华人民共和国民法典》第一千一百三十四条",
        标签="继承编",
    ),
    template_row(
        题型="多选",
        题干="下列属于人格权的有（ ）。",
        A="生命权",
        B="姓名权",
        C="所有权",
        答案="AB",
        法条依据="《中华人民共和国民法典》第九百九十条",
        标签="人格权编",
    ),
]
CADRE = [
    template_row(
        题型="判断",
        题干="中华人民共和国的一切权力属于人民。",
        答案="正确",
        法条依据="《中华人民共和国宪法》第二条",
        标签="宪法",
    ),
]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path)
    (tmp_path / "civil_code.csv").write_text(csv_text(CIVIL), encoding="utf-8-sig")
    (tmp_path / "cadre_law.csv").write_bytes(csv_text(CADRE).encode("gb18030"))
    return tmp_path


@pytest.mark.django_db
def test_banks_load_shipped_is_idempotent(data_dir: Path, tree: Tree) -> None:
    city = tree.city
    civil = bank_create(name="《中华人民共和国民法典》题库", unit=city)
    question_create(
        bank=civil, kind="single", stem="十八周岁以上的自然人为（　）。", options=["未成年人", "成年人"], answer=["B"]
    )
    assert banks_load_shipped(unit=tree.city) == {
        "《中华人民共和国民法典》题库": 2,
        "学纪学法（宪法与公职人员法律）题库": 1,
    }
    assert banks_load_shipped(unit=tree.city) == {
        "《中华人民共和国民法典》题库": 0,
        "学纪学法（宪法与公职人员法律）题库": 0,
    }
    assert Question.objects.filter(bank=civil).count() == 3
    cadre = QuestionBank.objects.get(name="学纪学法（宪法与公职人员法律）题库")
    assert cadre.unit == city
    assert [t.name for t in Question.objects.get(bank=cadre).tags.all()] == ["宪法"]


@pytest.mark.django_db
def test_banks_load_shipped_names_the_missing_file(data_dir: Path, tree: Tree) -> None:
    (data_dir / "cadre_law.csv").unlink()
    with pytest.raises(ImportFileError) as caught:
        banks_load_shipped(unit=tree.city)
    assert caught.value.code == "shipped_bank_missing"
    assert "cadre_law.csv" in caught.value.message
    assert not QuestionBank.objects.exists()
    assert banks_load_shipped(unit=tree.city, skip_missing=True) == {"《中华人民共和国民法典》题库": 3}


@pytest.mark.django_db
def test_load_banks_command_creates_the_city_when_there_is_no_unit(data_dir: Path) -> None:
    out = io.StringIO()
    call_command("load_banks", stdout=out)
    city = Unit.objects.get()
    assert (city.name, city.kind, city.parent) == ("全市", "city", None)
    assert out.getvalue().splitlines() == [
        "《中华人民共和国民法典》题库（全市）：新增 3 题。",
        "学纪学法（宪法与公职人员法律）题库（全市）：新增 1 题。",
    ]
    call_command("load_banks", stdout=out)
    assert Question.objects.count() == 4


@pytest.mark.django_db
def test_load_banks_command_unit_option_and_missing_file(data_dir: Path, tree: Tree) -> None:
    town = tree.town_a
    (data_dir / "civil_code.csv").unlink()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 个题库未能导入。"):
        call_command("load_banks", "--unit", str(town.pk), stdout=out, stderr=err)
    assert "缺少题库文件" in err.getvalue() and "civil_code.csv" in err.getvalue()
    assert "《中华人民共和国民法典》题库 未导入。" in err.getvalue()
    assert out.getvalue() == "学纪学法（宪法与公职人员法律）题库（南关镇）：新增 1 题。\n"
    assert QuestionBank.objects.get().unit == town


@pytest.mark.django_db
def test_load_banks_command_refuses_a_file_with_errors(data_dir: Path, tree: Tree) -> None:
    (data_dir / "cadre_law.csv").write_text(csv_text([template_row(题型="单选", 题干="坏题", A="甲", 答案="A")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_banks", stdout=io.StringIO(), stderr=err)
    assert "cadre_law.csv 有 1 处错误：第 2 行 选项：选择题至少需要两个选项。" in err.getvalue()
    assert not QuestionBank.objects.exists()  # the good civil_code.csv is not loaded either: all or nothing


def test_reading_the_shipped_banks_writes_nothing(data_dir: Path) -> None:
    """No database here (no db fixture): reading and checking is pure."""
    read = shipped.read_shipped_banks()
    assert [(town_bank.filename, len(questions)) for town_bank, questions in read] == [
        ("civil_code.csv", 3),
        ("cadre_law.csv", 1),
    ]
    assert read[1][1][0].stem == "中华人民共和国的一切权力属于人民。"


@pytest.mark.django_db
def test_a_file_with_errors_loads_nothing_at_all(data_dir: Path, tree: Tree) -> None:
    (data_dir / "cadre_law.csv").write_text(csv_text([template_row(题型="单选", 题干="坏题", A="甲", 答案="A")]))
    with pytest.raises(ImportHasErrors, match=r"cadre_law\.csv 有 1 处错误"):
        banks_load_shipped(unit=tree.city)
    assert not QuestionBank.objects.exists()
