"""List pages of the data-protection registers: the same queries for 2 rows and for 30."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from dataprotection.models import PrivacyNotice, RightsRequest
from dataprotection.services import privacy as privacy_services
from dataprotection.tests.factories import days_ago, make_breach, make_request
from interventions.tests.factories import ReferralFactory, SessionFactory
from participants.models import Participant
from participants.tests.factories import CaseFactory, InstitutionFactory, ParticipantFactory

SUBJECT_RUT = "11111111-1"


def add_requests(kind=RightsRequest.Kind.ACCESS, answered=False):
    def add(users, n):
        for i in range(n):
            rights_request = make_request(users[p.MANAGER], participant=ParticipantFactory() if i % 2 else None,
                                          kind=kind, received_on=days_ago(5 + i % 40), verified=True)
            if answered:
                from dataprotection.services import requests as services

                services.rights_request_answer(rights_request=rights_request, actor=users[p.MANAGER],
                                               answered_on=timezone.localdate(), outcome="granted",
                                               answer="Respondida.", version=rights_request.version)
    return add


def add_breaches(users, n):
    for i in range(n):
        make_breach(users[p.MANAGER])


def _subject():
    person = Participant.objects.filter(rut=SUBJECT_RUT).first()
    if person is None:
        person = CaseFactory(participant__rut=SUBJECT_RUT).participant
    return person


def add_recipients(users, n):
    """Referrals of one person to n more institutions, and a rectification to list them."""
    person = _subject()
    case = person.cases.first()
    for _i in range(n):
        ReferralFactory(case=case, institution=InstitutionFactory(), created_by=users[p.SOCIAL_WORKER])
    if not RightsRequest.objects.filter(participant=person).exists():
        make_request(users[p.MANAGER], participant=person, kind=RightsRequest.Kind.RECTIFICATION, verified=True)


def rectification_url(users):
    return reverse("dataprotection:rightsrequest_detail",
                   args=[RightsRequest.objects.get(participant__rut=SUBJECT_RUT).pk])


def add_person_data(users, n):
    """More sessions, referrals and requests of the same person: the export must not grow in queries."""
    # The content type is cached after the first lookup; look it up before the first count.
    ContentType.objects.get_for_model(Participant)
    person = _subject()
    case = person.cases.first()
    for i in range(n):
        SessionFactory(case=case, professional=users[p.PSYCHOLOGIST],
                       starts_at=timezone.now() - datetime.timedelta(days=i + 1))
        ReferralFactory(case=case, institution=InstitutionFactory(), created_by=users[p.SOCIAL_WORKER])
        make_request(users[p.MANAGER], participant=person)


def export_url(users):
    return reverse("dataprotection:personaldata_json", args=[_subject().pk])


def add_notice_versions(users, n):
    for _i in range(n):
        current = PrivacyNotice.objects.order_by("-version").first()
        privacy_services.privacy_notice_publish(
            actor=users[p.MANAGER], version=current.version,
            **{name: f"{getattr(current, name)} ." for name in PrivacyNotice.SECTION_FIELDS})


QUERY_PAGES = [
    ("dataprotection-requests-open", p.MANAGER, lambda users: reverse("dataprotection:rightsrequest_list"),
     add_requests()),
    ("dataprotection-requests-blocking", p.MANAGER,
     lambda users: reverse("dataprotection:rightsrequest_list") + "?status=overdue&kind=blocking",
     add_requests(kind=RightsRequest.Kind.BLOCKING)),
    ("dataprotection-requests-answered", p.MANAGER,
     lambda users: reverse("dataprotection:rightsrequest_list") + "?status=answered",
     add_requests(answered=True)),
    ("dataprotection-manager-home", p.MANAGER, lambda users: reverse("role_home", args=[p.MANAGER]),
     add_requests(kind=RightsRequest.Kind.PORTABILITY)),
    ("dataprotection-breaches", p.MANAGER, lambda users: reverse("dataprotection:breach_list"), add_breaches),
    ("dataprotection-recipients", p.MANAGER, rectification_url, add_recipients),
    ("dataprotection-export", p.MANAGER, export_url, add_person_data),
    ("dataprotection-privacy-versions", p.RECEPTIONIST, lambda users: reverse("dataprotection:privacynotice_detail"),
     add_notice_versions),
]
