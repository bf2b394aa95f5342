"""Demo second factor for `gestora`: a fixed, published TOTP key and recovery codes.

seed_demo (which refuses to run without debug unless forced) calls `seed`, so the
manager of the demo can sign in on `make run` with any authenticator app, or with
one of the recovery codes printed here (restored on every run)."""

from binascii import hexlify

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conecta import permissions
from conecta.accounts import mfa

# Twenty bytes shown to anyone who runs the demo: never a real account's key.
DEMO_TOTP_KEY = hexlify(b"conecta-demo-totp-01").decode()
DEMO_RECOVERY_CODES = ["demo2fa1", "demo2fa2", "demo2fa3", "demo2fa4", "demo2fa5"]


def seed(*, users, seed, stdout):
    manager = users[permissions.MANAGER]
    device, _created = TOTPDevice.objects.get_or_create(
        user=manager, key=DEMO_TOTP_KEY, defaults={"name": mfa.AUTHENTICATOR_NAME, "confirmed": True},
    )
    recovery, _created = StaticDevice.objects.get_or_create(user=manager, name=mfa.RECOVERY_NAME,
                                                            defaults={"confirmed": True})
    present = set(recovery.token_set.values_list("token", flat=True))
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code)
                                    for code in DEMO_RECOVERY_CODES if code not in present)
    stdout.write(
        f"{manager.username} pide un segundo factor: clave TOTP {mfa.secret_text(device)} "
        f"(agréguela a una app de autenticación) o un código de recuperación: {', '.join(DEMO_RECOVERY_CODES)}."
    )
