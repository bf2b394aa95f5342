import pytest
from django.core.exceptions import ValidationError

from conecta import rut


@pytest.mark.parametrize("raw,stored", [
    ("12.345.678-5", "12345678-5"),
    ("12345678-5", "12345678-5"),
    ("123456785", "12345678-5"),
    (" 7.654.321-6 ", "7654321-6"),
    ("10.000.013-k", "10000013-K"),
])
def test_normalize_valid(raw, stored):
    assert rut.normalize(raw) == stored


@pytest.mark.parametrize("raw,message", [
    ("12.345.678-9", "dígito verificador"),
    ("abc", "RUT válido"),
    ("", "Ingrese el RUT"),
])
def test_normalize_invalid_in_spanish(raw, message):
    with pytest.raises(ValidationError) as error:
        rut.normalize(raw)
    assert message in error.value.messages[0]


def test_display():
    assert rut.display("12345678-5") == "12.345.678-5"
    assert rut.display("7654321-6") == "7.654.321-6"
    assert rut.display("10000013-K") == "10.000.013-K"


def test_check_digit_matches_the_modulo_11_rule():
    # 12.345.678: 8*2+7*3+6*4+5*5+4*6+3*7+2*2+1*3 = 138; 11 - 138 % 11 = 5
    assert rut.check_digit(12345678) == "5"
    assert rut.check_digit(10000013) == "K"
