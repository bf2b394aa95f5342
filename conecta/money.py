"""Chilean pesos (CLP): whole amounts, dot thousands separators.

Every form input of an amount in pesos uses `ClpField`. People type amounts the
way they write them ("250.000", "$ 250.000") or bare ("250000"); a plain
IntegerField reads "250.000" as 250 (it drops a trailing ".000" as decimals), so
the field parses the Chilean way and refuses what could mean two things: a
comma ("250,5" or "250,000"), dots that do not group by three ("2.50.000").
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Bare digits, or 1–3 digits followed by groups of a dot and three digits.
_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
# Largest amount a PositiveIntegerField column holds.
MAX_CLP = 2_147_483_647


def format_thousands(value):
    """1234567 → "1.234.567" (no currency sign)."""
    return f"{int(value):,}".replace(",", ".")


def parse_clp(text):
    """The whole pesos written in `text`, or raise ValidationError with a Spanish message."""
    cleaned = text.strip().replace("\u00a0", " ")
    if cleaned.startswith("$"):
        cleaned = cleaned[1:].strip()
    if cleaned.startswith("-"):
        raise forms.ValidationError(_("El monto no puede ser negativo."), code="min_value")
    if "," in cleaned:
        raise forms.ValidationError(
            _("Los montos en pesos no llevan coma ni decimales: escriba, por ejemplo, 250.000 o 250000."),
            code="ambiguous")
    if _PLAIN.fullmatch(cleaned):
        return int(cleaned)
    if _GROUPED.fullmatch(cleaned):
        return int(cleaned.replace(".", ""))
    if "." in cleaned and re.fullmatch(r"[\d.]+", cleaned):
        raise forms.ValidationError(
            _("Los puntos separan los miles de a tres cifras: escriba, por ejemplo, 250.000 o 250000."),
            code="ambiguous")
    raise forms.ValidationError(_("Escriba un monto en pesos, por ejemplo 250.000 o 250000."), code="invalid")


class ClpInput(forms.TextInput):
    """A text box (a number input would refuse the dots) that shows a stored amount as 250.000."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and _PLAIN.fullmatch(value.strip())):
            return format_thousands(value)
        # What the person typed, unchanged, when it did not validate.
        return super().format_value(value)


class ClpField(forms.IntegerField):
    """A whole amount in pesos, typed with or without dot thousands separators."""

    widget = ClpInput

    def __init__(self, *, min_value=0, max_value=MAX_CLP, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("min_value", _("El monto no puede ser menor que %(limit_value)s."))
        kwargs["error_messages"].setdefault("max_value", _("El monto no puede superar %(limit_value)s."))
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def widget_attrs(self, widget):
        # IntegerField adds min/max/step, which a text box does not take.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int):
            return value
        return parse_clp(str(value))
