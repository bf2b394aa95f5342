"""Team accounts: the manager creates users and sets their roles."""

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from django_otp.plugins.otp_totp.models import TOTPDevice

from conecta import permissions
from conecta.accounts import mfa
from conecta.accounts.lockout import locked_usernames
from conecta.forms import CrispyMixin
from conecta.mixins import CapabilityRequiredMixin, paginate
from conecta.models import AccountSecurity
from conecta.services import save_with_history, user_unlock


class UserForm(CrispyMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles"), choices=permissions.ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=gettext_lazy("Una persona puede tener varios roles."),
    )
    password = forms.CharField(
        label=gettext_lazy("Contraseña inicial"), widget=forms.PasswordInput(render_value=False),
        required=False, strip=False,
        help_text=gettext_lazy(
            "Entre 8 y 128 caracteres; no solo números, no una contraseña común, no parecida al usuario, "
            "nombre o correo, sin palabras del programa ni de la comuna. La persona deberá cambiarla al "
            "ingresar. Déjela en blanco para no cambiarla."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        # Django's Spanish catalogue misspells «caracteres» here: our own words instead.
        self.fields["username"].help_text = gettext_lazy(
            "Obligatorio. Hasta 150 caracteres: letras, dígitos y los signos @ . + - _")
        if self.instance.pk:
            self.initial["roles"] = permissions.user_roles(self.instance)
        else:
            self.fields["password"].required = True

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # The password is compared with the username, names and e-mail typed in this same form,
            # not with what the account had before (nothing, for a new account).
            candidate = User(**{
                field: cleaned.get(field, getattr(self.instance, field))
                for field in ("username", "first_name", "last_name", "email")
            })
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


@transaction.atomic
def user_save(*, user, roles, password, actor):
    """Create or update an account and set exactly the given roles."""
    if password:
        user.set_password(password)
    labels = ", ".join(str(permissions.ROLES[code]) for code in roles) or "—"
    save_with_history(user, actor=actor, reason=_("Roles: %(roles)s") % {"roles": labels})
    user.groups.set(Group.objects.filter(name__in=roles))
    if password and user.pk != actor.pk:
        # A password someone else chose is known to two people: the owner replaces it at first login.
        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})
    return user


class UserListView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_program)

    def get(self, request):
        users = User.objects.filter(is_superuser=False).prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("name"), to_attr="group_list")
        ).annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        ).order_by("-is_active", "first_name", "last_name", "username")
        page = paginate(request, users, per_page=50)
        locked = locked_usernames()
        for account in page:
            account.locked = account.username in locked
            names = {g.name for g in account.group_list}
            account.role_labels = [label for code, label in permissions.ROLES.items() if code in names]
            account._conecta_roles = [code for code in permissions.ROLES if code in names]  # user_roles' cache
            account.second_factor_required = permissions.requires_second_factor(account)
        return render(request, "conecta/user_list.html", {"page": page})


class UserFormView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_program)

    def get_account(self, pk):
        # Superuser accounts (Django admin) are managed from the command line only.
        return get_object_or_404(User, pk=pk, is_superuser=False) if pk else User()

    def get(self, request, pk=None):
        account = self.get_account(pk)
        return render(request, "conecta/user_form.html", {"form": UserForm(instance=account), "account": account})

    def post(self, request, pk=None):
        account = self.get_account(pk)
        form = UserForm(request.POST, instance=account)
        if form.is_valid():
            user_save(
                user=form.save(commit=False), roles=form.cleaned_data["roles"],
                password=form.cleaned_data["password"], actor=request.user,
            )
            messages.success(request, _("Usuario guardado."))
            return redirect("user_list")
        return render(request, "conecta/user_form.html", {"form": form, "account": account})


class UserUnlockView(CapabilityRequiredMixin, View):
    """POST only: lift the lockout after five failed logins."""

    capability = staticmethod(permissions.can_manage_program)
    http_method_names = ["post"]

    def post(self, request, pk):
        account = get_object_or_404(User, pk=pk, is_superuser=False)
        user_unlock(username=account.username, actor=request.user)
        messages.success(request, _("Cuenta de %(user)s desbloqueada.") % {"user": account.username})
        return redirect("user_list")


class UserSecondFactorResetView(CapabilityRequiredMixin, View):
    """A lost phone: the manager clears the person's authenticator and recovery codes, after confirming."""

    capability = staticmethod(permissions.can_reset_second_factor)

    def get_account(self, pk):
        return get_object_or_404(User, pk=pk, is_superuser=False)

    def get(self, request, pk):
        account = self.get_account(pk)
        return render(request, "conecta/user_mfa_reset.html", {
            "account": account, "enrolled": mfa.is_enrolled(account),
            "required": permissions.requires_second_factor(account),
        })

    def post(self, request, pk):
        account = self.get_account(pk)
        mfa.second_factor_reset(request=request, account=account, actor=request.user)
        messages.success(request, _("Se restableció la verificación en dos pasos de %(user)s.") % {"user": account.username})
        return redirect("user_list")
