"""The constraint that makes phones unique; 0005 has made the data fit it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_audit_actions_and_unique_phone"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(condition=models.Q(('phone', ''), _negated=True), fields=('phone',), name='user_unique_phone', violation_error_code='phone_taken', violation_error_message='该手机号已被其他账号使用。'),
        ),
    ]
