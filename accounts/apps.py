from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与单位")

    def ready(self) -> None:
        from . import audit, lockout, usercache  # noqa: F401  (connect the login, password and cache signal receivers)
