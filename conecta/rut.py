"""Chilean RUT: normalise for storage (``12345678-5``), display as ``12.345.678-5``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cl import rut as stdnum_rut
from stdnum.exceptions import InvalidChecksum, ValidationError as StdnumError


def normalize(value):
    """Return the stored form of a valid RUT or raise ValidationError in Spanish."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Ingrese el RUT."), code="required")
    try:
        compact = stdnum_rut.validate(raw)
    except InvalidChecksum:
        raise ValidationError(
            _("El dígito verificador no corresponde a este RUT. Revise el número."),
            code="checksum",
        )
    except StdnumError:
        raise ValidationError(
            _("Ingrese un RUT válido, por ejemplo 12.345.678-5."), code="invalid"
        )
    return f"{compact[:-1]}-{compact[-1]}"


def display(stored):
    """``12345678-5`` → ``12.345.678-5``; anything unparsable is shown as is."""
    if not stored or "-" not in stored:
        return stored or ""
    body, check = stored.split("-", 1)
    groups = []
    while body:
        groups.insert(0, body[-3:])
        body = body[:-3]
    return ".".join(groups) + "-" + check


def looks_like_rut(text):
    """True when a search query is a RUT or the start of one (digits, dots, dash, K)."""
    cleaned = text.replace(".", "").replace("-", "").replace(" ", "").upper()
    return len(cleaned) >= 3 and cleaned.isascii() and cleaned[:-1].isdigit() and (cleaned[-1].isdigit() or cleaned[-1] == "K")


def search_key(text):
    """Digits of a RUT query without dots; the dash is kept when present."""
    return text.replace(".", "").replace(" ", "").upper()


def check_digit(number):
    """Check digit for a RUT body (used by the demo-data generator and tests)."""
    return stdnum_rut.calc_check_digit(str(number))
