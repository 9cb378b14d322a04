"""The Excel template and its CSV twin: real files written by openpyxl, LibreOffice and Chinese Excel."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from quizzes.importing.files import parse_file
from quizzes.importing.template import COLUMNS, EXAMPLES, template_xlsx
from quizzes.importing.types import ImportFileError, Issue, ParsedQuestion

from .conftest import csv_text, template_row, xlsx_bytes

ROWS = [
    template_row(
        题型="单选",
        题干="成年人是指年满（　）周岁的自然人。",
        A="十六",
        B="十八",
        C="二十",
        答案="B",
        解析="十八周岁以上的自然人为成年人。",
        法条依据="《中华人民共和国民法典》第十七条",
        难度=1,
        标签="总则编",
    ),
    template_row(
        题型="多选题",
        题干="下列属于承担民事责任方式的有",
        A="停止侵害",
        B="赔礼道歉",
        C="罚款",
        D="赔偿损失",
        答案="A,B,D",
        难度="2",
        标签="总则编、侵权责任编",
    ),
    template_row(
        题型="判断", 题干="遗嘱可以由本人亲笔书写。", 答案="正确", 法条依据="《中华人民共和国民法典》第一千一百三十四条"
    ),
    template_row(题干="婚前财产属于夫妻共同财产。", 答案="×"),
    template_row(题干="没有写题型的多选题", A="甲", B="乙", C="丙", 答案="A、C"),
]


def expected() -> list[tuple[int, str, str, list[str], list[str], int, list[str]]]:
    return [
        (2, "single", "成年人是指年满（　）周岁的自然人。", ["十六", "十八", "二十"], ["B"], 1, ["总则编"]),
        (
            3,
            "multiple",
            "下列属于承担民事责任方式的有",
            ["停止侵害", "赔礼道歉", "罚款", "赔偿损失"],
            ["A", "B", "D"],
            2,
            ["总则编", "侵权责任编"],
        ),
        (4, "judge", "遗嘱可以由本人亲笔书写。", ["正确", "错误"], ["A"], 3, []),
        (5, "judge", "婚前财产属于夫妻共同财产。", ["正确", "错误"], ["B"], 3, []),
        (6, "multiple", "没有写题型的多选题", ["甲", "乙", "丙"], ["A", "C"], 3, []),
    ]


def summary(questions: list[ParsedQuestion]) -> list[tuple[int, str, str, list[str], list[str], int, list[str]]]:
    return [(q.line, q.kind, q.stem, q.options, q.answer, q.difficulty, q.tags) for q in questions]


def errors(questions: list[ParsedQuestion]) -> list[tuple[int | None, str | None, str, str]]:
    return [(i.line, i.column, i.code, i.message) for q in questions for i in q.errors]


def test_xlsx_written_by_openpyxl() -> None:
    result = parse_file(filename="题库.xlsx", content=xlsx_bytes(ROWS))
    assert result.file_format == "xlsx"
    assert summary(result.questions) == expected()
    assert errors(result.questions) == []
    first = result.questions[0]
    assert first.explanation == "十八周岁以上的自然人为成年人。"
    assert first.legal_basis == "《中华人民共和国民法典》第十七条"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-16", b"")],
    ids=["utf8", "utf8-bom", "gb18030", "utf16-bom"],
)
def test_csv_encodings(encoding: str, prefix: bytes) -> None:
    content = prefix + csv_text(ROWS).encode(encoding)
    result = parse_file(filename="题库.csv", content=content)
    assert result.file_format == "csv"
    assert summary(result.questions) == expected()


def test_tab_separated_unicode_text_saved_as_txt() -> None:
    content = csv_text(ROWS).replace(",", "\t").encode("utf-16")
    result = parse_file(filename="题库.txt", content=content)
    assert summary(result.questions) == expected()


def test_csv_line_numbers_count_physical_lines() -> None:
    rows = [
        template_row(题干="第一题\n第二行", A="甲", B="乙", 答案="A"),
        template_row(题干="第二题", A="甲", 答案="A"),
    ]
    result = parse_file(filename="a.csv", content=csv_text(rows).encode())
    assert errors(result.questions) == [(4, "选项", "too_few_options", "选择题至少需要两个选项。")]


@pytest.fixture(scope="module")
def libreoffice_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    folder = tmp_path_factory.mktemp("lo")
    source = folder / "bank.csv"
    source.write_text(csv_text(ROWS), encoding="utf-8")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / "bank.xlsx").read_bytes()


def test_xlsx_converted_by_libreoffice(libreoffice_xlsx: bytes) -> None:
    workbook = load_workbook(io.BytesIO(libreoffice_xlsx), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][COLUMNS.index("难度")] == 1  # LibreOffice typed the cell as a number
    result = parse_file(filename="bank.xlsx", content=libreoffice_xlsx)
    assert summary(result.questions) == expected()


def test_header_found_below_a_title_row_in_any_order_with_aliases() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2024 年民法典竞赛题库"])
    sheet.append(["题目", "A", "B", "C", "正确答案", "类型", "备注"])
    sheet.append(["题一", "甲", "乙", "", "b", "单选", "x"])
    sheet.append([])
    sheet.append(["题二", "", "", "", True, "", ""])
    out = io.BytesIO()
    workbook.save(out)
    result = parse_file(filename="x.xlsx", content=out.getvalue())
    assert [(q.line, q.kind, q.stem, q.options, q.answer) for q in result.questions] == [
        (3, "single", "题一", ["甲", "乙"], ["B"]),
        (5, "judge", "题二", ["正确", "错误"], ["A"]),
    ]
    assert result.file_warnings == [Issue(2, "备注", "column_ignored", "未知的列“备注”，已忽略。")]


def test_first_sheet_with_a_header_is_read_and_template_parses() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_file(filename="模板.xlsx", content=template_xlsx())
    assert (caught.value.code, caught.value.message) == ("no_questions", "文件中没有找到试题（表头下面没有内容）。")
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in workbook["试题"][1]] == COLUMNS
    assert workbook.sheetnames == ["试题", "填写说明"]
    filled = xlsx_bytes(EXAMPLES)
    assert [q.kind for q in parse_file(filename="t.xlsx", content=filled).questions] == ["single", "multiple", "judge"]


def test_row_errors_with_exact_rows_and_columns() -> None:
    rows = [
        template_row(题型="单选", 题干="没有答案", A="甲", B="乙"),
        template_row(题型="单选", 题干="答案不在选项中", A="甲", B="乙", 答案="D"),
        template_row(题型="单选", 题干="单选多个答案", A="甲", B="乙", C="丙", 答案="AB"),
        template_row(题型="判断", 题干="判断多个答案", 答案="AB"),
        template_row(题型="单选", 题干="只有一个选项", A="甲", 答案="A"),
        template_row(题型="单选", 题干="", A="甲", B="乙", 答案="A"),
        template_row(题型="单选", 题干="中间空了一个选项", A="甲", B="", C="丙", 答案="A"),
        template_row(题型="填空", 题干="未知题型", A="甲", B="乙", 答案="A"),
        template_row(题型="单选", 题干="题" * 2001, A="甲", B="乙", 答案="A"),
        template_row(题型="单选", 题干="标签太长", A="甲", B="乙", 答案="A", 标签="签" * 51),
        template_row(题型="多选", 题干="答案写成了文字", A="甲", B="乙", 答案="甲乙"),
        template_row(题型="判断", 题干="判断题答案无法识别", 答案="不知道"),
    ]
    result = parse_file(filename="errors.xlsx", content=xlsx_bytes(rows))
    assert errors(result.questions) == [
        (2, "答案", "no_answer", "缺少答案。"),
        (3, "答案", "answer_not_in_options", "答案 D 不在选项 AB 之中。"),
        (4, "答案", "too_many_answers", "单选题和判断题只能有一个答案。"),
        (5, "答案", "too_many_answers", "单选题和判断题只能有一个答案。"),
        (6, "选项", "too_few_options", "选择题至少需要两个选项。"),
        (7, "题干", "empty_stem", "题干不能为空。"),
        (8, "选项B", "empty_option", "选项内容不能为空。"),
        (9, "题型", "kind_invalid", "无法识别题型“填空”，应为 单选、多选 或 判断。"),
        (10, "题干", "too_long", "题干超过 2000 字（现有 2001 字）。"),
        (11, "标签", "too_long", "标签“签签签签签签签签签签…”超过 50 字（现有 51 字）。"),
        (12, "答案", "answer_unreadable", "无法识别答案“甲乙”，选择题答案应为选项字母，如 A 或 ABD。"),
        (13, "答案", "answer_unreadable", "无法识别判断题答案“不知道”，应为 正确/错误（对/错、√/×、是/否、T/F）。"),
    ]


def test_row_warnings() -> None:
    rows = [
        template_row(题型="判断", 题干="判断题填了选项", A="甲", B="乙", 答案="对"),
        template_row(题型="多选", 题干="多选只有一个答案", A="甲", B="乙", 答案="B"),
        template_row(题型="单选", 题干="难度写错", A="甲", B="乙", 答案="A", 难度="很难"),
    ]
    result = parse_file(filename="w.xlsx", content=xlsx_bytes(rows))
    assert errors(result.questions) == []
    assert [(i.line, i.column, i.code, i.message) for q in result.questions for i in q.warnings] == [
        (2, "选项", "judge_options_ignored", "判断题的选项已忽略，固定为“正确”“错误”。"),
        (3, "答案", "multiple_one_answer", "多选题只有一个答案 B，请确认。"),
        (4, "难度", "difficulty_invalid", "难度“很难”无效（应为 1–5 的整数），已按 3 处理。"),
    ]


def _file_error(filename: str, content: bytes) -> tuple[str, str]:
    with pytest.raises(ImportFileError) as caught:
        parse_file(filename=filename, content=content)
    return caught.value.code, caught.value.message


def test_file_error_empty() -> None:
    assert _file_error("a.xlsx", b"") == ("file_empty", "文件为空。")
    assert _file_error("a.txt", b"  \n\n") == ("file_empty", "文件为空。")


def test_file_error_too_large() -> None:
    assert _file_error("a.csv", b"x" * (20 * 1024 * 1024 + 1)) == ("file_too_large", "文件超过 20 MB，请拆分后上传。")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (201 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    assert _file_error("bomb.xlsx", out.getvalue()) == ("file_too_large", "文件解压后超过 200 MB，请拆分后上传。")


def test_file_error_corrupt_xlsx() -> None:
    content = xlsx_bytes(ROWS)
    assert _file_error("a.xlsx", content[: len(content) // 2]) == (
        "file_corrupt",
        "文件“a.xlsx”已损坏或不完整，无法读取。",
    )


def test_file_error_xlsx_with_damaged_part() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROWS))) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, b"<not xml" if info.filename == "xl/workbook.xml" else data)
    assert _file_error("a.xlsx", out.getvalue()) == ("file_corrupt", "Excel 文件已损坏或格式不正确，无法读取。")


def test_file_error_encrypted_xlsx() -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(xlsx_bytes(ROWS))).encrypt("secret", out)
    assert _file_error("加密.xlsx", out.getvalue()) == (
        "file_encrypted",
        "文件设置了打开密码（已加密），无法读取。请在 Excel/Word 中取消密码后重新上传。",
    )


def test_file_error_pdf_renamed_xlsx() -> None:
    assert _file_error("题库.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n") == (
        "file_wrong_type",
        "文件类型不符：“题库.xlsx”实际是PDF 文档。请上传 .xlsx、.csv、.docx 或 .txt 文件。",
    )


def test_file_error_text_renamed_xlsx() -> None:
    assert _file_error("题库.xlsx", "题干,答案\n题,A\n".encode()) == (
        "file_wrong_type",
        "文件类型不符：“题库.xlsx”不是有效的 .xlsx 文件（可能是改了扩展名的其他文件）。",
    )


def test_file_error_zip_that_is_not_office() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _file_error("题库.xlsx", out.getvalue()) == (
        "file_wrong_type",
        "文件类型不符：“题库.xlsx”是压缩包，不是 Excel（.xlsx）或 Word（.docx）文件。"
        "请上传 .xlsx、.csv、.docx 或 .txt 文件。",
    )


def test_file_error_legacy_xls() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "W\0o\0r\0k\0b\0o\0o\0k\0".encode("latin-1")
    assert _file_error("旧.xls", ole2) == (
        "file_legacy_format",
        "不支持旧版 Excel（.xls）或 Word（.doc）文件，请另存为 .xlsx 或 .docx 后上传。",
    )


def test_file_error_binary_not_text() -> None:
    assert _file_error("a.csv", b"\x00\x01\x02binary\x00") == (
        "file_wrong_type",
        "文件类型不符：“a.csv”不是文本文件。请上传 .xlsx、.csv、.docx 或 .txt 文件。",
    )


def test_file_error_undecodable_text() -> None:
    assert _file_error("a.csv", b"\xff\x80\x80abc") == (
        "file_bad_encoding",
        "无法识别文件的文字编码，请另存为 UTF-8 或 GB18030（GBK）编码后上传。",
    )


def test_file_error_missing_columns() -> None:
    assert _file_error("a.xlsx", xlsx_bytes([["题", "甲"]], header=["题干", "选项A"])) == (
        "missing_columns",
        "第 1 行表头缺少必需的列：答案。表头应为：" + "、".join(COLUMNS) + "。",
    )
    assert _file_error("a.csv", "姓名,电话\n张三,1\n".encode()) == (
        "missing_columns",
        "没有找到表头（含“题干”“答案”的一行）。表头应为：" + "、".join(COLUMNS) + "。",
    )
