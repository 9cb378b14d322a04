"""One person, one phone number (docs/security.md): the database holds each non-blank ``User.phone`` once
(``PHONE_UNIQUE``, a partial unique index: blank phones may repeat), stored in its normalised form
(``accounts.roster.normalise_phone``: +86, spaces and dashes dropped), so that one number typed two ways is
still one number. Sign-up, the roster import and the admin check first and say which field is wrong; the
constraint settles a race between two of them (``is_phone_conflict``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from .models import User
from .roster import normalise_phone

PHONE_UNIQUE = "user_unique_phone"
PHONE_TAKEN_MESSAGE = _("该手机号已被其他账号使用。")


def stored_phone(text: str) -> str:
    """A phone as the database keeps it: normalised when it is a mainland mobile number, else as typed."""
    text = text.strip()
    if not text:
        return ""
    return normalise_phone(text) or text


def phone_holders(phones: Iterable[str]) -> dict[str, User]:
    """The accounts that hold these (stored) phones, by phone."""
    wanted = sorted({p for p in phones if p})
    found: dict[str, User] = {}
    for start in range(0, len(wanted), 2000):
        for user in User.objects.filter(phone__in=wanted[start : start + 2000]).select_related("unit"):
            found[user.phone] = user
    return found


def phone_taken(phone: str, *, other_than: int | None = None) -> bool:
    """Whether another account than ``other_than`` holds the (stored) ``phone``."""
    holders = User.objects.filter(phone=phone)
    if other_than is not None:
        holders = holders.exclude(pk=other_than)
    return bool(phone) and holders.exists()


def is_phone_conflict(exc: BaseException) -> bool:
    """An ``IntegrityError`` raised by ``PHONE_UNIQUE`` (PostgreSQL names the index, SQLite the column)."""
    text = str(exc)
    return isinstance(exc, IntegrityError) and (PHONE_UNIQUE in text or "accounts_user.phone" in text)
