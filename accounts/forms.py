from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Unit, User
from .phones import phone_taken
from .roster import normalise_phone


class SelfSignupForm(forms.Form):
    """Extra fields of self-signup for open quizzes (allauth mixes them into its signup input)."""

    real_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    # Where the person lives or works, below the city: a sign-up at the root would count against no town
    # and skew the city's own figures.
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.filter(parent__isnull=False, is_active=True))

    def clean_phone(self) -> str:
        # the roster import's rule, so that one number is one number however it was typed (+86, spaces, dashes)
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("请输入11位手机号码。"), code="invalid_phone")
        if phone_taken(phone):  # one person, one phone: no second account to skew ranks
            raise forms.ValidationError(_("该手机号已注册，请直接登录。"), code="phone_taken")
        return phone

    def populate(self, user: User) -> None:
        """The person's fields, set before the account's first save (``AccountAdapter.save_user``), so that a
        sign-up refused by the database (a phone taken meanwhile: ``phones.PHONE_UNIQUE``) writes nothing."""
        user.real_name = self.cleaned_data["real_name"].strip()
        user.phone = self.cleaned_data["phone"]
        user.unit = self.cleaned_data["unit"]
        user.role = User.Role.PARTICIPANT
        user.is_on_roster = False  # signed up for an open quiz: not in the roster headcount

    def signup(self, request: HttpRequest, user: Any) -> None:
        """allauth's hook after the save: everything was set before it (``populate``)."""
