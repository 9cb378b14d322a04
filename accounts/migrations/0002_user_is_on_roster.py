from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField("user", "is_on_roster", models.BooleanField(default=True, verbose_name="在名册中")),
    ]
