"""Second factor: TOTP devices and recovery codes, kept in django-otp's own models so
operators can also provision and reset them with the library's tools (admin,
`manage.py addstatictoken`, deleting the devices)."""

import logging
import re
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conecta import permissions
from conecta.accounts.addresses import client_address
from conecta.services import save_with_history

security_log = logging.getLogger("conecta.security")

AUTHENTICATOR_NAME = "Aplicación de autenticación"
RECOVERY_NAME = "Códigos de recuperación"
# Wrong codes given in this session: the verification page closes the session at the limit.
FAILURES_SESSION_KEY = "conecta_mfa_failures"
# Codes just generated, shown once by the recovery-codes page and then dropped from the session.
FRESH_CODES_SESSION_KEY = "conecta_mfa_fresh_codes"


def log_event(request, event, user, **details):
    """One line per second-factor event: the event, the username, the address; never a code."""
    extra = "".join(f" {key}={value}" for key, value in sorted(details.items()))
    security_log.info("mfa.%s user=%s address=%s%s", event, user.get_username(), client_address(request), extra)


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(user):
    """What a signed-in but unverified user must do: "verify", "enrol" or nothing (None)."""
    if is_enrolled(user):
        return "verify"
    if permissions.requires_second_factor(user):
        return "enrol"
    return None


def enrolment_device(*, user):
    """The authenticator being set up: unconfirmed until a first code proves the phone has it.

    The same secret is shown until it is confirmed, so reloading the page does not
    invalidate a QR code the person has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_text(device):
    """The key in base32, in groups of four, for typing into the app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The provisioning URI as an inline SVG QR code, drawn here (no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", svgclass="qr-code",
        title=_("Código QR para la aplicación de autenticación"),
    )


def normalize(code):
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def enrolment_confirm(*, request, device, code):
    """Activate the authenticator if `code` comes from it, verify this session with it and
    issue fresh recovery codes. Returns the codes, or None when the code is wrong or came
    too soon after a wrong one (the device slows down repeated failures)."""
    user = request.user
    code = normalize(code)
    if not device.verify_is_allowed()[0]:
        return None
    if not (code.isdigit() and django_otp.verify_token(user, device.persistent_id, code)):
        log_event(request, "enrolment_failed", user)
        return None
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    django_otp.login(request, device)
    log_event(request, "enrolled", user, device=device.persistent_id)
    return recovery_codes_generate(request=request, user=user)


@transaction.atomic
def recovery_codes_generate(*, request, user):
    """Ten new single-use codes; the previous ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.MFA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log_event(request, "recovery_codes_generated", user, count=len(codes))
    request.session[FRESH_CODES_SESSION_KEY] = codes
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def throttled_until(user):
    """When the authenticator accepts codes again, if that is long enough to be worth saying
    (the first failures wait a second or two: nobody types faster than that), or None."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    allowed, data = device.verify_is_allowed()
    until = None if allowed else data.get("locked_until")
    return until if until and (until - timezone.now()).total_seconds() > 5 else None


def second_factor_verify(*, request, code):
    """Verify the session with an authenticator code (six digits) or a recovery code.

    Returns "ok"; "wait" while the device slows down repeated failures (nothing was tried,
    nothing is counted); "wrong"; or "limit" (too many wrong codes: the caller ends the session)."""
    user = request.user
    code = normalize(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    candidates = list(model.objects.filter(user=user, confirmed=True))
    if any(not candidate.verify_is_allowed()[0] for candidate in candidates):
        return "wait"
    device = None
    for candidate in candidates if code else []:
        device = django_otp.verify_token(user, candidate.persistent_id, code)
        if device:
            break
    if device is not None:
        django_otp.login(request, device)
        request.session.pop(FAILURES_SESSION_KEY, None)
        if isinstance(device, StaticDevice):
            log_event(request, "recovery_code_used", user, left=recovery_codes_left(user))
        else:
            log_event(request, "verified", user)
        return "ok"
    failures = request.session.get(FAILURES_SESSION_KEY, 0) + 1
    request.session[FAILURES_SESSION_KEY] = failures
    log_event(request, "failed", user, failures=failures)
    return "limit" if failures >= settings.MFA_FAILURE_LIMIT else "wrong"


@transaction.atomic
def second_factor_reset(*, request, account, actor):
    """Remove the person's authenticator and recovery codes (a lost or replaced phone).

    Sessions verified with them stop being verified at once; a person who must use a
    second factor enrols again right after the password at the next page."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _detail = model.objects.filter(user=account).delete()
        removed += count
    save_with_history(account, actor=actor, reason=_("Verificación en dos pasos restablecida"))
    security_log.warning("mfa.reset user=%s by=%s address=%s removed=%s", account.get_username(),
                         actor.get_username(), client_address(request), removed)
    return removed
