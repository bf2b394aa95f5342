"""Chilean phone numbers, stored in one format whatever was typed.

Mobiles: «+56 9 8765 4321»; Santiago landlines: «+56 2 2345 6789»; other areas (two-digit
code): «+56 33 231 0450». A foreign number keeps its «+» and country code, spaced as typed.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-().]")


def normalize(value):
    """The number in the stored format, or None when it is not recognisable as a phone number."""
    raw = (value or "").strip()
    if not raw:
        return ""
    compact = _SEPARATORS.sub("", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+") and not compact.startswith("+56"):
        digits = compact[1:]
        if digits.isdigit() and 7 <= len(digits) <= 15:
            return "+" + " ".join(raw.lstrip("+0").split())  # foreign: kept as typed
        return None
    digits = compact.removeprefix("+").removeprefix("56") if compact.startswith(("+56", "56")) and \
        len(compact.removeprefix("+")) == 11 else compact
    if not digits.isdigit():
        return None
    if len(digits) == 8 and digits[0] in "3456789":
        # An eight-digit mobile from before the 2012 change: a 9 was added in front.
        digits = "9" + digits
    if len(digits) != 9:
        return None
    if digits[0] == "9":
        return f"+56 9 {digits[1:5]} {digits[5:]}"
    if digits[0] == "2":
        return f"+56 2 {digits[1:5]} {digits[5:]}"
    return f"+56 {digits[:2]} {digits[2:5]} {digits[5:]}"


def validate_phone(value):
    if value and normalize(value) is None:
        raise ValidationError(
            _("Escriba un teléfono chileno de 9 dígitos (por ejemplo 9 8765 4321 o 2 2345 6789), o uno "
              "extranjero con + y el código del país."),
            code="invalid_phone",
        )


class PhoneField(models.CharField):
    """A CharField that refuses what is not a phone number and stores it normalised."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        if validate_phone not in self.validators:
            self.validators.append(validate_phone)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        normalized = normalize(value)
        return value if normalized is None else normalized

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        normalized = normalize(value)
        if normalized is not None and normalized != value:
            setattr(model_instance, self.attname, normalized)
            return normalized
        return value
