"""Every Chinese message in the app packages goes through gettext, so that English clients get English.

The source strings are Chinese (zh-hans is LANGUAGE_CODE); the English catalogue translates them. A Chinese
string literal that is not the argument of a gettext-family call would reach English clients untranslated,
so this test fails on one, unless it is data (listed below, each with the reason).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "quizzes", "api", "config", "demo")
# quizzes/data holds the shipped banks (data files); migrations freeze the models' texts of their time
EXCLUDED_DIRS = ("quizzes/data/",)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}

# Chinese literals that are data, not messages: module → names (module-level or class-level assignments,
# functions) whose literals may be Chinese, or "*" for the whole module. Every entry must still be needed.
DATA: dict[str, dict[str, str]] = {
    "quizzes/models.py": {
        "JUDGE_OPTIONS": "the options 正确/错误 stored in every judge question",
        "default_grade_bands": "grade names stored in each new exam, which its organizer may rename",
    },
    "quizzes/importing/types.py": {
        "FIELD_LABELS": "the template's column headers, which issues name as their column",
        "option_column": "the option columns' headers (选项A…选项H)",
    },
    "quizzes/importing/template.py": {
        "COLUMNS": "the template's header row, which imported files must match",
        "REQUIRED_COLUMNS": "idem",
        "_WIDTHS": "column widths keyed by header",
        "SHEET_TITLE": "the questions sheet's name, kept in exported files",
        "TAG_SEPARATOR": "how tags are written in the template's 标签 cell",
        "EXAMPLES": "example questions (Chinese questions, like the banks)",
    },
    "quizzes/importing/build.py": {
        "_KIND_VOCABULARY": "words for question kinds recognised in imported files",
        "KIND_LABELS": "kind words written in the template (export, drop-down)",
        "_TRUE_WORDS": "answer words recognised in imported files",
        "_FALSE_WORDS": "idem",
        "_DIFFICULTY_WORDS": "difficulty words recognised in imported files",
        "_ANSWER_SEPARATORS": "punctuation recognised in imported files",
        "_TAG_SEPARATORS": "idem",
        "_ANSWER_TRIM": "idem",
        "_KIND_TRIM": "idem",
    },
    "quizzes/importing/parse_table.py": {
        "_ALIASES": "header names of other platforms recognised in imported tables",
        "_OPTION_HEADER": "option headers recognised in imported tables",
    },
    "quizzes/importing/parse_text.py": {
        "_STRIP": "the conventions of Chinese exam text files, recognised in imported files",
        "_KINDS": "idem",
        "_HEADING": "idem",
        "_NUMBERED": "idem",
        "_KIND_PREFIX": "idem",
        "_OPTION": "idem",
        "_FIELD": "idem",
        "_BEFORE_INLINE_OPTIONS": "idem",
        "_FULLWIDTH_A": "idem",
        "_FIELD_BRACKET": "idem",
        "_OPEN_PARENS": "idem",
        "_is_cjk": "the ranges of CJK characters",
    },
    "quizzes/importing/shipped.py": {"SHIPPED_BANKS": "the shipped banks' names and descriptions, stored as theirs"},
    "quizzes/quality.py": {
        "ABSOLUTE_WORDS": "absolute words (一律、任何…) looked for in questions' texts",
        "_NOT_ABSOLUTE": "idem: words containing them that are not absolute (所有权, 首都)",
        "_OPTION_TRIM": "punctuation trimmed from option texts",
    },
    "quizzes/lawtexts.py": {"*": "the conventions of statute texts and citations: numerals, 第X条, 编/章/节, 《…》"},
    "quizzes/selectors_laws.py": {
        "cited_article_texts": "the title marks 《》 around a law's name",
        "_BOOK": "how a book (第一编 总则, 附则) opens a chapter path, read from law texts",
    },
    "quizzes/services/laws.py": {
        "_HEADER_FIELDS": "the header labels (名称/版本/来源) of the shipped law files",
        "read_shipped_law": "idem: the full-width colon after them",
        "law_text_preview": "the title marks 《》 stripped from a law's name",
    },
    "accounts/roster.py": {
        "ROSTER_FIELD_LABELS": "the roster's column headers, which files must match and issues name as their column",
        "ROSTER_ALIASES": "header names of other sheets recognised in imported rosters",
        "_PHONE_SEPARATORS": "separators of phone numbers (full-width brackets too) recognised in imported rosters",
    },
    "accounts/roster_xlsx.py": {"ROSTER_EXAMPLES": "example rows of the roster template (Chinese names and units)"},
    "quizzes/management/commands/load_banks.py": {"DEFAULT_ROOT_NAME": "the name of the unit it may create"},
    "config/settings.py": {"SPECTACULAR_SETTINGS": "TITLE is the product's name, Xuefa 学法, in every language"},
    "demo/exams.py": {
        "OPEN_QUIZ_TITLE": "the demo exams' titles and descriptions, stored as theirs",
        "OPEN_QUIZ_DESCRIPTION": "idem",
        "ROSTER_EXAM_TITLE": "idem",
        "ROSTER_EXAM_DESCRIPTION": "idem",
        "PRACTICE_SET_TITLE": "the demo practice set's title, stored as its own",
    },
    "demo/people.py": {"*": "the demo city: unit names, people's names, staff titles"},
}


def _modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and not path.relative_to(ROOT).as_posix().startswith(EXCLUDED_DIRS)
    )


def _is_gettext_argument(node: ast.AST, parent: ast.AST | None) -> bool:
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    func = parent.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in GETTEXT


def _is_docstring(node: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None, module: str) -> bool:
    kinds = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    if not isinstance(parent, ast.Expr) or not isinstance(grandparent, kinds) or grandparent.body[0] is not parent:
        return False
    # in the API, docstrings of views and serializers are descriptions in the OpenAPI schema: messages
    return isinstance(grandparent, ast.Module) or not module.startswith("api/")


def _owners(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> set[str]:
    """Names of the functions, classes and assignments that enclose ``node``."""
    names: set[str] = set()
    current: ast.AST | None = node
    while current is not None:
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(current.name)
        elif isinstance(current, ast.Assign | ast.AnnAssign):
            targets = current.targets if isinstance(current, ast.Assign) else [current.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        current = parents.get(current)
    return names


def unwrapped_literals() -> tuple[list[str], set[tuple[str, str]]]:
    """(Chinese literals outside gettext and outside the data, as "path:line: text"; the data entries used)."""
    found: list[str] = []
    used: set[tuple[str, str]] = set()
    for path in _modules():
        module = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=module)
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        allowed = DATA.get(module, {})
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
                continue
            parent = parents.get(node)
            if _is_gettext_argument(node, parent):
                continue
            if _is_docstring(node, parent, parents.get(parent) if parent else None, module):
                continue
            if "*" in allowed:
                used.add((module, "*"))
                continue
            owners = _owners(node, parents) & set(allowed)
            if owners:
                used.update((module, name) for name in owners)
                continue
            found.append(f"{module}:{node.lineno}: {node.value!r}")
    return found, used


def test_every_chinese_literal_is_wrapped_for_translation_or_listed_as_data():
    found, _used = unwrapped_literals()
    assert found == [], (
        "Chinese string literals outside gettext: wrap messages in _() (gettext_lazy where evaluated at import), "
        "or, for data (vocabularies, template headers, demo data), list the name in DATA with the reason"
    )


def test_every_data_entry_is_still_needed():
    _found, used = unwrapped_literals()
    listed = {(module, name) for module, names in DATA.items() for name in names}
    assert sorted(listed - used) == []


def test_the_check_finds_an_unwrapped_message_and_passes_a_wrapped_one():
    source = 'from django.utils.translation import gettext as _\nA = _("已交卷。")\nB = "已交卷。"\nC = _(f"{A}分")\n'
    tree = ast.parse(source)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    flagged = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and not _is_gettext_argument(node, parents.get(node))
    ]
    assert flagged == [3, 4]  # the bare literal, and the f-string inside _() (never translated)
