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
