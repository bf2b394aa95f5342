"""Consent, blocking and processing authorisation (Ley 21.719): the rules and their pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta.models import ProgramSettings
from participants import selectors, services
from participants.models import CaseStatus, Consent
from participants.services import ConsentRequired, ProcessingRefused
from participants.tests.factories import CaseFactory, ConsentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_admission_and_start_of_intervention_need_an_active_data_protection_consent(psychologist, manager):
    case = CaseFactory()
    with pytest.raises(ConsentRequired, match="consentimiento de tratamiento de datos"):
        services.case_transition(case=case, to_status=CaseStatus.DIAGNOSIS, actor=psychologist, date=today())
    # A consent signed after the admission date does not count for it.
    ConsentFactory(participant=case.participant, signed_on=today())
    with pytest.raises(ConsentRequired):
        services.case_transition(case=case, to_status=CaseStatus.DIAGNOSIS, actor=psychologist,
                                 date=today() - datetime.timedelta(days=1))
    case = services.case_transition(case=case, to_status=CaseStatus.DIAGNOSIS, actor=psychologist, date=today())
    assert case.status == CaseStatus.DIAGNOSIS

    # Withdrawn before the start of intervention: refused (the person's data may not be processed).
    in_diagnosis = CaseFactory(status=CaseStatus.DIAGNOSIS)
    consent = ConsentFactory(participant=in_diagnosis.participant, kind=Consent.Kind.SOCIAL_CONTRACT)
    with pytest.raises(ConsentRequired):  # a social contract is not a data-protection consent
        services.case_transition(case=in_diagnosis, to_status=CaseStatus.INTERVENTION, actor=psychologist,
                                 date=today())
    assert consent.kind == Consent.Kind.SOCIAL_CONTRACT


def test_the_program_setting_turns_the_consent_rule_off_and_the_manager_may_authorise(psychologist, manager):
    program = ProgramSettings.load()
    program.require_consent_for_admission = False
    program.save()
    case = CaseFactory()
    assert services.case_transition(case=case, to_status=CaseStatus.DIAGNOSIS, actor=psychologist,
                                    date=today()).status == CaseStatus.DIAGNOSIS
    program.require_consent_for_admission = True
    program.save()
    other = CaseFactory()
    services.processing_authorise(participant=other.participant, actor=manager, basis="public_function",
                                  detail="Derivación obligatoria del tribunal (Ley 18.216)")
    assert services.case_transition(case=other, to_status=CaseStatus.DIAGNOSIS, actor=psychologist,
                                    date=today()).status == CaseStatus.DIAGNOSIS


def test_the_transition_form_shows_the_refusal_and_links_to_the_consent_form(client_for, psychologist):
    case = CaseFactory()
    response = client_for(psychologist).post(reverse("participants:case_transition", args=[case.pk, "admit"]),
                                             {"date": today().isoformat(), "reason": "Entrevista realizada",
                                              "version": case.version})
    html = response.content.decode()
    assert response.status_code == 200
    assert "debe tener un consentimiento de tratamiento de datos" in html
    assert reverse("participants:consent_create", args=[case.participant_id]) in html
    assert "Entrevista realizada" in html  # what was typed is kept


def test_withdrawn_consent_shows_a_banner_hides_edits_and_refuses_the_edit_pages(client_for, psychologist, receptionist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    consent = ConsentFactory(participant=case.participant)
    services.consent_withdraw(consent=consent, actor=psychologist, date=today(), reason="Lo pidió por escrito")
    person = case.participant
    for user in (psychologist, receptionist):
        html = client_for(user).get(reverse("participants:participant_detail", args=[person.pk])).content.decode()
        assert "Tratamiento de datos suspendido" in html
        assert "retiró su consentimiento de tratamiento de datos el" in html
        assert reverse("participants:participant_update", args=[person.pk]) not in html
    client = client_for(psychologist)
    detail = client.get(reverse("participants:participant_detail", args=[person.pk])).content.decode()
    assert reverse("participants:case_transition", args=[case.pk, "exit"]) in detail  # the wind-down stays
    refused = client.get(reverse("participants:participant_update", args=[person.pk]))
    assert refused.status_code == 403 and "retiró su consentimiento" in refused.content.decode()
    assert client.get(reverse("participants:familymember_create", args=[person.pk])).status_code == 403
    assert client.get(reverse("participants:consent_create", args=[person.pk])).status_code == 200
    response = client.post(reverse("participants:participant_update", args=[person.pk]), {
        "rut": person.rut, "given_names": "Nuevo nombre", "paternal_surname": person.paternal_surname,
        "nationality": "Chilena", "version": person.version})
    assert "retiró su consentimiento" in response.content.decode()
    person.refresh_from_db()
    assert person.given_names != "Nuevo nombre"


def test_block_page_carries_the_rights_request_into_the_reason_and_blocks(client_for, manager, psychologist):
    person = CaseFactory(status=CaseStatus.INTERVENTION).participant
    client = client_for(manager)
    url = reverse("participants:participant_block", args=[person.pk]) + "?solicitud=42"
    page = client.get(url).content.decode()
    assert "Solicitud de bloqueo N.º 42." in page and "solicitud de derechos N.º 42" in page
    response = client.post(url, {"on": (today() + datetime.timedelta(days=1)).isoformat(), "reason": "x"})
    assert "no puede estar en el futuro" in response.content.decode()
    response = client.post(url, {"on": today().isoformat(), "reason": "Solicitud de bloqueo N.º 42. Reclamo."})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.blocked_on == today() and person.blocked_by == manager
    assert person.blocked_reason == "Solicitud de bloqueo N.º 42. Reclamo."
    assert selectors.processing_block(person).is_block
    assert client_for(psychologist).get(reverse("participants:participant_detail", args=[person.pk])).status_code == 404
    # Unblock: a reason, history of both steps.
    client = client_for(manager)
    response = client.post(reverse("participants:participant_unblock", args=[person.pk]), {"reason": ""})
    assert response.status_code == 200 and "obligatorio" in response.content.decode()
    client.post(reverse("participants:participant_unblock", args=[person.pk]), {"reason": "Reclamo resuelto"})
    person.refresh_from_db()
    assert person.blocked_on is None
    reasons = list(person.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Bloqueo del tratamiento: Solicitud de bloqueo N.º 42. Reclamo.",
                            "Bloqueo levantado: Reclamo resuelto"]
    assert client_for(psychologist).get(reverse("participants:participant_detail", args=[person.pk])).status_code == 200


def test_only_the_manager_blocks_and_a_block_is_not_set_twice(manager, psychologist):
    person = ParticipantFactory()
    with pytest.raises(services.DomainError, match="Solo la gestora"):
        services.participant_block(participant=person, actor=psychologist, reason="x")
    services.participant_block(participant=person, actor=manager, reason="Solicitud")
    with pytest.raises(services.DomainError, match="ya están bloqueados"):
        services.participant_block(participant=person, actor=manager, reason="Otra")
    with pytest.raises(services.DomainError, match="levante el bloqueo"):
        services.processing_authorise(participant=person, actor=manager, basis="legal_obligation", detail="x")
    with pytest.raises(ProcessingRefused):
        services.consent_record(consent=Consent(participant=person, kind=Consent.Kind.DATA_PROTECTION, version="1",
                                                signed_on=today()), actor=manager)


def test_authorisation_is_shown_on_the_case_file_and_revocable_from_its_page(client_for, manager, psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    consent = ConsentFactory(participant=case.participant)
    services.consent_withdraw(consent=consent, actor=manager, date=today(), reason="Lo pidió")
    client = client_for(manager)
    url = reverse("participants:processing_authorise", args=[case.participant_id])
    response = client.post(url, {"basis": "legal_obligation", "detail": ""})
    assert "Este campo es obligatorio" in response.content.decode()
    client.post(url, {"basis": "legal_obligation", "detail": "Informe mensual al tribunal"})
    html = client_for(psychologist).get(case.participant.get_absolute_url()).content.decode()
    assert "Tratamiento autorizado por la gestora sin consentimiento" in html
    assert "Cumplimiento de una obligación legal (art. 13)" in html and "Informe mensual al tribunal" in html
    assert "Tratamiento de datos suspendido" not in html
    client_for(manager).post(reverse("participants:processing_revoke", args=[case.participant_id]),
                             {"reason": "Ya no aplica"})
    html = client_for(psychologist).get(case.participant.get_absolute_url()).content.decode()
    assert "Tratamiento de datos suspendido" in html


def test_program_settings_form_offers_the_consent_rule(client_for, manager):
    html = client_for(manager).get(reverse("program_settings")).content.decode()
    assert 'name="require_consent_for_admission"' in html


def test_intervention_start_without_consent_says_so_before_and_after_the_try(client_for, psychologist):
    """Issue 9, point 4: the start of intervention asks for the consent as the admission does."""
    case = CaseFactory(status=CaseStatus.DIAGNOSIS)
    url = reverse("participants:case_transition", args=[case.pk, "start_intervention"])
    client = client_for(psychologist)
    html = client.get(url).content.decode()
    assert "no se puede iniciar la intervención" in html
    response = client.post(url, {"date": today().isoformat(), "reason": "", "version": case.version})
    assert "Para iniciar la intervención la persona debe tener un consentimiento" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DIAGNOSIS


def test_the_consents_tab_says_the_law_requires_a_consent_when_none_is_in_force(client_for, psychologist):
    """Issue 9, point 4: also when other documents (the social contract) are on file."""
    case = CaseFactory()
    ConsentFactory(participant=case.participant, kind=Consent.Kind.SOCIAL_CONTRACT)
    url = reverse("participants:participant_detail", args=[case.participant_id])
    html = client_for(psychologist).get(url).content.decode()
    assert "La Ley 21.719, vigente desde el 1 de diciembre de 2026, exige el consentimiento" in html
    assert "no puede ingresar a diagnóstico ni iniciar la intervención" in html
    ConsentFactory(participant=case.participant)
    html = client_for(psychologist).get(url).content.decode()
    assert "exige el consentimiento" not in html


def test_a_person_registered_late_in_the_evening_can_be_blocked_that_same_day(manager):
    """At 22:00 in Santiago it is already tomorrow in UTC: the registration day is the program's."""
    from participants.models import Participant

    person = ParticipantFactory()
    day = timezone.localdate() - datetime.timedelta(days=3)
    evening = timezone.make_aware(datetime.datetime.combine(day, datetime.time(22, 30)))
    assert evening.astimezone(datetime.timezone.utc).date() > day
    Participant.objects.filter(pk=person.pk).update(created_at=evening)
    services.participant_block(participant=person, actor=manager, reason="Solicitud de bloqueo", on=day)
    person.refresh_from_db()
    assert person.blocked_on == day
    with pytest.raises(services.DomainError, match="anterior al registro"):
        services.participant_block(participant=ParticipantFactory(), actor=manager, reason="x",
                                   on=timezone.localdate() - datetime.timedelta(days=1))
