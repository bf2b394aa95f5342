"""Access-matrix rows of the referral pages and the institution detail."""

from django.urls import reverse

from conecta import permissions as p
from interventions.models import Referral
from interventions.services import referrals as services
from participants.models import CaseStatus
from tests.roles import PROFESSIONALS, only


def build(objects):
    case = objects["case"]
    case.status = CaseStatus.INTERVENTION
    case.save()
    referral = services.referral_create(case=case, institution=objects["institution"], need=Referral.Need.HOUSING,
                                        sent_on=case.applied_on, actor=objects["users"][p.SOCIAL_WORKER])
    return {"referrals_referral": referral}


ROWS = [
    ("referral_list", lambda o: reverse("interventions:referral_list"), only(PROFESSIONALS), 302),
    ("referral_create", lambda o: reverse("interventions:referral_create", args=[o["case"].pk]),
     only(PROFESSIONALS), 302),
    ("referral_detail", lambda o: reverse("interventions:referral_detail", args=[o["referrals_referral"].pk]),
     only(PROFESSIONALS), 302),
    ("referral_update", lambda o: reverse("interventions:referral_update", args=[o["referrals_referral"].pk]),
     only(PROFESSIONALS), 302),
    ("socio_family_pdf", lambda o: reverse("interventions:socio_family_pdf", args=[o["case"].pk]),
     only(PROFESSIONALS), 302),
    ("institution_detail", lambda o: reverse("institution_detail", args=[o["institution"].pk]),
     only(PROFESSIONALS), 302),
]
