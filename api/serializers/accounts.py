from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import SiteSettings, Unit, User
from quizzes.models import Attempt

from .fields import FieldsBuiltOnce, IdField, PlainRendering


class UnitSerializer(PlainRendering, FieldsBuiltOnce, serializers.ModelSerializer[Unit]):
    parent_id = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent_id", "depth", "path"]


class MeSerializer(PlainRendering, FieldsBuiltOnce, serializers.ModelSerializer[User]):
    unit = UnitSerializer(read_only=True)
    is_organizer = serializers.SerializerMethodField()
    is_results_reader = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "phone",
            "role",
            "is_superuser",
            "unit",
            "must_change_password",
            "is_organizer",
            "is_results_reader",
        ]

    def get_is_organizer(self, user: User) -> bool:
        from accounts.scopes import is_organizer

        return is_organizer(user)

    def get_is_results_reader(self, user: User) -> bool:
        from accounts.scopes import is_results_reader

        return is_results_reader(user)


class SiteSettingsSerializer(FieldsBuiltOnce, serializers.ModelSerializer[SiteSettings]):
    class Meta:
        model = SiteSettings
        fields = ["self_signup_enabled"]
        extra_kwargs = {"self_signup_enabled": {"required": True}}


class ManagedUnitSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Unit]):
    """A unit of the organizer's tree in the console, with its active accounts (of the unit itself)."""

    parent_id = serializers.IntegerField(allow_null=True, read_only=True)
    people = serializers.IntegerField(read_only=True, help_text=_("本单位（不含下级）的在用账号数"))

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent_id", "depth", "path", "is_active", "people"]


class UnitCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100, trim_whitespace=True)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, default=Unit.Kind.OTHER)
    parent_id = IdField(help_text=_("上级单位（须在您的管理范围内）"))


class UnitUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100, trim_whitespace=True, required=False)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, required=False)
    parent_id = IdField(required=False, help_text=_("移到此单位之下（须在您的管理范围内）"))
    is_active = serializers.BooleanField(required=False, help_text=_("false：停用（须无在用账号和启用的下级单位）"))


class PeopleQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text=_("姓名、账号或手机号"))
    unit = IdField(required=False, help_text=_("只看此单位及其下级（须在您的管理范围内）"))


class PersonSerializer(FieldsBuiltOnce, serializers.ModelSerializer[User]):
    unit_id = serializers.IntegerField(allow_null=True, read_only=True)
    unit_name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "phone",
            "role",
            "unit_id",
            "unit_name",
            "is_active",
            "is_on_roster",
            "must_change_password",
            "last_login",
        ]

    def get_unit_name(self, person: User) -> str:
        return person.unit.name if person.unit is not None else ""


class PersonAttemptSerializer(FieldsBuiltOnce, serializers.ModelSerializer[Attempt]):
    exam_id = serializers.IntegerField(read_only=True)
    exam_title = serializers.CharField(source="exam.title", read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id",
            "exam_id",
            "exam_title",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "score",
            "max_score",
            "passed",
            "time_used_seconds",
            "is_counted",
        ]


class PersonDetailSerializer(PersonSerializer):
    attempts = PersonAttemptSerializer(many=True, read_only=True, source="attempt_list")

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "attempts"]


class InitialPasswordSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(help_text=_("新的初始密码：只显示这一次，本人登录后须修改"))
