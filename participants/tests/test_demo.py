"""Issue 9, point 22: the demo is believable for Las Condes (names, nationality, network)."""

import re

import pytest
from django.core.management import call_command

from conecta.models import Commune, Institution
from participants.models import Case, Participant

pytestmark = pytest.mark.django_db


def test_the_demo_is_believable_for_las_condes():
    call_command("seed_demo", force=True)

    repeated = [p.given_names for p in Participant.objects.all()
                if len(set(p.given_names.split())) < len(p.given_names.split())]
    assert Participant.objects.count() >= 60 and not repeated, repeated

    assert not Case.objects.filter(sentence_type=Case.SentenceType.EXPULSION, participant__nationality="Chilena")
    assert Case.objects.filter(category=Case.Category.JUSTICE).exclude(sentence_type="").exists()

    # Only Las Condes and the metropolitan region: no institution named after a commune elsewhere.
    outside = [c.name for c in Commune.objects.exclude(region__code="13")]
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in outside) + r")\b")
    names = list(Institution.objects.values_list("name", flat=True))
    assert len(names) >= 15
    assert [name for name in names if pattern.search(name)] == []
    assert "Centro de Reinserción Social Santiago Oriente (Gendarmería)" in names
