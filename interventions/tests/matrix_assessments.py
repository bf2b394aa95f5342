"""Access-matrix rows of the assessment pages (collected by tests/test_access_matrix.py)."""

from django.urls import reverse

from conecta import permissions as p
from interventions.models import Instrument
from interventions.services import assessments as services
from interventions.tests.factories import make_instrument
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory
from tests.roles import PROFESSIONALS, only


def build(objects):
    psychologist = objects["users"][p.PSYCHOLOGIST]
    case = CaseFactory(status=CaseStatus.DIAGNOSIS)
    active = make_instrument(code="matriz-vigente")
    draft = make_instrument(code="matriz-borrador", status=Instrument.Status.DRAFT)
    domain = draft.domains.first()
    answers = {item.pk: item.options.order_by("score").last()
               for domain in active.domains.all() for item in domain.items.all()}
    completed = services.assessment_create(case=case, instrument=active, actor=psychologist,
                                           applied_on=case.applied_on, answers=answers, complete=True)
    draft_assessment = services.assessment_create(case=case, instrument=active, actor=psychologist,
                                                  applied_on=case.applied_on, answers={})
    return {
        "assess_case": case, "assess_active": active, "assess_draft_instrument": draft,
        "assess_domain": domain, "assess_item": domain.items.first(),
        "assess_completed": completed, "assess_draft": draft_assessment,
    }


MANAGER_ONLY = only([p.MANAGER])
PROS = only(PROFESSIONALS)


def _url(name, key=None):
    return lambda o: reverse(f"interventions:{name}", args=[o[key].pk] if key else [])


ROWS = [
    ("instrument_list", _url("instrument_list"), PROS, 302),
    ("instrument_detail", _url("instrument_detail", "assess_active"), PROS, 302),
    ("instrument_create", _url("instrument_create"), MANAGER_ONLY, 302),
    ("instrument_update", _url("instrument_update", "assess_draft_instrument"), MANAGER_ONLY, 302),
    # An instrument in force is not edited: the manager is sent back to its page.
    ("instrument_update:active", _url("instrument_update", "assess_active"), only([p.MANAGER], status=302), 302),
    ("instrument_activate", _url("instrument_activate", "assess_draft_instrument"), MANAGER_ONLY, 302),
    ("instrument_retire", _url("instrument_retire", "assess_active"), MANAGER_ONLY, 302),
    ("instrument_new_version", _url("instrument_new_version", "assess_active"), MANAGER_ONLY, 302),
    ("instrument_domain_create", _url("instrument_domain_create", "assess_draft_instrument"), MANAGER_ONLY, 302),
    ("instrument_domain_update", _url("instrument_domain_update", "assess_domain"), MANAGER_ONLY, 302),
    ("instrument_domain_delete", _url("instrument_domain_delete", "assess_domain"), MANAGER_ONLY, 302),
    ("instrument_item_create", _url("instrument_item_create", "assess_domain"), MANAGER_ONLY, 302),
    ("instrument_item_update", _url("instrument_item_update", "assess_item"), MANAGER_ONLY, 302),
    ("instrument_item_delete", _url("instrument_item_delete", "assess_item"), MANAGER_ONLY, 302),
    ("assessment_create", _url("assessment_create", "assess_case"), PROS, 302),
    ("assessment_create:instrument",
     lambda o: reverse("interventions:assessment_create", args=[o["assess_case"].pk]) + f"?instrumento={o['assess_active'].pk}",
     PROS, 302),
    ("assessment_detail", _url("assessment_detail", "assess_completed"), PROS, 302),
    ("assessment_detail:draft", _url("assessment_detail", "assess_draft"), PROS, 302),
    # A draft is finished by its author (the psychologist) or the manager.
    ("assessment_update", _url("assessment_update", "assess_draft"), only([p.MANAGER, p.PSYCHOLOGIST]), 302),
    ("assessment_compare", _url("assessment_compare", "assess_completed"), PROS, 302),
    ("diagnosis_pdf", _url("diagnosis_pdf", "assess_case"), PROS, 302),
]
