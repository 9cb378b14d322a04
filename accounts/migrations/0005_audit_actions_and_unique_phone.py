"""Phones become unique (one person, one phone; accounts/phones.py), in two steps: this migration stores every
phone in its normalised form and resolves the numbers that more than one account holds, the next adds the
constraint.

Resolving a duplicate never deletes an account nor touches a login: one account keeps the number (the
active one before an inactive one, then the one on the roster, then the one who logged in last, then the
oldest), the others' phone becomes blank, which the constraint allows. Each such change is printed and
recorded in the audit log (``user.update``, with the account that kept the number), so that organizers
see it in their subtree and can give those people their own number.
"""

from datetime import datetime, timezone

from django.db import migrations, models

from accounts.roster import normalise_phone

MIGRATION_ADDRESS = "migration"
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def _keeps_before(user):
    """Sort key: the account that keeps a shared number comes first."""
    last_login = user.last_login or _EARLIEST
    return (not user.is_active, not user.is_on_roster, -last_login.timestamp(), user.date_joined, user.pk)


def phones_normalise_and_deduplicate(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    holders = {}
    for user in User.objects.exclude(phone="").select_related("unit").order_by("pk").iterator(chunk_size=2000):
        text = user.phone.strip()
        phone = (normalise_phone(text) or text) if text else ""
        if phone != user.phone:
            User.objects.filter(pk=user.pk).update(phone=phone)
            user.phone = phone
        if phone:
            holders.setdefault(phone, []).append(user)
    cleared = 0
    for phone, users in sorted(holders.items()):
        if len(users) < 2:
            continue
        keeper, *others = sorted(users, key=_keeps_before)
        for user in others:
            User.objects.filter(pk=user.pk).update(phone="")
            cleared += 1
            print(f"\n  phone {phone}: kept by {keeper.username} (#{keeper.pk}), cleared from {user.username} (#{user.pk})")
            AuditEvent.objects.create(
                action="user.update",
                address=MIGRATION_ADDRESS,
                unit=user.unit,
                unit_path=user.unit.path if user.unit is not None else "",
                target_type="user",
                target_id=str(user.pk),
                target_repr=(user.real_name or user.username)[:255],
                before={"phone": phone},
                after={"phone": "", "reason": "duplicate_phone", "kept_by": keeper.username},
            )
    if cleared:
        print(f"\n  {cleared} duplicate phone number(s) cleared; see the audit log (user.update)")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_audit_event'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('question.create', '新建题目'), ('question.update', '修改题目'), ('question_import.commit', '导入题目'), ('exam.create', '新建考试'), ('exam.update', '修改考试'), ('exam.publish', '发布考试'), ('exam.close', '结束考试'), ('exam.regrade', '重新评分'), ('roster_import.commit', '导入名册'), ('user.create', '新建人员'), ('user.update', '修改人员信息'), ('user.role_change', '修改角色或权限'), ('user.unlock', '解除登录锁定'), ('user.password_change', '修改密码'), ('user.password_reset', '重置密码'), ('login.success', '登录成功'), ('login.failure', '登录失败'), ('login.locked', '登录被锁定'), ('site_settings.update', '修改站点设置'), ('admin.add', '后台新增'), ('admin.change', '后台修改'), ('admin.delete', '后台删除')], db_index=True, max_length=40, verbose_name='操作'),
        ),
        migrations.RunPython(phones_normalise_and_deduplicate, migrations.RunPython.noop),
    ]
