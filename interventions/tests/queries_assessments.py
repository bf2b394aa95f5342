"""Query-count pages of the assessment area (collected by tests/test_queries.py)."""

from django.urls import reverse

from conecta import permissions as p
from interventions.models import Instrument
from interventions.services import assessments as services
from interventions.tests.factories import make_instrument
from participants.models import Case, CaseStatus
from participants.tests.factories import CaseFactory, valid_rut

CASE_FILE_RUT = valid_rut(987_654)


def add_instruments(users, n):
    start = Instrument.objects.count()
    for index in range(n):
        make_instrument(code=f"consulta-{start + index}")


def _case():
    case = Case.objects.filter(participant__rut=CASE_FILE_RUT).first()
    return case or CaseFactory(participant__rut=CASE_FILE_RUT, status=CaseStatus.INTERVENTION)


def add_assessments(users, n):
    """n more completed assessments (with results) on one case, of instruments of different versions."""
    case = _case()
    for _index in range(n):
        instrument = make_instrument(code=f"ficha-{Instrument.objects.count()}")
        answers = {item.pk: item.options.first() for domain in instrument.domains.all() for item in domain.items.all()}
        services.assessment_create(case=case, instrument=instrument, actor=users[p.PSYCHOLOGIST],
                                   applied_on=case.applied_on, answers=answers, complete=True)


QUERY_PAGES = [
    ("assessments-instrument-list", p.PSYCHOLOGIST, lambda users: reverse("interventions:instrument_list"),
     add_instruments),
    ("assessments-instrument-list-active", p.MANAGER,
     lambda users: reverse("interventions:instrument_list") + "?status=active", add_instruments),
    ("assessments-case-file-tab", p.PSYCHOLOGIST,
     lambda users: reverse("participants:participant_detail", args=[_case().participant_id]), add_assessments),
    ("assessments-home-drafts", p.PSYCHOLOGIST, lambda users: reverse("role_home", args=[p.PSYCHOLOGIST]),
     lambda users, n: [services.assessment_create(case=_case(), instrument=make_instrument(
         code=f"borrador-{Instrument.objects.count()}"), actor=users[p.PSYCHOLOGIST],
         applied_on=_case().applied_on, answers={}) for _i in range(n)]),
]
