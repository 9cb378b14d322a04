from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.errors import QuizError
from quizzes.services.laws import laws_load_shipped


class Command(BaseCommand):
    help = (
        "Load the shipped law texts (quizzes/data/laws/*.txt) into the law-text library, each as the current "
        "edition of its law; running it again writes nothing unless a file changed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = laws_load_shipped()
        except QuizError as exc:
            raise CommandError(exc.message) from exc
        for name, count in written.items():
            self.stdout.write(_("《%(law)s》：写入 %(count)d 条。") % {"law": name, "count": count})
