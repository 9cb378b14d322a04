"""System checks (``manage.py check``, run at every start): warn when certificates cannot be drawn."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register
from django.utils.translation import gettext as _

from .certificate_pdf import FONT_CANDIDATES, certificate_font
from .errors import CertificateFontMissing
from .i18n import join_list


@register()
def certificate_font_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    try:
        certificate_font()
    except CertificateFontMissing:
        looked_at = settings.XUEFA_CERTIFICATE_FONT or join_list(FONT_CANDIDATES)
        return [
            Warning(
                _("没有可用于合格证书的中文字体（已查找：%(paths)s）。") % {"paths": looked_at},
                hint=_("安装 fonts-noto-cjk，或将 XUEFA_CERTIFICATE_FONT 设为一个中文字体文件的路径。"),
                id="xuefa.W001",
            )
        ]
    return []
