"""Pure rules of certificates (合格证书): verification codes, and what the public verification shows.

No database, no clock; tested directly in tests/quizzes/test_certificates.py.
"""

from __future__ import annotations

import secrets

from . import reporting

# Crockford's base32 without I, L, O, U: nothing to misread on paper or to mistype from it
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits: unguessable, so the public verification cannot be enumerated
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    """A fresh random verification code of ``CODE_LENGTH`` characters from ``CODE_ALPHABET``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The code as printed, in groups of four: 7K3M-Q9XD-2FHT."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """The code someone typed or scanned: case, dashes and spaces do not matter, and the letters that
    Crockford's alphabet leaves out are read as the digits they look like (O → 0, I/L → 1).
    None when it cannot be a code (wrong length or characters), so that a lookup is not even tried."""
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def verified_name(policy: str, real_name: str) -> str | None:
    """The holder's name as the public verification shows it: never more than the exam shows other
    participants on its leaderboard (``Exam.leaderboard_names``), and never the full name even when the
    exam shows full names there, since anyone holding the code sees it. ``unit_only``: no name."""
    return reporting.name_for_participant("masked" if policy == "full" else policy, real_name)
