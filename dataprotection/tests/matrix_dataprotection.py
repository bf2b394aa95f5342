"""Access-matrix rows of the rights register, the access export, the breach register and the privacy page.

Only the manager reads the register; anyone on the team registers an intake; the privacy
page answers 200 even to someone without an account."""

from django.core.files.base import ContentFile
from django.urls import reverse

from conecta import permissions as p
from conecta.personal_data import recipients_of
from dataprotection.models import PrivacyNotice, RightsRequest
from dataprotection.services import requests as services
from dataprotection.tests.factories import days_ago, make_breach, make_request
from tests.roles import everyone, only

MANAGER_ONLY = only([p.MANAGER])


def build(objects):
    manager = objects["users"][p.MANAGER]
    person = objects["person"]
    rectification = make_request(manager, participant=person, kind=RightsRequest.Kind.RECTIFICATION, verified=True)
    answered = make_request(manager, participant=person, verified=True)
    answered = services.rights_request_answer(
        rights_request=answered, actor=manager, answered_on=days_ago(1), outcome=RightsRequest.Outcome.GRANTED,
        answer="Se entregó la copia.", proof=ContentFile(b"%PDF-1.4 test", name="acuse.pdf"), version=answered.version)
    return {
        "dp_rectification": rectification, "dp_answered": answered, "dp_breach": make_breach(manager),
        "dp_recipient_key": recipients_of(person)[0].key,
        "dp_notice": PrivacyNotice.objects.order_by("-version").first(),
    }


def request_url(name, key="dp_rectification"):
    return lambda o: reverse(f"dataprotection:{name}", args=[o[key].pk])


def person_url(name):
    return lambda o: reverse(f"dataprotection:{name}", args=[o["person"].pk])


ROWS = [
    ("rightsrequest_list", lambda o: reverse("dataprotection:rightsrequest_list"), MANAGER_ONLY, 302),
    ("rightsrequest_create", lambda o: reverse("dataprotection:rightsrequest_create"), everyone(), 302),
    ("rightsrequest_detail", request_url("rightsrequest_detail"), MANAGER_ONLY, 302),
    ("rightsrequest_update", request_url("rightsrequest_update"), MANAGER_ONLY, 302),
    ("rightsrequest_verify", request_url("rightsrequest_verify"), MANAGER_ONLY, 302),
    ("rightsrequest_extend", request_url("rightsrequest_extend"), MANAGER_ONLY, 302),
    ("rightsrequest_block", request_url("rightsrequest_block"), MANAGER_ONLY, 302),
    ("rightsrequest_answer", request_url("rightsrequest_answer"), MANAGER_ONLY, 302),
    ("rightsrequest_proof", request_url("rightsrequest_proof", "dp_answered"), MANAGER_ONLY, 302),
    ("rightsrequest_proof_file", request_url("rightsrequest_proof_file", "dp_answered"), MANAGER_ONLY, 302),
    ("recipientnotice_create", lambda o: reverse("dataprotection:recipientnotice_create",
                                                 args=[o["dp_rectification"].pk, o["dp_recipient_key"]]),
     MANAGER_ONLY, 302),
    ("personaldata_pdf", person_url("personaldata_pdf"), MANAGER_ONLY, 302),
    ("personaldata_json", person_url("personaldata_json"), MANAGER_ONLY, 302),
    ("personaldata_xlsx", person_url("personaldata_xlsx"), MANAGER_ONLY, 302),
    ("breach_list", lambda o: reverse("dataprotection:breach_list"), MANAGER_ONLY, 302),
    ("breach_create", lambda o: reverse("dataprotection:breach_create"), MANAGER_ONLY, 302),
    ("breach_detail", lambda o: reverse("dataprotection:breach_detail", args=[o["dp_breach"].pk]), MANAGER_ONLY, 302),
    ("breach_update", lambda o: reverse("dataprotection:breach_update", args=[o["dp_breach"].pk]), MANAGER_ONLY, 302),
    # Readable without an account: 200 for anonymous visitors too.
    ("privacynotice_detail", lambda o: reverse("dataprotection:privacynotice_detail"), everyone(), 200),
    ("privacynotice_version", lambda o: reverse("dataprotection:privacynotice_version",
                                                args=[o["dp_notice"].version]), everyone(), 200),
    ("privacynotice_update", lambda o: reverse("dataprotection:privacynotice_update"), MANAGER_ONLY, 302),
]
