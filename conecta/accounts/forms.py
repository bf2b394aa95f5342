from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from conecta.forms import CrispyMixin


class CodeForm(CrispyMixin, forms.Form):
    code = forms.CharField(
        label=_("Código"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "off"}),
    )


class AuthenticatorCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Código de 6 dígitos que muestra la aplicación")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class ConectaPasswordChangeForm(CrispyMixin, PasswordChangeForm):
    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", forms.ValidationError(
                _("La nueva contraseña debe ser distinta de la actual."), code="password_unchanged"))
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's sign-in form in the words of the page: Django's Spanish catalogue says «clave»
    where the form's label says «Contraseña»."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Usuario o contraseña incorrectos. Revise que las mayúsculas estén bien escritas."),
        "inactive": _("Esta cuenta está desactivada. Pida a la gestora del programa que la reactive."),
    }
