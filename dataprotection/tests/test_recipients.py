"""Rectification (and suppression, blocking) lists every institution that received the person's
data, from every app's registry entry, and records when each was told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.errors import DomainError
from conecta.personal_data import recipients_of
from dataprotection.models import RecipientNotice, RightsRequest
from dataprotection.services import requests as services
from dataprotection.tests.factories import days_ago, make_request
from interventions.tests.factories import ReferralFactory
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, InstitutionFactory
from workshops.tests.factories_courses import CourseEnrolmentFactory, TrainingCourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(role_users):
    """A person referred twice to the same CESFAM and once to SENDA, and applied to an OTEC course."""
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    cesfam = InstitutionFactory(name="CESFAM Apoquindo", phone="+56 2 2222 3333")
    ReferralFactory(case=case, institution=cesfam, sent_on=days_ago(20), created_by=role_users[p.SOCIAL_WORKER])
    ReferralFactory(case=case, institution=cesfam, need="mental_health", sent_on=days_ago(5),
                    created_by=role_users[p.SOCIAL_WORKER])
    ReferralFactory(case=case, institution=InstitutionFactory(name="SENDA Previene"), sent_on=days_ago(9),
                    created_by=role_users[p.SOCIAL_WORKER])
    CourseEnrolmentFactory(case=case, course=TrainingCourseFactory(provider=InstitutionFactory(name="OTEC Los Andes")))
    # Someone else's referral is not this person's recipient.
    ReferralFactory(institution=InstitutionFactory(name="Hospital de otra persona"),
                    created_by=role_users[p.SOCIAL_WORKER])
    return case.participant


def test_recipients_come_from_every_registered_app_once_per_institution(referred):
    recipients = recipients_of(referred)
    assert [r.name for r in recipients] == ["CESFAM Apoquindo", "OTEC Los Andes", "SENDA Previene"]
    cesfam = recipients[0]
    assert cesfam.since == days_ago(20), "the earliest date it received data"
    assert "Salud mental" in cesfam.reason and "Salud" in cesfam.reason
    assert "+56 2 2222 3333" in cesfam.contact


def test_rectification_page_lists_recipients_to_tell(client, role_users, referred):
    rectification = make_request(role_users[p.MANAGER], participant=referred, kind=RightsRequest.Kind.RECTIFICATION,
                                 verified=True)
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(rectification.get_absolute_url()).content.decode()
    for name in ("CESFAM Apoquindo", "SENDA Previene", "OTEC Los Andes"):
        assert name in html
    assert "Hospital de otra persona" not in html


def test_an_access_request_has_no_recipients_to_tell(client, role_users, referred):
    access = make_request(role_users[p.MANAGER], participant=referred)
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(access.get_absolute_url()).context["recipients"] == []


def test_recording_that_a_recipient_was_told(client, role_users, referred):
    manager = role_users[p.MANAGER]
    rectification = make_request(manager, participant=referred, kind=RightsRequest.Kind.RECTIFICATION,
                                 received_on=days_ago(4), verified=True)
    recipient = recipients_of(referred)[0]
    url = reverse("dataprotection:recipientnotice_create", args=[rectification.pk, recipient.key])
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    before = client.post(url, {"informed_on": days_ago(5).isoformat(), "means": "Oficio N.º 12"})
    assert "anterior a la recepción" in before.context["form"].errors["informed_on"][0]
    future = client.post(url, {"informed_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
                               "means": "Oficio N.º 12"})
    assert "futuro" in future.context["form"].errors["informed_on"][0]
    assert not RecipientNotice.objects.exists()
    assert client.post(url, {"informed_on": days_ago(1).isoformat(), "means": "Oficio N.º 12"}).status_code == 302
    notice = RecipientNotice.objects.get()
    assert notice.institution_id == recipient.institution_id and notice.informed_on == days_ago(1)
    html = client.get(rectification.get_absolute_url()).content.decode()
    assert f"Informada el {days_ago(1):%d-%m-%Y}" in html
    with pytest.raises(DomainError, match="ya se registró"):
        services.recipient_notice_record(rights_request=rectification, recipient=recipient, actor=manager,
                                         informed_on=days_ago(1), means="Otra vez")


def test_unknown_recipient_is_not_found(client, role_users, referred):
    rectification = make_request(role_users[p.MANAGER], participant=referred, kind=RightsRequest.Kind.RECTIFICATION)
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("dataprotection:recipientnotice_create", args=[rectification.pk, "institution:999999"])
    assert client.get(url).status_code == 404


def test_only_rectification_suppression_and_blocking_tell_recipients(role_users, referred):
    access = make_request(role_users[p.MANAGER], participant=referred)
    with pytest.raises(DomainError, match="Solo una rectificación"):
        services.recipient_notice_record(rights_request=access, recipient=recipients_of(referred)[0],
                                         actor=role_users[p.MANAGER], informed_on=days_ago(0), means="Correo")
