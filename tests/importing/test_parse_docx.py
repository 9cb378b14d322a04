"""Word documents written by python-docx: paragraphs, soft line breaks and table cells."""

from __future__ import annotations

import io

import pytest
from docx import Document

from quizzes.importing.files import parse_file
from quizzes.importing.types import ImportFileError


def docx_bytes(build) -> bytes:
    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _exam(document) -> None:
    document.add_heading("民法典知识竞赛试题", level=1)  # paragraph 1
    document.add_paragraph("一、单项选择题")  # 2
    document.add_paragraph("1．十八周岁以上的自然人为（　）。")  # 3
    document.add_paragraph("Ａ．未成年人　Ｂ．成年人　Ｃ．限制民事行为能力人")  # 4
    document.add_paragraph("【答案】Ｂ")  # 5
    document.add_paragraph("【解析】民法典第十七条。")  # 6
    paragraph = document.add_paragraph("2、离婚冷静期为（　）日。")  # 7
    paragraph.add_run().add_break()
    paragraph.add_run("A、十五\tB、三十")
    document.add_paragraph("答案：B")  # 8
    document.add_paragraph("二、判断题")  # 9
    table = document.add_table(rows=2, cols=2)  # cells: 10, 11, 12, 13
    table.cell(0, 0).text = "1.遗嘱可以由本人亲笔书写。"
    table.cell(0, 1).text = "答案：√"
    table.cell(1, 0).text = "2.夫妻一方的婚前财产为夫妻共同财产。"
    table.cell(1, 1).text = "答案：×"
    document.add_paragraph("三、多项选择题")  # 14
    document.add_paragraph("1.下列属于人格权的有")  # 15
    document.add_paragraph("(A)生命权")  # 16
    document.add_paragraph("(B)姓名权")  # 17
    document.add_paragraph("(C)所有权")  # 18
    document.add_paragraph("")  # 19
    document.add_paragraph("正确答案：A,B")  # 20


def test_docx_paragraphs_breaks_and_tables() -> None:
    result = parse_file(filename="试题.docx", content=docx_bytes(_exam))
    assert result.file_format == "docx"
    assert [(q.line, q.kind, q.stem, q.options, q.answer) for q in result.questions] == [
        (3, "single", "十八周岁以上的自然人为（　）。", ["未成年人", "成年人", "限制民事行为能力人"], ["B"]),
        (7, "single", "离婚冷静期为（　）日。", ["十五", "三十"], ["B"]),
        (10, "judge", "遗嘱可以由本人亲笔书写。", ["正确", "错误"], ["A"]),
        (12, "judge", "夫妻一方的婚前财产为夫妻共同财产。", ["正确", "错误"], ["B"]),
        (15, "multiple", "下列属于人格权的有", ["生命权", "姓名权", "所有权"], ["A", "B"]),
    ]
    assert result.questions[0].explanation == "民法典第十七条。"
    assert [(w.line, w.code) for w in result.file_warnings] == [(1, "line_ignored")]


def test_docx_errors_carry_paragraph_numbers() -> None:
    def build(document) -> None:
        document.add_paragraph("1.没有答案的题")
        document.add_paragraph("A.甲")
        document.add_paragraph("B.乙")
        document.add_paragraph("2.答案不在选项中的题")
        document.add_paragraph("A.甲")
        document.add_paragraph("B.乙")
        document.add_paragraph("答案：C")

    result = parse_file(filename="e.docx", content=docx_bytes(build))
    assert [(i.line, i.column, i.code, i.message) for q in result.questions for i in q.errors] == [
        (1, "答案", "no_answer", "缺少答案。"),
        (7, "答案", "answer_not_in_options", "答案 C 不在选项 AB 之中。"),
    ]


def test_docx_merged_cells_are_read_once() -> None:
    def build(document) -> None:
        table = document.add_table(rows=2, cols=2)
        merged = table.cell(0, 0).merge(table.cell(0, 1))
        merged.text = "1.合并单元格里的判断题。"
        table.cell(1, 0).text = "答案：对"

    result = parse_file(filename="m.docx", content=docx_bytes(build))
    assert [(q.stem, q.answer) for q in result.questions] == [("合并单元格里的判断题。", ["A"])]


def test_docx_without_questions() -> None:
    content = docx_bytes(lambda d: d.add_paragraph("只是一封通知。"))
    with pytest.raises(ImportFileError) as caught:
        parse_file(filename="n.docx", content=content)
    assert caught.value.code == "no_questions"


def test_corrupt_docx() -> None:
    content = docx_bytes(_exam)
    with pytest.raises(ImportFileError) as caught:
        parse_file(filename="c.docx", content=content[:400])
    assert (caught.value.code, caught.value.message) == ("file_corrupt", "文件“c.docx”已损坏或不完整，无法读取。")


def test_encrypted_docx() -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(docx_bytes(_exam))).encrypt("secret", out)
    with pytest.raises(ImportFileError) as caught:
        parse_file(filename="c.docx", content=out.getvalue())
    assert caught.value.code == "file_encrypted"
