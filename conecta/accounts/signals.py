"""Sign-in events written to the security log, and the forced-password-change flag."""

import hashlib

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from conecta.accounts.addresses import client_address
from conecta.accounts.middleware import MUST_CHANGE_PASSWORD_KEY
from conecta.accounts.mfa import security_log


@receiver(user_logged_in)
def remember_password_change_due(sender, request, user, **kwargs):
    from conecta.models import AccountSecurity

    if request is None:
        return
    if AccountSecurity.objects.filter(user=user, must_change_password=True).exists():
        request.session[MUST_CHANGE_PASSWORD_KEY] = True
    security_log.info("login.success user=%s address=%s", user.get_username(), client_address(request))


def logged_username(typed):
    """An account's username as typed, or, for text that names no account (often a password or
    a RUT typed in the wrong box), only a short digest: repeated tries still line up in the log."""
    from django.contrib.auth import get_user_model

    typed = str(typed or "")[:150]
    if typed and get_user_model().objects.filter(username=typed).exists():
        return typed
    return "desconocido:" + hashlib.sha256(typed.encode()).hexdigest()[:10]


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    security_log.warning("login.failed user=%s address=%s path=%s", logged_username((credentials or {}).get("username")),
                         client_address(request), request.path)


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    security_log.warning("login.locked user=%s address=%s", username or "", ip_address)
