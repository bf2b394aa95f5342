"""Amounts in pesos: Chilean thousands separators are read as such, ambiguity is refused (issue 9, point 6)."""

import pytest
from django import forms

from conecta.money import ClpField
from conecta.templatetags.conecta_tags import clp


class AmountForm(forms.Form):
    amount = ClpField(label="Monto")


@pytest.mark.parametrize("typed,stored", [
    ("250.000", 250000), ("$ 250.000", 250000), ("$250.000", 250000), ("250000", 250000), (" 1.234.567 ", 1234567),
    ("0", 0), ("999", 999), ("\u00a0$\u00a0380.000", 380000),
])
def test_chilean_amounts_are_read_in_whole_pesos(typed, stored):
    form = AmountForm(data={"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == stored


@pytest.mark.parametrize("typed,message", [
    ("250,5", "no llevan coma ni decimales"),
    ("250,000", "no llevan coma ni decimales"),
    ("2.50.000", "separan los miles de a tres cifras"),
    ("250.00", "separan los miles de a tres cifras"),
    ("1.5", "separan los miles de a tres cifras"),
    ("-5.000", "no puede ser negativo"),
    ("doscientos", "Escriba un monto en pesos"),
])
def test_ambiguous_amounts_are_refused_next_to_the_field_keeping_the_text(typed, message):
    form = AmountForm(data={"amount": typed})
    assert not form.is_valid()
    assert message in form.errors["amount"][0]
    assert f'value="{typed}"' in str(form["amount"])


def test_the_stored_amount_is_shown_with_thousands_separators_when_editing():
    html = str(AmountForm(initial={"amount": 380000})["amount"])
    assert 'value="380.000"' in html and 'type="text"' in html and 'inputmode="numeric"' in html
    assert "step=" not in html
    assert clp(380000) == "$380.000"
