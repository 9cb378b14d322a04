"""A foreign key's own index is dropped where the key leads a unique constraint or an index of its table, which
serves every lookup the single-column index could (tests/test_schema_indexes.py finds them in PostgreSQL's catalog):
here a unit's parent, which leads (parent, name), and a person's unit, which leads (unit, role); quizzes 0014 does
the same for its tables. Each index costs every INSERT into its table and every UPDATE that is not made in place.

The indexes are dropped by name, as Django named them, on PostgreSQL and SQLite alike: the fields' own change
(``db_index=False``) would make SQLite copy each whole table into a new one."""

import django.db.models.deletion
from django.db import migrations, models

LED = [  # (table, column, the index Django made for the key)
    ("accounts_unit", "parent_id", "accounts_unit_parent_id_2488f696"),
    ("accounts_user", "unit_id", "accounts_user_unit_id_262e264e"),
]


def drop(table: str, column: str, name: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
        elidable=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_practice_set_audit_actions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop(*index) for index in LED],
            state_operations=[
                migrations.AlterField(
                    model_name="unit",
                    name="parent",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="accounts.unit",
                        verbose_name="上级单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="accounts.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
        ),
    ]
