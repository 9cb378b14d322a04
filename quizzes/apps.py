from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("题库与考试")

    def ready(self) -> None:
        from . import caching, checks  # noqa: F401  # the cache's signal receivers; the system checks
