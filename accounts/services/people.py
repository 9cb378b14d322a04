"""Staff actions on one person's account from the console (the lockout's unlock is in ``accounts.services``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import AuditContext, audit_record
from ..errors import PasswordResetRefused
from ..lockout import lockout_reset
from ..models import AuditEvent, User
from ..roster import generate_password


@transaction.atomic
def user_password_issue(*, user: User, actor: User, audit: AuditContext | None = None) -> str:
    """Give ``user`` a new generated initial password that must be changed at the next sign-in, lift their
    login lockout, and return the password (shown once to the organizer; never stored in plain text).

    Refused for one's own account (change it instead) and for the superuser's, unless by the superuser.
    The old password stops working at once, and sessions signed in with it end (Django's session hash)."""
    if user.pk == actor.pk:
        raise PasswordResetRefused(_("不能重置自己的密码，请在“修改密码”中修改。"))
    if user.is_superuser and not actor.is_superuser:
        raise PasswordResetRefused(_("系统管理员的密码只能由系统管理员重置。"))
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    lockout_reset(user=user)
    audit_record(context=audit, action=AuditEvent.Action.USER_PASSWORD_ISSUE, unit=user.unit, target=user)
    return password
