"""Domain errors of accounts; ``api.errors`` maps them to HTTP with the quizzes' errors (same base class)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quizzes.errors import NotFound, QuizError


class RosterImportNotFound(NotFound):
    default_message = _("名册导入记录不存在或您无权访问。")


class PersonNotFound(NotFound):
    default_message = _("人员不存在或不在您的管理范围内。")


class PasswordsGone(QuizError):
    """The generated initial passwords of an import were downloaded already, or have expired."""

    code = "passwords_gone"
    default_message = _("初始密码已下载过或已过期，不能再次下载。")


class NoRosterUnit(QuizError):
    code = "unit_not_allowed"
    default_message = _("您没有所属单位，不能导入名册。")


class ManagedUnitNotFound(NotFound):
    default_message = _("单位不存在或不在您的管理范围内。")


class UnitNameTaken(QuizError):
    code = "unit_name_taken"
    default_message = _("同一上级单位下已有同名单位。")


class UnitChangeRefused(QuizError):
    """A change of the unit tree that its rules forbid (moving a unit into its own subtree, deactivating a
    unit that still has people, changing the unit one's own scope hangs from)."""

    code = "unit_change_refused"
    default_message = _("不能这样修改单位。")


class PasswordResetRefused(QuizError):
    code = "password_reset_refused"
    default_message = _("不能重置此账号的密码。")
