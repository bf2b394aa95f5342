"""Every PDF carries every answer its source assessment holds (issue 9, point 7).

Each built-in instrument is applied with every item answered (open answers with a text of
their own), then the PDF's text is read back with pdftotext: each question must be followed
by its answer."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from conecta import permissions as p
from interventions.models import Instrument, Item
from interventions.selectors.assessments import instrument_detail
from interventions.services import assessments as services
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext no está instalado")]

BUILT_IN = ["tamizaje-riesgo-necesidades", "motivacion-cambio", "evaluacion-sociofamiliar", "perfil-ocupacional",
            "diagnostico-redes"]


def pdf_text(content):
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", text)


def apply_fully(case, code, actor):
    """The instrument applied with every item answered; returns (assessment, [(question, answer text)])."""
    instrument = instrument_detail(pk=Instrument.objects.get(code=code, version=1).pk)
    answers, expected = {}, []
    for domain in instrument.domain_list:
        for index, item in enumerate(domain.item_list):
            if item.kind == Item.Kind.CHOICE:
                option = item.option_list[index % len(item.option_list)]
                answers[item.pk], shown = option, option.label
            else:
                shown = f"Respuesta abierta {item.pk} de {domain.name.lower()}"
                answers[item.pk] = shown
            expected.append((item.text, shown))
    results = services.instrument_results(instrument)
    assessment = services.assessment_create(
        case=case, instrument=instrument, actor=actor, applied_on=datetime.date.today(), answers=answers,
        strengths=f"Fortaleza de {code}", conclusions=f"Conclusión de {code}", complete=True,
        override_label=results[-1][0], override_reason=f"Fundamento de {code}",
    )
    expected += [("", f"Fortaleza de {code}"), ("", f"Conclusión de {code}"), ("", f"Fundamento de {code}")]
    return assessment, expected


def missing_from(text, expected):
    return [(question, answer) for question, answer in expected
            if re.sub(r"\s+", " ", f"{question} {answer}".strip()) not in text]


@pytest.fixture
def case(role_users):
    return CaseFactory(status=CaseStatus.INTERVENTION, psychologist=role_users[p.PSYCHOLOGIST],
                       social_worker=role_users[p.SOCIAL_WORKER])


def test_diagnosis_pdf_carries_every_answer_of_every_instrument(case, role_users, client_for):
    expected = {}
    for code in BUILT_IN:
        _assessment, expected[code] = apply_fully(case, code, role_users[p.PSYCHOLOGIST])
    response = client_for(role_users[p.PSYCHOLOGIST]).get(reverse("interventions:diagnosis_pdf", args=[case.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert {code: missing_from(text, rows) for code, rows in expected.items()} == {code: [] for code in BUILT_IN}
    # The motivation instrument's open section ("Metas personales") is there by name too.
    assert "Metas personales" in text


def test_socio_family_pdf_carries_every_answer_of_its_assessments(case, role_users, client_for):
    social = role_users[p.SOCIAL_WORKER]
    _socio, socio_rows = apply_fully(case, "evaluacion-sociofamiliar", social)
    _network, network_rows = apply_fully(case, "diagnostico-redes", social)
    response = client_for(social).get(reverse("interventions:socio_family_pdf", args=[case.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert missing_from(text, socio_rows) == []
    assert missing_from(text, network_rows) == []
