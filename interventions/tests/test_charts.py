"""The charts are drawn at fixed widths: the texts they hold must fit them (a cut label reads wrong)."""

import pytest
from fontTools.ttLib import TTFont

from interventions import charts
from interventions.models import Cutoff

pytestmark = pytest.mark.django_db

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # the first family the charts ask for


def text_width(text, size=12):
    font = TTFont(FONT)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = sum(metrics[cmap.get(ord(ch), "space")][0] for ch in text)
    return units / font["head"].unitsPerEm * size


def test_every_built_in_result_text_fits_its_column():
    labels = set(Cutoff.objects.values_list("label", flat=True))
    assert labels, "the built-in instruments define their result labels"
    room = charts.VALUE_WIDTH - 8  # the text starts 8 px after the bar
    too_long = {label: round(text_width(f"88 de 88 · {label}")) for label in labels
                if text_width(f"88 de 88 · {label}") > room}
    assert not too_long, f"wider than {room} px: {too_long}"
