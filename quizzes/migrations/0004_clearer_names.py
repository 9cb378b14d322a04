"""Names that say what they hold: ``Exam.is_public`` (open to every signed-in person),
``ImportBatch.file_warnings`` (file-level warnings), and ``letter`` for a frozen option's own letter
(it was ``key``, which readers took for the answer key)."""

from django.db import migrations


def _rename_option_field(apps, old: str, new: str) -> None:
    AttemptQuestion = apps.get_model("quizzes", "AttemptQuestion")
    batch = []
    for row in AttemptQuestion.objects.only("pk", "options").iterator(chunk_size=2000):
        if row.options and old in row.options[0]:
            row.options = [{new: option[old], "text": option["text"]} for option in row.options]
            batch.append(row)
        if len(batch) >= 2000:
            AttemptQuestion.objects.bulk_update(batch, ["options"])
            batch = []
    if batch:
        AttemptQuestion.objects.bulk_update(batch, ["options"])


def options_key_to_letter(apps, schema_editor) -> None:
    _rename_option_field(apps, "key", "letter")


def options_letter_to_key(apps, schema_editor) -> None:
    _rename_option_field(apps, "letter", "key")


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_leaderboard_order_index")]

    operations = [
        migrations.RenameField("exam", "is_open", "is_public"),
        migrations.RenameField("importbatch", "file_errors", "file_warnings"),
        migrations.RunPython(options_key_to_letter, options_letter_to_key),
    ]
