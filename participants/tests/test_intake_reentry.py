"""Issue 9, points 2 and 11: a re-entry waits for the previous episode to close, carries over its
eligibility and asks what changed; one intake page registers the person, the application with
its eligibility, the signed consent and, if asked, the admission to diagnosis."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conecta.models import Commune
from participants import services
from participants.models import Case, CaseStatus, Consent, Participant
from participants.services import DomainError
from participants.tests.factories import CaseFactory, ConsentFactory, InstitutionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def move(case, target, actor, *, on=None, reason="", exit_type=""):
    return services.case_transition(case=case, to_status=target, actor=actor, date=on or today(),
                                    reason=reason, exit_type=exit_type)


def followup_case(actor):
    """A case that went all the way to «En seguimiento»."""
    person = ConsentFactory().participant
    crs = InstitutionFactory(name="CRS Santiago Oriente")
    case = services.case_open(participant=person, actor=actor, applied_on=days_ago(300),
                              category=Case.Category.JUSTICE, sentence_type=Case.SentenceType.LIBERTAD_VIGILADA,
                              supervising_institution=crs, offences="Receptación")
    move(case, CaseStatus.DIAGNOSIS, actor, on=days_ago(290))
    move(case, CaseStatus.INTERVENTION, actor, on=days_ago(260))
    move(case, CaseStatus.EXITED, actor, on=days_ago(100), exit_type=Case.ExitType.COMPLETED)
    return move(case, CaseStatus.FOLLOWUP, actor, on=days_ago(99))


# --- Point 2: re-entry ---------------------------------------------------------------------------

@pytest.mark.parametrize("status", [CaseStatus.EXITED, CaseStatus.FOLLOWUP])
def test_reentry_is_refused_while_the_previous_episode_is_exited_or_in_followup(psychologist, status):
    case = followup_case(psychologist)
    if status == CaseStatus.EXITED:
        case.status = CaseStatus.EXITED
        case.save()
    with pytest.raises(DomainError, match="ciérrelo"):
        services.case_open(participant=case.participant, actor=psychologist, applied_on=today(),
                           reason="Volvió a consultar")
    assert case.participant.cases.count() == 1


def test_the_database_refuses_a_second_unfinished_episode(psychologist):
    case = CaseFactory(status=CaseStatus.FOLLOWUP)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(participant=case.participant, number=2, applied_on=today(), status=CaseStatus.APPLICANT)
    Case.objects.create(participant=case.participant, number=2, applied_on=today(), status=CaseStatus.NOT_ADMITTED)


def test_reentry_after_the_close_carries_over_eligibility_and_records_what_changed(psychologist):
    first = followup_case(psychologist)
    move(first, CaseStatus.CLOSED, psychologist, on=days_ago(5), reason="Nueva condena")
    with pytest.raises(DomainError, match="qué cambió"):
        services.case_open(participant=first.participant, actor=psychologist, applied_on=today())
    second = services.case_open(participant=first.participant, actor=psychologist, applied_on=today(),
                                reason="Nueva condena a libertad vigilada intensiva")
    assert second.number == 2 and second.status == CaseStatus.APPLICANT
    for name in ("category", "sentence_type", "supervising_institution", "offences"):
        assert getattr(second, name) == getattr(first, name)
    assert services.case_eligibility(second).eligible
    assert "Nueva condena a libertad vigilada intensiva" in second.status_changes.get().reason
    assert "Nueva condena" in second.history.first().history_change_reason


def test_reentry_page_refuses_while_a_case_is_in_followup_and_prefills_after_the_close(client_for, psychologist):
    first = followup_case(psychologist)
    person = first.participant
    client = client_for(psychologist)
    detail = client.get(person.get_absolute_url()).content.decode()
    assert "Registrar reingreso" not in detail
    assert "primero cierre el ingreso 1" in detail
    url = reverse("participants:case_create", args=[person.pk])
    page = client.get(url).content.decode()
    assert "En seguimiento" in page and 'name="applied_on"' not in page
    response = client.post(url, {"applied_on": today().isoformat(), "reason": "Vuelve"})
    assert response.status_code == 200 and person.cases.count() == 1

    move(first, CaseStatus.CLOSED, psychologist, on=days_ago(1), reason="Nueva causa")
    page = client.get(url).content.decode()
    assert "¿Qué cambió desde el ingreso 1?" in page
    assert 'value="libertad_vigilada" selected' in page
    # Without a reason: the error is next to the field and nothing is saved.
    response = client.post(url, {"applied_on": today().isoformat(), "category": "justice",
                                 "sentence_type": "libertad_vigilada_intensiva"})
    assert response.status_code == 200 and "Este campo es obligatorio" in response.content.decode()
    response = client.post(url, {"applied_on": today().isoformat(), "category": "justice",
                                 "sentence_type": "libertad_vigilada_intensiva", "offences": "Receptación",
                                 "reason": "Nueva causa por receptación"})
    assert response.status_code == 302
    second = person.cases.get(number=2)
    assert second.sentence_type == "libertad_vigilada_intensiva"
    assert "Nueva causa por receptación" in second.status_changes.get().reason


def test_expulsion_is_refused_for_a_chilean_national(psychologist):
    person = ParticipantFactory(nationality="Chilena")
    with pytest.raises(DomainError, match="extranjeras"):
        services.case_open(participant=person, actor=psychologist, applied_on=today(),
                           category=Case.Category.JUSTICE, sentence_type=Case.SentenceType.EXPULSION)
    foreigner = ParticipantFactory(nationality="Peruana")
    assert services.case_open(participant=foreigner, actor=psychologist, applied_on=today(),
                              category=Case.Category.JUSTICE, sentence_type=Case.SentenceType.EXPULSION)


# --- Point 11: one intake page -------------------------------------------------------------------

def intake_post(**overrides):
    data = {
        "rut": "12.345.678-5", "given_names": "Ana María", "paternal_surname": "Soto", "maternal_surname": "Lagos",
        "birth_date": "1988-04-02", "nationality": "Chilena", "phone": "987654321",
        "commune": Commune.objects.get(code="13114").pk, "sector": "Colón Oriente",
        "case-applied_on": today().isoformat(),
    }
    data.update(overrides)
    return data


PROFESSIONAL_PART = {
    "case-category": "justice", "case-sentence_type": "libertad_vigilada", "case-offences": "Hurto simple",
    "ingreso-consent_signed_on": today().isoformat(), "ingreso-consent_version": "2026.1", "ingreso-admit": "on",
}


def test_professional_intake_reaches_diagnosis_in_one_post(client_for, psychologist):
    response = client_for(psychologist).post(reverse("participants:participant_create"),
                                             intake_post(**PROFESSIONAL_PART))
    person = Participant.objects.get(rut="12345678-5")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    case = person.cases.get()
    assert case.status == CaseStatus.DIAGNOSIS and case.admitted_on == today()
    assert case.sentence_type == "libertad_vigilada" and case.offences == "Hurto simple"
    consent = person.consents.get()
    assert consent.kind == Consent.Kind.DATA_PROTECTION and consent.signed_on == today() and consent.case == case
    assert [s.to_status for s in case.status_changes.all()] == [CaseStatus.APPLICANT, CaseStatus.DIAGNOSIS]


def test_professional_intake_without_eligibility_is_not_admitted_and_saves_nothing(client_for, psychologist):
    data = intake_post(**{**PROFESSIONAL_PART, "case-category": ""})
    response = client_for(psychologist).post(reverse("participants:participant_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "No cumple los requisitos de ingreso" in html
    assert 'value="Ana María"' in html and "Hurto simple" in html  # nothing typed is lost
    assert not Participant.objects.exists() and not Consent.objects.exists()


def test_professional_intake_without_admission_shows_an_eligible_applicant(client_for, psychologist):
    data = intake_post(**{k: v for k, v in PROFESSIONAL_PART.items() if not k.startswith("ingreso-")})
    client = client_for(psychologist)
    client.post(reverse("participants:participant_create"), data)
    case = Participant.objects.get(rut="12345678-5").cases.get()
    assert case.status == CaseStatus.APPLICANT and services.case_eligibility(case).eligible
    html = client.get(case.participant.get_absolute_url()).content.decode()
    assert "No cumple los requisitos de ingreso." not in html


def test_receptionist_intake_has_no_sensitive_part_and_cannot_set_it(client_for, receptionist):
    client = client_for(receptionist)
    html = client.get(reverse("participants:participant_create")).content.decode()
    for name in ("case-category", "case-sentence_type", "case-offences", "case-vulnerability_factors",
                 "case-referral_source", "ingreso-consent_signed_on", "ingreso-admit"):
        assert f'name="{name}"' not in html
    response = client.post(reverse("participants:participant_create"), intake_post(**PROFESSIONAL_PART))
    assert response.status_code == 302
    case = Participant.objects.get(rut="12345678-5").cases.get()
    assert case.status == CaseStatus.APPLICANT and case.category == "" and case.offences == ""
    assert not Consent.objects.exists()


def test_intake_service_refuses_sensitive_fields_from_the_receptionist(receptionist):
    with pytest.raises(DomainError):
        services.participant_intake(actor=receptionist, data={"rut": "12345678-5", "given_names": "Ana",
                                                              "paternal_surname": "Soto"},
                                    application={"applied_on": today(), "category": "justice"})
    assert not Participant.objects.exists()
