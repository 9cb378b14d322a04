from __future__ import annotations

from rest_framework import serializers

from accounts.models import SiteSettings, Unit, User


class UnitSerializer(serializers.ModelSerializer[Unit]):
    parent_id = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent_id", "depth", "path"]


class MeSerializer(serializers.ModelSerializer[User]):
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


class SiteSettingsSerializer(serializers.ModelSerializer[SiteSettings]):
    class Meta:
        model = SiteSettings
        fields = ["self_signup_enabled"]
        extra_kwargs = {"self_signup_enabled": {"required": True}}
