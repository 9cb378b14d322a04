"""A foreign key with ``db_index=False`` leads a unique constraint or an index of its model, which serves its lookups
(tests/test_schema_indexes.py): an index of its own would cost every write and serve nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PATH_STEP = 4  # characters of the materialised path per tree level: "0001", "0002", …


class Unit(models.Model):
    """A work unit (单位) in a tree of any depth: city → town/street → department/village.

    ``path`` is a materialised path ("0001" + "0003" + …) kept by ``accounts.services.unit_create``,
    so that a whole subtree is one indexed ``path__startswith`` query.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("市/县")
        TOWN = "town", _("镇")
        STREET = "street", _("街道")
        DEPARTMENT = "department", _("部门")
        VILLAGE = "village", _("村/社区")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    # A deactivated unit (撤并、停用) keeps its history (results, audit) but takes no new people: the roster
    # import, the sign-up form and the public unit list leave it out.
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or lies in its subtree."""
        return self.path.startswith(other.path)


class User(AbstractUser):
    """A person: participant, organizer or HR, always attached to one unit.

    ``username`` is the account name people log in with: a phone number or an employee number.
    """

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("参考人员")
        ORGANIZER = "organizer", _("组织者")
        HR = "hr", _("人事")

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    # On the roster (应考人员: imported by an organizer) rather than signed up for an open quiz; the
    # roster is the headcount of participation rates. Existing and imported people are on it.
    is_on_roster = models.BooleanField(_("在名册中"), default=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        indexes = [models.Index(fields=["unit", "role"])]
        constraints = [
            # one person, one phone (accounts/phones.py); blank phones repeat
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="user_unique_phone",
                violation_error_code="phone_taken",
                violation_error_message=_("该手机号已被其他账号使用。"),
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username


class RosterImport(models.Model):
    """An uploaded roster (名册) between preview and commit; formats in docs/import-formats.md.

    ``items`` holds each row as parsed and resolved against the unit tree, with its errors and warnings
    and the planned action (create, update, unchanged), so that commit applies what the organizer saw.
    Passwords given in the file are kept only as hashes; generated ones are never stored here (see
    ``accounts.services.roster``).
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        COMMITTED = "committed", _("已导入")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    deactivate_missing = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    items = models.JSONField(default=list)
    file_warnings = models.JSONField(default=list)
    to_deactivate = models.JSONField(default=list)  # [{"user_id", "username", "real_name"}] as previewed
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict)  # counts of the commit: created, updated, unchanged, deactivated
    passwords_expire_at = models.DateTimeField(null=True, blank=True)
    passwords_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.unit_id}"

    def passwords_available(self, now: datetime) -> bool:
        """Whether the generated initial passwords may still be downloaded: once, within their time."""
        return bool(self.passwords_expire_at and self.passwords_expire_at > now and not self.passwords_downloaded_at)

    @property
    def counts(self) -> dict[str, int]:
        """The preview in numbers: rows, valid rows, errors, warnings and what a commit would do."""
        actions = [item["action"] for item in self.items]
        return {
            "rows": len(self.items),
            "valid": sum(1 for item in self.items if not item["errors"]),
            "errors": self.error_count,
            "warnings": self.warning_count,
            "to_create": actions.count("create"),
            "to_update": actions.count("update"),
            "unchanged": actions.count("unchanged"),
            "to_deactivate": len(self.to_deactivate),
        }


class SiteSettings(models.Model):
    """Site-wide switches an organizer of the root unit may change; a single row (pk=1)."""

    self_signup_enabled = models.BooleanField(_("允许自助注册"), default=True)

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self) -> str:
        return "site settings"

    @classmethod
    def load(cls) -> SiteSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class AuditLogIsAppendOnly(Exception):
    """An audit event was to be changed or deleted: the log only grows (docs/adr/0012-audit-log.md)."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditLogIsAppendOnly()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly()


class AuditEvent(models.Model):
    """One entry of the append-only audit log: who, when, from which address, what, before → after.

    Written only by ``accounts.audit.audit_record``, which the services call in their own transaction.
    ``unit_path`` is the path of the unit the event concerns, kept as text so that scoping (an organizer
    reads their subtree) never depends on a row that may change.
    """

    class Action(models.TextChoices):
        QUESTION_CREATE = "question.create", _("新建题目")
        QUESTION_UPDATE = "question.update", _("修改题目")
        QUESTION_IMPORT = "question_import.commit", _("导入题目")
        LAW_TEXT_CREATE = "law_text.create", _("添加法规文本")
        LAW_TEXT_DELETE = "law_text.delete", _("删除法规文本")
        EXAM_CREATE = "exam.create", _("新建考试")
        EXAM_UPDATE = "exam.update", _("修改考试")
        EXAM_PUBLISH = "exam.publish", _("发布考试")
        EXAM_CLOSE = "exam.close", _("结束考试")
        EXAM_REGRADE = "exam.regrade", _("重新评分")
        EXAM_OVERRIDE = "exam.override", _("个人考试调整")
        EXAM_OVERRIDE_DELETE = "exam.override_delete", _("撤销个人考试调整")
        EXAM_MAKEUP = "exam.makeup", _("安排补考")
        PRACTICE_SET_CREATE = "practice_set.create", _("新建练习")
        PRACTICE_SET_UPDATE = "practice_set.update", _("修改练习")
        PRACTICE_SET_CLOSE = "practice_set.close", _("停止练习")
        PRACTICE_SET_REOPEN = "practice_set.reopen", _("重新开放练习")
        CERTIFICATE_REVOKE = "certificate.revoke", _("撤销合格证书")
        CERTIFICATE_REINSTATE = "certificate.reinstate", _("恢复合格证书")
        ROSTER_IMPORT = "roster_import.commit", _("导入名册")
        USER_CREATE = "user.create", _("新建人员")
        USER_UPDATE = "user.update", _("修改人员信息")
        USER_ROLE_CHANGE = "user.role_change", _("修改角色或权限")
        USER_UNLOCK = "user.unlock", _("解除登录锁定")
        USER_PASSWORD_ISSUE = "user.password_issue", _("重置为初始密码")
        UNIT_CREATE = "unit.create", _("新建单位")
        UNIT_UPDATE = "unit.update", _("修改单位")
        PASSWORD_CHANGE = "user.password_change", _("修改密码")
        PASSWORD_RESET = "user.password_reset", _("重置密码")
        LOGIN = "login.success", _("登录成功")
        LOGIN_FAILED = "login.failure", _("登录失败")
        LOGIN_LOCKED = "login.locked", _("登录被锁定")
        SITE_SETTINGS_UPDATE = "site_settings.update", _("修改站点设置")
        # any other write through the Django admin (a question's key, an exam, a unit, …): the fields changed
        ADMIN_ADD = "admin.add", _("后台新增")
        ADMIN_CHANGE = "admin.change", _("后台修改")
        ADMIN_DELETE = "admin.delete", _("后台删除")

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    actor_username = models.CharField(max_length=150, blank=True)
    address = models.CharField(_("客户端地址"), max_length=64, blank=True)  # or "command"
    action = models.CharField(_("操作"), max_length=40, choices=Action.choices, db_index=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly()
