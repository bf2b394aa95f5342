from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _, ngettext
from django.views import View
from django.views.decorators.cache import never_cache

from conecta import permissions
from conecta.accounts import mfa
from conecta.accounts.forms import AuthenticatorCodeForm, CodeForm, ConectaPasswordChangeForm
from conecta.accounts.middleware import MUST_CHANGE_PASSWORD_KEY


def safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


def with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def count_as_failed_login(request):
    """A wrong code or current password is a failed authentication of this username: django-axes
    counts it toward the username's lockout like a wrong password on the login page."""
    user_login_failed.send(sender=__name__, credentials={"username": request.user.get_username()}, request=request)


def end_session(request, message):
    logout(request)
    messages.error(request, message)
    return redirect("login")


@method_decorator(never_cache, name="dispatch")
class SecondFactorVerifyView(View):
    """The code asked right after the password, before any page."""

    template_name = "registration/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(safe_next(request))
        if not mfa.is_enrolled(request.user):
            return redirect(with_next("mfa_setup", safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form):
        return render(request, self.template_name, {
            "form": form, "next": safe_next(request), "throttled_until": mfa.throttled_until(request.user),
            "hide_navigation": True,
        })

    def get(self, request):
        return self.render_page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form)
        result = mfa.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if result == "ok":
            left = mfa.recovery_codes_left(request.user)
            if left <= 3:
                messages.warning(request, ngettext(
                    "Le queda %(n)d código de recuperación: genere nuevos en «Verificación en dos pasos».",
                    "Le quedan %(n)d códigos de recuperación: genere nuevos en «Verificación en dos pasos».",
                    left) % {"n": left})
            return redirect(safe_next(request))
        if result == "wait":
            form.add_error("code", _("Hubo varios códigos incorrectos seguidos: espere unos segundos e ingrese "
                                     "el código que muestre entonces la aplicación."))
            return self.render_page(request, form)
        count_as_failed_login(request)
        if result == "limit":
            return end_session(request, _("Demasiados códigos incorrectos: por seguridad se cerró la sesión. "
                                          "Ingrese de nuevo con su contraseña."))
        form.add_error("code", _("El código no es válido o ya se usó. Revise la hora del teléfono o use un "
                                 "código de recuperación."))
        return self.render_page(request, form)


@method_decorator(never_cache, name="dispatch")
class SecondFactorSetupView(View):
    """Account page of the second factor: enrolment while there is none, its state afterwards."""

    template_name = "registration/mfa_setup.html"

    def render_page(self, request, form=None):
        user = request.user
        context = {"required": permissions.requires_second_factor(user), "next": safe_next(request)}
        device = mfa.TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            context.update(device=device, codes_left=mfa.recovery_codes_left(user))
        else:
            pending = mfa.enrolment_device(user=user)
            context.update(form=form or AuthenticatorCodeForm(), qr_svg=mfa.qr_svg(pending),
                           secret=mfa.secret_text(pending), hide_navigation=context["required"])
        return render(request, self.template_name, context)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        if mfa.is_enrolled(request.user):
            return redirect("mfa_setup")
        form = AuthenticatorCodeForm(request.POST)
        if form.is_valid():
            device = mfa.enrolment_device(user=request.user)
            if mfa.enrolment_confirm(request=request, device=device, code=form.cleaned_data["code"]):
                messages.success(request, _("Verificación en dos pasos activada."))
                return redirect(with_next("mfa_recovery_codes", safe_next(request)))
            form.add_error("code", _("El código no coincide. Revise que la hora del teléfono sea la correcta, "
                                     "espere unos segundos e ingrese el código que se muestra ahora."))
        return self.render_page(request, form)


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(View):
    """The ten recovery codes, shown once right after they are generated."""

    template_name = "registration/mfa_recovery_codes.html"

    def get(self, request):
        codes = request.session.pop(mfa.FRESH_CODES_SESSION_KEY, None)
        return render(request, self.template_name, {
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes or []],
            "codes_left": mfa.recovery_codes_left(request.user), "next": safe_next(request),
            "enrolled": mfa.is_enrolled(request.user),
        })

    def post(self, request):
        if not mfa.is_enrolled(request.user):
            return redirect("mfa_setup")
        mfa.recovery_codes_generate(request=request, user=request.user)
        return redirect("mfa_recovery_codes")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with a limit on wrong current passwords and the end of a forced change."""

    form_class = ConectaPasswordChangeForm
    success_url = reverse_lazy("password_change_done")
    failures_key = "conecta_password_change_failures"

    def get_context_data(self, **kwargs):
        forced = bool(self.request.session.get(MUST_CHANGE_PASSWORD_KEY))
        return super().get_context_data(forced=forced, hide_navigation=forced, **kwargs)

    def form_valid(self, form):
        from conecta.models import AccountSecurity

        response = super().form_valid(form)
        AccountSecurity.objects.filter(user=form.user).update(must_change_password=False)
        self.request.session.pop(MUST_CHANGE_PASSWORD_KEY, None)
        self.request.session.pop(self.failures_key, None)
        mfa.security_log.info("password.changed user=%s address=%s", form.user.get_username(),
                              mfa.client_address(self.request))
        return response

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            request = self.request
            now = timezone.now().timestamp()
            window = settings.PASSWORD_CHANGE_FAILURE_WINDOW.total_seconds()
            failures = [t for t in request.session.get(self.failures_key, []) if now - t < window] + [now]
            request.session[self.failures_key] = failures
            count_as_failed_login(request)
            if len(failures) >= settings.PASSWORD_CHANGE_FAILURE_LIMIT or getattr(request, "axes_locked_out", False):
                mfa.security_log.warning("password.change_refused user=%s address=%s failures=%s",
                                         request.user.get_username(), mfa.client_address(request), len(failures))
                return end_session(request, _("Demasiados intentos con una contraseña actual incorrecta: por "
                                              "seguridad se cerró la sesión."))
        return super().form_invalid(form)
