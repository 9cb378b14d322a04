"""Roster import (名册): the upload form, the preview and the commit result."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import RosterImport

from ..imports import IssueSerializer


class RosterUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text=_("名册文件：.xlsx 或 .csv"))
    deactivate_missing = serializers.BooleanField(
        default=False, help_text=_("完整名册：停用本单位（含下级）名册中有、但文件中没有的参考人员")
    )


class RosterFieldsSerializer(serializers.Serializer[Any]):
    real_name = serializers.CharField(allow_blank=True)
    username = serializers.CharField(allow_blank=True, help_text=_("规范化后的账号"))
    phone = serializers.CharField(allow_blank=True, help_text=_("规范化后的 11 位手机号"))
    unit = serializers.CharField(allow_blank=True, help_text=_("文件中的单位路径"))
    unit_id = serializers.IntegerField(allow_null=True, help_text=_("匹配到的单位"))


class RosterItemSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    fields = RosterFieldsSerializer()  # type: ignore[assignment]
    action = serializers.ChoiceField(choices=["create", "update", "unchanged"])
    user_id = serializers.IntegerField(allow_null=True)
    changes = serializers.ListField(
        child=serializers.CharField(), help_text=_("将修改的字段：real_name、phone、unit、is_active、is_on_roster")
    )
    password = serializers.ChoiceField(
        choices=["given", "generated", "kept"],
        help_text=_("given：文件中的初始密码；generated：导入时生成；kept：已有人员，密码不变"),
    )
    errors = IssueSerializer(many=True)  # type: ignore[assignment]
    warnings = IssueSerializer(many=True)


class RosterPersonSerializer(serializers.Serializer[Any]):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField(allow_blank=True)


class RosterCountsSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    valid = serializers.IntegerField(help_text=_("没有错误的行数"))
    errors = serializers.IntegerField()  # type: ignore[assignment]
    warnings = serializers.IntegerField()
    to_create = serializers.IntegerField(help_text=_("将新建的人数"))
    to_update = serializers.IntegerField(help_text=_("将更新的人数"))
    unchanged = serializers.IntegerField()
    to_deactivate = serializers.IntegerField(help_text=_("将停用的人数"))


class RosterResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    deactivated = serializers.IntegerField()
    generated_passwords = serializers.IntegerField()


class RosterImportSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    filename = serializers.CharField()
    file_format = serializers.CharField()
    deactivate_missing = serializers.BooleanField()
    status = serializers.CharField()
    counts = serializers.SerializerMethodField()
    file_warnings = IssueSerializer(many=True)
    items = RosterItemSerializer(many=True)
    to_deactivate = RosterPersonSerializer(many=True, help_text=_("将停用的人员（仅 deactivate_missing）"))
    created_at = serializers.DateTimeField()
    committed_at = serializers.DateTimeField(allow_null=True)
    result = serializers.SerializerMethodField()
    passwords_available = serializers.SerializerMethodField()

    @extend_schema_field(RosterCountsSerializer)
    def get_counts(self, batch: RosterImport) -> dict[str, int]:
        return batch.counts

    @extend_schema_field(RosterResultSerializer(allow_null=True))
    def get_result(self, batch: RosterImport) -> dict[str, int] | None:
        return batch.result or None

    @extend_schema_field(serializers.BooleanField(help_text=_("生成的初始密码还能下载（一次）")))
    def get_passwords_available(self, batch: RosterImport) -> bool:
        return batch.passwords_available(timezone.now())


class GeneratedPasswordSerializer(serializers.Serializer[Any]):
    real_name = serializers.CharField()
    username = serializers.CharField()
    unit = serializers.CharField()
    password = serializers.CharField()


class RosterCommitSerializer(RosterResultSerializer):
    passwords = GeneratedPasswordSerializer(
        many=True, help_text=_("生成的初始密码，只在此处显示一次（也可下载一次 passwords.xlsx）")
    )
