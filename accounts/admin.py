from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import SiteSettings, Unit, User


@admin.register(User)
class XuefaUserAdmin(UserAdmin[User]):
    list_display = ("username", "real_name", "unit", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "real_name", "phone")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Xuefa", {"fields": ("real_name", "phone", "unit", "role", "must_change_password")}),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("name", "kind", "parent", "path")
    search_fields = ("name",)


admin.site.register(SiteSettings)
