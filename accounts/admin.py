"""The Django admin, for the superuser. Every write through it is an audit event (docs/adr/0012-audit-log.md):
``AuditedAdmin`` records adds, changes (the fields that changed, before → after, many-to-many included) and
deletes of any model; the user admin records role and permission changes as ``user.role_change``, other
edits as ``user.update``, and a password set by the superuser as ``user.password_reset``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.timezone import is_aware

from quizzes import caching

from .audit import AuditContext, audit_record, changed
from .models import AuditEvent, SiteSettings, Unit, User
from .phones import PHONE_TAKEN_MESSAGE, phone_taken, stored_phone

# never written to the log, even as a hash; a password set in the admin is its own event
SECRET_FIELDS = {"password"}
# what a person may do: a change to any of these is a role change
ROLE_FIELDS = {"role", "is_superuser", "is_staff", "groups", "user_permissions"}
# whether and where a person is counted: 应考 (``scopes.roster_person_q`` under an audience unit) and the rankings
COUNTED_FIELDS = {"unit_id", "is_active", "role", "is_on_roster"}


def unit_of(obj: models.Model) -> Unit | None:
    """The unit an object belongs to, for the organizers who read that subtree's events."""
    if isinstance(obj, Unit):
        return obj
    for path in ("unit", "bank", "exam"):
        related = getattr(obj, path, None)
        if isinstance(related, Unit):
            return related
        if related is not None and path != "unit":
            return unit_of(related)
    return None


def audited_values(obj: models.Model, *, from_database: bool = False) -> dict[str, Any]:
    """The object's fields as JSON values (foreign keys as ids, many-to-many as sorted ids), secrets left out."""
    if from_database:
        obj = type(obj)._default_manager.get(pk=obj.pk)
    fields = [
        f
        for f in obj._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not f.primary_key and not getattr(f, "auto_now", False)
    ]
    values = {f.attname: getattr(obj, f.attname) for f in fields}
    # one instant, one text: read back from the database it is UTC, from the form the site's time zone
    values = {k: v.astimezone(UTC) if isinstance(v, datetime) and is_aware(v) else v for k, v in values.items()}
    result: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    for field in obj._meta.many_to_many:
        result[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return result


class AuditedAdmin[M: models.Model](admin.ModelAdmin[M]):
    """An admin whose adds, changes and deletes are audit events, in the admin's own transaction."""

    def audit_action(self, *, created: bool, changed_fields: set[str]) -> str:
        return AuditEvent.Action.ADMIN_ADD if created else AuditEvent.Action.ADMIN_CHANGE

    def after_write(
        self, *, created: bool = False, deleted: bool = False, changed_fields: frozenset[str] = frozenset()
    ) -> None:
        """Called in the admin's transaction once an add or a change (one with ``changed_fields``) is saved, before
        its audit event, and once objects are deleted."""

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        # kept on the form until save_related, after which many-to-many fields are saved too
        form.audit_before = audited_values(obj, from_database=True) if change else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm[M], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before_all = getattr(form, "audit_before", None)
        after_all = audited_values(obj)
        before, after = changed(before_all or {}, after_all)
        if change and not after:
            return
        self.after_write(created=not change, changed_fields=frozenset(after))
        audit_record(
            context=AuditContext.from_request(request),
            action=self.audit_action(created=not change, changed_fields=set(after)),
            unit=unit_of(obj),
            target=obj,
            before=before if change else None,
            after=after,
        )

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)
        self.after_write(deleted=True)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[M]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)
        self.after_write(deleted=True)

    def _audit_delete(self, request: HttpRequest, obj: M) -> None:
        audit_record(
            context=AuditContext.from_request(request),
            action=AuditEvent.Action.ADMIN_DELETE,
            unit=unit_of(obj),
            target=obj,
            before=audited_values(obj),
        )


class XuefaUserChangeForm(UserChangeForm[User]):
    def clean_phone(self) -> str:
        """Stored as sign-up and the roster store it, and held by one account only."""
        phone = stored_phone(self.cleaned_data.get("phone") or "")
        if phone_taken(phone, other_than=self.instance.pk):
            raise forms.ValidationError(PHONE_TAKEN_MESSAGE, code="phone_taken")
        return phone


@admin.register(User)
class XuefaUserAdmin(AuditedAdmin[User], UserAdmin[User]):
    form = XuefaUserChangeForm
    list_display = ("username", "real_name", "unit", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "real_name", "phone")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Xuefa", {"fields": ("real_name", "phone", "unit", "role", "must_change_password")}),
    )

    def audit_action(self, *, created: bool, changed_fields: set[str]) -> str:
        if created:
            return AuditEvent.Action.USER_CREATE
        if changed_fields & ROLE_FIELDS:
            return AuditEvent.Action.USER_ROLE_CHANGE
        return AuditEvent.Action.USER_UPDATE

    def after_write(
        self, *, created: bool = False, deleted: bool = False, changed_fields: frozenset[str] = frozenset()
    ) -> None:
        """A person added, deleted, moved to another unit, (de)activated or given another role: the cached 应考
        headcounts and rankings count them afresh at once, as after a roster import, instead of after their TTL.
        Any other edit (a phone, a name) leaves the city's cached people be."""
        if created or deleted or changed_fields & COUNTED_FIELDS:
            caching.people_changed()

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            user = User.objects.select_related("unit").get(pk=id)
            audit_record(
                context=AuditContext.from_request(request),
                action=AuditEvent.Action.PASSWORD_RESET,
                unit=user.unit,
                target=user,
            )
        return response


@admin.register(Unit)
class UnitAdmin(AuditedAdmin[Unit]):
    list_display = ("name", "kind", "parent", "path")
    search_fields = ("name",)


admin.site.register(SiteSettings, AuditedAdmin)
