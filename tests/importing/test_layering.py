"""quizzes/importing/ reads and parses files and writes nothing: it imports no service and no transaction."""

from __future__ import annotations

import ast
from pathlib import Path

import quizzes.importing

PACKAGE = Path(quizzes.importing.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_importing_does_not_depend_on_services_or_write() -> None:
    offenders = {}
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        bad = sorted(
            name
            for name in _imports(path)
            if "services" in name or name.endswith(("transaction", "django.db")) or name == "django.db.models"
        )
        if ".objects." in text:
            bad.append(".objects.")
        if bad:
            offenders[path.name] = bad
    assert offenders == {}


MESSAGE_SOURCES = [
    *sorted(PACKAGE.glob("*.py")),
    PACKAGE.parent / "questions.py",
    PACKAGE.parent / "services" / "banks.py",
    PACKAGE.parent / "services" / "imports.py",
]
MESSAGE_CALLS = {"Issue": 3, "ImportFileError": 0, "ImportHasErrors": 0, "QuestionProblem": 2}


def _has_cjk(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and any("\u4e00" <= ch <= "\u9fff" for ch in n.value)
        for n in ast.walk(node)
    )


def _is_translated(node: ast.AST) -> bool:
    """``_("…")`` or ``_("… %(x)s …") % {...}``, or a name (translated where it was built)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        node = node.left
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"_", "gettext", "gettext_lazy"}
    return isinstance(node, ast.Name | ast.Attribute)


def test_messages_for_people_are_marked_for_translation() -> None:
    """Every message of an import issue or error is a gettext call, so an English catalogue can translate it."""
    untranslated = []
    for path in MESSAGE_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            position = MESSAGE_CALLS.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            message = node.args[position]
            if _has_cjk(message) and not _is_translated(message):
                untranslated.append(f"{path.name}:{node.lineno}")
    assert untranslated == []
