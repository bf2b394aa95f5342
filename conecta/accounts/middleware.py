from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from conecta import permissions
from conecta.accounts import mfa

# Session flag set at login when the manager chose this account's password (conecta/accounts/signals.py).
MUST_CHANGE_PASSWORD_KEY = "conecta_must_change_password"
# Set once a session has found the user without an authenticator, so later pages skip the lookup.
NO_DEVICE_KEY = "conecta_no_second_factor_device"

# Pages a session may open while a step is pending; every other page leads to the step.
_STEP_PAGES = {
    "verify": ("otp_verify", {"otp_verify", "logout"}),
    "enrol": ("mfa_setup", {"mfa_setup", "logout"}),
    "password": ("password_change", {"password_change", "password_change_done", "mfa_setup",
                                     "mfa_recovery_codes", "logout"}),
}


class AccountStepsMiddleware:
    """A signed-in session reaches no page until it has given its second factor (or, when
    one is required and none is set up, enrolled one) and changed a password the manager set.

    Pages open without login (health check, login page, privacy notices) are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        step = self.pending_step(request)
        if step is None:
            return None
        target, allowed = _STEP_PAGES[step]
        if request.resolver_match.view_name in allowed:
            return None
        url = reverse(target)
        if request.method == "GET" and step != "password":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)

    @staticmethod
    def pending_step(request):
        user = request.user
        if not user.is_verified():
            if request.session.get(NO_DEVICE_KEY):
                # Checked earlier in this session: no authenticator. Enrolling verifies the
                # session; a device added elsewhere counts from the next login.
                step = "enrol" if permissions.requires_second_factor(user) else None
            else:
                step = mfa.pending_step(user)
                if step is None:
                    request.session[NO_DEVICE_KEY] = True
            if step:
                return step
        if request.session.get(MUST_CHANGE_PASSWORD_KEY):
            return "password"
        return None
