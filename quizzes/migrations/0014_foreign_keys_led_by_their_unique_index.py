"""The same as accounts 0011, for these tables: a foreign key's own index is dropped where the key leads a unique
constraint or an index of its table. On an exam day they take a start's 25 paper rows, each answer's first
autosave, a submit's attempt and its rows in the wrong-answer book."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

drop = import_module("accounts.migrations.0011_foreign_keys_led_by_their_unique_index").drop

LED = [  # (table, column, the index Django made for the key)
    ("quizzes_answer", "attempt_id", "quizzes_answer_attempt_id_edb0a031"),
    ("quizzes_attempt", "exam_id", "quizzes_attempt_exam_id_b625ab43"),
    ("quizzes_attemptquestion", "attempt_id", "quizzes_attemptquestion_attempt_id_2b0c5fba"),
    ("quizzes_certificate", "exam_id", "quizzes_certificate_exam_id_59f32bbc"),
    ("quizzes_dailyset", "practice_set_id", "quizzes_dailyset_practice_set_id_68029fe0"),
    ("quizzes_examoverride", "exam_id", "quizzes_examoverride_exam_id_76cb44c8"),
    ("quizzes_examquestion", "exam_id", "quizzes_examquestion_exam_id_1e50a0e1"),
    ("quizzes_lawarticle", "law_id", "quizzes_lawarticle_law_id_7ed85b59"),
    ("quizzes_pageleave", "attempt_id", "quizzes_pageleave_attempt_id_c3147d91"),
    ("quizzes_practiceitem", "round_id", "quizzes_practiceitem_round_id_0bf8b378"),
    ("quizzes_practiceround", "user_id", "quizzes_practiceround_user_id_4653afd6"),
    ("quizzes_question", "bank_id", "quizzes_question_bank_id_926578ba"),
    ("quizzes_questionbank", "unit_id", "quizzes_questionbank_unit_id_0decfc4d"),
    ("quizzes_wronganswer", "user_id", "quizzes_wronganswer_user_id_12d0473e"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_foreign_keys_led_by_their_unique_index"),
        ("quizzes", "0013_answer_fillfactor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop(*index) for index in LED],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="attempt",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="quizzes.attempt",
                    ),
                ),
                migrations.AlterField(
                    model_name="attempt",
                    name="exam",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempts",
                        to="quizzes.exam",
                    ),
                ),
                migrations.AlterField(
                    model_name="attemptquestion",
                    name="attempt",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="paper",
                        to="quizzes.attempt",
                    ),
                ),
                migrations.AlterField(
                    model_name="certificate",
                    name="exam",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certificates",
                        to="quizzes.exam",
                    ),
                ),
                migrations.AlterField(
                    model_name="dailyset",
                    name="practice_set",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="daily_sets",
                        to="quizzes.practiceset",
                    ),
                ),
                migrations.AlterField(
                    model_name="examoverride",
                    name="exam",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="overrides",
                        to="quizzes.exam",
                    ),
                ),
                migrations.AlterField(
                    model_name="examquestion",
                    name="exam",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fixed_questions",
                        to="quizzes.exam",
                    ),
                ),
                migrations.AlterField(
                    model_name="lawarticle",
                    name="law",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="articles",
                        to="quizzes.lawtext",
                    ),
                ),
                migrations.AlterField(
                    model_name="pageleave",
                    name="attempt",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="page_leaves",
                        to="quizzes.attempt",
                    ),
                ),
                migrations.AlterField(
                    model_name="practiceitem",
                    name="round",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="quizzes.practiceround",
                    ),
                ),
                migrations.AlterField(
                    model_name="practiceround",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="practice_rounds",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="question",
                    name="bank",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="quizzes.questionbank",
                    ),
                ),
                migrations.AlterField(
                    model_name="questionbank",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="banks",
                        to="accounts.unit",
                        verbose_name="所属单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="wronganswer",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="wrong_answers",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
