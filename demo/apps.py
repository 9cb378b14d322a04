from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a fresh installation (``manage.py seed_demo``); no models, no migrations."""

    name = "demo"
    verbose_name = _("演示数据")
