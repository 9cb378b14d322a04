"""The unit tree's rules as plain functions (accounts.units): no database."""

from __future__ import annotations

import pytest

from accounts import units
from accounts.errors import UnitChangeRefused


def test_an_organizer_changes_units_below_their_own_and_the_superuser_any() -> None:
    units.check_change(unit_path="00010002", scope_path="0001")
    units.check_change(unit_path="0001", scope_path=None)
    with pytest.raises(UnitChangeRefused, match="自己所属的单位"):
        units.check_change(unit_path="0001", scope_path="0001")


@pytest.mark.parametrize(
    ("unit", "parent", "scope", "refused"),
    [
        ("00010002", "00010003", "0001", None),
        ("00010002", "0001", "0001", None),  # up to the organizer's own unit
        ("00010002", "00010002", "0001", "自己或它的下级"),
        ("00010002", "000100020001", "0001", "自己或它的下级"),
        ("00010002", "0002", "0001", "管理范围内"),
        ("00010002", "0002", None, None),  # the superuser moves across towns
    ],
)
def test_where_a_unit_may_move(unit: str, parent: str, scope: str | None, refused: str | None) -> None:
    if refused is None:
        units.check_move(unit_path=unit, new_parent_path=parent, scope_path=scope)
    else:
        with pytest.raises(UnitChangeRefused, match=refused):
            units.check_move(unit_path=unit, new_parent_path=parent, scope_path=scope)


def test_only_an_empty_unit_is_deactivated_children_first() -> None:
    units.check_deactivate(active_people=0, active_children=0)
    with pytest.raises(UnitChangeRefused, match="2 个启用的下级单位"):
        units.check_deactivate(active_people=5, active_children=2)
    with pytest.raises(UnitChangeRefused, match="5 名在用账号"):
        units.check_deactivate(active_people=5, active_children=0)


def test_reactivation_needs_an_active_parent() -> None:
    units.check_reactivate(parent_active=True)
    with pytest.raises(UnitChangeRefused, match="上级单位已停用"):
        units.check_reactivate(parent_active=False)
