"""Team accounts: the manager creates users and sets their roles."""

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from conecta import permissions
from conecta.forms import CrispyMixin
from conecta.mixins import CapabilityRequiredMixin, paginate
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
        help_text=gettext_lazy("Al menos 8 caracteres, no solo números ni una contraseña común. Déjela en blanco para no cambiarla."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        if self.instance.pk:
            self.initial["roles"] = permissions.user_roles(self.instance)
        else:
            self.fields["password"].required = True

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


@transaction.atomic
def user_save(*, user, roles, password, actor):
    """Create or update an account and set exactly the given roles."""
    if password:
        user.set_password(password)
    labels = ", ".join(str(permissions.ROLES[code]) for code in roles) or "—"
    save_with_history(user, actor=actor, reason=_("Roles: %(roles)s") % {"roles": labels})
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


class UserListView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_program)

    def get(self, request):
        users = User.objects.filter(is_superuser=False).prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("name"), to_attr="group_list")
        ).order_by("-is_active", "first_name", "last_name", "username")
        page = paginate(request, users, per_page=50)
        locked = set(AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
                     .values_list("username", flat=True))
        for account in page:
            account.locked = account.username in locked
            names = {g.name for g in account.group_list}
            account.role_labels = [label for code, label in permissions.ROLES.items() if code in names]
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
