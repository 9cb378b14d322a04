from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import AuditEvent

from .fields import FieldsBuiltOnce


class AuditEventQuerySerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=AuditEvent.Action.choices, required=False, help_text=_("操作"))
    since = serializers.DateTimeField(required=False, help_text=_("从此时起（含）"))
    until = serializers.DateTimeField(required=False, help_text=_("到此时为止（不含）"))
    actor = serializers.CharField(required=False, max_length=150, help_text=_("操作人账号"))


class AuditEventSerializer(FieldsBuiltOnce, serializers.ModelSerializer[AuditEvent]):
    actor = serializers.CharField(source="actor_username", help_text=_("操作人账号；命令或匿名时为空"))
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "address",
            "action",
            "unit",
            "target_type",
            "target_id",
            "target_repr",
            "before",
            "after",
        ]
        read_only_fields = fields
