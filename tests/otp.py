"""Codes of a real TOTP device, computed the way an authenticator app does."""

from django_otp.oath import totp


def totp_code(device, ahead=0):
    """The code the phone shows now (or `ahead` steps later, for a second sign-in within the
    same 30 seconds: a device never accepts the same step twice)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead):0{device.digits}d}"


def next_code(device):
    """A code the device accepts now: the current step, or the next one if the current was used."""
    import time

    device.refresh_from_db()
    current = int((time.time() - device.t0) // device.step) + device.drift
    return totp_code(device, ahead=1 if device.last_t >= current else 0)
