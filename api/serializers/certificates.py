from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CertificateVerificationSerializer(serializers.Serializer[Any]):
    """The public verification of a certificate: no account, phone, unit or score."""

    code = serializers.CharField(help_text=_("证书编号，四位一组"))
    valid = serializers.BooleanField(help_text=_("true：有效；false：已撤销（重新评分后不再合格）"))
    status_label = serializers.SerializerMethodField()
    name = serializers.CharField(
        allow_null=True, help_text=_("持证人姓名，按考试的排行榜姓名设置打码（如 张*明）；只显示单位时为 null")
    )
    exam_title = serializers.CharField()
    grade = serializers.CharField(help_text=_("等级，如 优秀、合格"))
    exam_date = serializers.DateField(help_text=_("交卷日期（北京时间）"))
    issued_on = serializers.DateField(help_text=_("发证日期"))
    revoked_on = serializers.DateField(allow_null=True, help_text=_("撤销日期；有效时为 null"))

    def get_status_label(self, obj: Any) -> str:
        return str(_("有效") if obj.valid else _("已撤销"))
