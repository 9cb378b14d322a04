"""Rules of the unit tree, as plain functions of what they decide on (no queries): who may change which
unit, where a unit may move and when it may be deactivated. ``accounts.services.units`` applies them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import UnitChangeRefused


def check_change(*, unit_path: str, scope_path: str | None) -> None:
    """A unit may be renamed, moved or deactivated by an organizer whose subtree holds it strictly below their
    own unit (``scope_path``; None: the superuser, who may change any unit). Their own unit is their
    superiors' to change: it is the root of everything they manage."""
    if scope_path is not None and unit_path == scope_path:
        raise UnitChangeRefused(_("不能修改您自己所属的单位，请联系上级单位的组织者。"))


def check_move(*, unit_path: str, new_parent_path: str, scope_path: str | None) -> None:
    """A unit moves under another unit of the same scope, never into its own subtree."""
    if new_parent_path.startswith(unit_path):
        raise UnitChangeRefused(_("不能把单位移到它自己或它的下级单位之下。"))
    if scope_path is not None and not new_parent_path.startswith(scope_path):
        raise UnitChangeRefused(_("只能移到您管理范围内的单位之下。"))


def check_deactivate(*, active_people: int, active_children: int) -> None:
    """A unit is deactivated only when empty: its active people moved or deactivated first, and its active
    child units deactivated or moved first, so that nobody is left in a unit that no longer exists."""
    if active_children:
        raise UnitChangeRefused(
            _("该单位还有 %(count)d 个启用的下级单位，请先停用或移走它们。") % {"count": active_children}
        )
    if active_people:
        raise UnitChangeRefused(
            _("该单位还有 %(count)d 名在用账号，请先把他们调到其他单位或停用。") % {"count": active_people}
        )


def check_reactivate(*, parent_active: bool) -> None:
    if not parent_active:
        raise UnitChangeRefused(_("上级单位已停用，请先启用上级单位。"))
