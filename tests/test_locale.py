"""The English catalogue is complete: re-extracting messages must not silently leave any untranslated."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdfr]")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1])


def entries() -> list[tuple[bool, str, str]]:
    """(fuzzy, msgid, msgstr) of every entry but the header; wrapped strings are joined, obsolete ones left out."""
    found = []
    for block in PO.read_text(encoding="utf-8").strip().split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith('"'):
                fields[key] += _unquote(line)
            elif not line.startswith("#"):
                key, _, value = line.partition(" ")
                fields[key] = _unquote(value)
        if fields.get("msgid"):
            found.append((fuzzy, fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", ""))))
    return found


def test_every_message_has_an_english_translation():
    found = entries()
    assert len(found) > 250
    assert [msgid for fuzzy, msgid, msgstr in found if fuzzy or not msgstr] == []


def test_translations_keep_the_placeholders():
    found = entries()
    assert [
        msgid for _, msgid, msgstr in found if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ] == []
