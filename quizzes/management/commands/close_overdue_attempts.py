from django.core.management.base import BaseCommand

from quizzes.services.attempts import attempts_close_overdue


class Command(BaseCommand):
    help = "Finalise attempts still open after deadline + grace, stamped with their deadline (run every minute)."

    def handle(self, *args: object, **options: object) -> None:
        closed = attempts_close_overdue()
        self.stdout.write(f"closed {closed} overdue attempt(s)")
