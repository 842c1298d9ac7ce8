"""Forms of the account and security pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

#: A code from the authenticator app, or a backup code.
TOKEN_WIDGET = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
                                      "spellcheck": "false"})


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Code"), max_length=40, widget=TOKEN_WIDGET,
                            help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."))


class EnrolForm(forms.Form):
    token = forms.CharField(label=_("Code from the app"), max_length=12, widget=TOKEN_WIDGET)


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}))
    token = forms.CharField(label=_("Code"), max_length=40, required=False, widget=TOKEN_WIDGET,
                            help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."))


class PasswordChange(PasswordChangeForm):
    """Django's form (old password, new twice) with the second factor when one is enrolled."""

    token = forms.CharField(label=_("Code"), max_length=40, required=False, widget=TOKEN_WIDGET,
                            help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."))

    def __init__(self, user, *args, needs_token: bool = False, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(user, *args, **kwargs)
        if not needs_token:
            del self.fields["token"]
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html()
