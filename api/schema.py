"""The OpenAPI schema states every error an operation can answer, in the one error format of ``api.errors``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_allauth import XSessionTokenAuthenticationScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class SessionTokenAuthenticationScheme(XSessionTokenAuthenticationScheme):  # type: ignore[no-untyped-call]
    """The schema's ``XSessionTokenAuth`` for our subclass of allauth's token authentication."""

    target_class = "api.authentication.SessionTokenAuthentication"


class ErrorDetailSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=_("稳定的错误代码，如 exam_outside_window、invalid_input"))
    message = serializers.CharField(help_text=_("给用户看的说明（按 Accept-Language 翻译）"))
    fields = serializers.DictField(  # type: ignore[assignment]  # the error format's key; DRF pops declared fields
        child=serializers.JSONField(),
        required=False,
        help_text=_("字段名 → 该字段的错误说明列表（仅在能指出字段时提供）"),
    )


class ErrorSerializer(serializers.Serializer[Any]):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    "400": _("请求数据有误（fields 指出字段）"),
    "401": _("未登录或登录已失效"),
    "403": _("无权执行此操作，或须先修改初始密码"),
    "404": _("不存在，或不在您的可见范围内（含不存在的页码）"),
    "409": _("与当前状态冲突（如考试未开放、已交卷、次数已用完）"),
    "413": _("请求内容过大（JSON 上限 1 MB，上传文件上限 20 MB）"),
    "429": _("请求过于频繁"),
    "503": _("服务器暂时无法完成（如未安装证书所需的中文字体）"),
}


class XuefaAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error responses each operation can give."""

    def _error_codes(self) -> list[str]:
        codes = ["429"]
        if self.method in {"POST", "PUT", "PATCH"} or self._has_query_parameter():
            codes.append("400")
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        # an id, a page or a unit (out of scope) that is not there
        if "{" in self.path or any(self._has_query_parameter(name) for name in ("page", "unit")):
            codes.append("404")
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes.append("409")
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("413")
        if getattr(self.view, "needs_certificate_font", False):
            codes.append("503")
        return sorted(codes)

    def _has_query_parameter(self, name: str | None = None) -> bool:
        return any(p.get("in") == "query" and name in (None, p.get("name")) for p in self._get_parameters())

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = str(ERROR_DESCRIPTIONS[code])
        return responses
