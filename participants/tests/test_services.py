import datetime

import pytest
from django.utils import timezone

from conecta.models import Commune
from participants import services
from participants.models import Case, CaseStatus, CaseStatusChange
from participants.services import DomainError
from participants.tests.factories import CaseFactory, ConsentFactory, ParticipantFactory


def today():
    # Evaluated per call: a module constant goes stale when a run crosses midnight.
    return timezone.localdate()

pytestmark = pytest.mark.django_db


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def move(case, target, actor, *, on=None, reason="", exit_type=""):
    return services.case_transition(case=case, to_status=target, actor=actor, date=on or today(),
                                    reason=reason, exit_type=exit_type)


def test_full_lifecycle_records_each_step(psychologist):
    person = ConsentFactory().participant
    case = services.case_open(participant=person, actor=psychologist, applied_on=days_ago(300),
                              category=Case.Category.JUSTICE, sentence_type=Case.SentenceType.PAROLE)
    case = move(case, CaseStatus.DIAGNOSIS, psychologist, on=days_ago(290))
    case = move(case, CaseStatus.INTERVENTION, psychologist, on=days_ago(260))
    case = move(case, CaseStatus.EXITED, psychologist, on=days_ago(100), exit_type=Case.ExitType.COMPLETED)
    case = move(case, CaseStatus.FOLLOWUP, psychologist, on=days_ago(99))
    case = move(case, CaseStatus.CLOSED, psychologist, on=days_ago(1), reason="Seguimiento completo")

    assert case.status == CaseStatus.CLOSED
    assert case.admitted_on == days_ago(290)
    assert case.intervention_started_on == days_ago(260)
    assert (case.exited_on, case.exit_type) == (days_ago(100), "completed")
    assert case.closed_on == days_ago(1)
    steps = list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status"))
    assert steps == [
        ("", "applicant"), ("applicant", "diagnosis"), ("diagnosis", "intervention"), ("intervention", "exited"),
        ("exited", "followup"), ("followup", "closed"),
    ]
    history = case.history.order_by("history_date")
    assert history.last().history_change_reason == "En seguimiento → Cerrado"
    assert {h.history_user_id for h in history} == {psychologist.pk}


@pytest.mark.parametrize("start,target", [
    (CaseStatus.APPLICANT, CaseStatus.INTERVENTION),
    (CaseStatus.APPLICANT, CaseStatus.EXITED),
    (CaseStatus.APPLICANT, CaseStatus.CLOSED),
    (CaseStatus.DIAGNOSIS, CaseStatus.FOLLOWUP),
    (CaseStatus.INTERVENTION, CaseStatus.DIAGNOSIS),
    (CaseStatus.INTERVENTION, CaseStatus.CLOSED),
    (CaseStatus.EXITED, CaseStatus.INTERVENTION),
    (CaseStatus.CLOSED, CaseStatus.DIAGNOSIS),
    (CaseStatus.NOT_ADMITTED, CaseStatus.DIAGNOSIS),
])
def test_illegal_transitions_are_refused_with_a_message(psychologist, start, target):
    case = CaseFactory(status=start)
    with pytest.raises(DomainError) as error:
        move(case, target, psychologist, exit_type="completed", reason="x")
    assert "no puede pasar" in str(error.value)
    case.refresh_from_db()
    assert case.status == start
    assert not CaseStatusChange.objects.filter(case=case).exists()


def test_not_admitted_needs_a_reason(psychologist):
    case = CaseFactory()
    with pytest.raises(DomainError, match="motivo"):
        move(case, CaseStatus.NOT_ADMITTED, psychologist)
    case = move(case, CaseStatus.NOT_ADMITTED, psychologist, reason="No reside en la comuna")
    assert case.not_admitted_reason == "No reside en la comuna"


def test_exit_needs_an_exit_type(psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    with pytest.raises(DomainError, match="tipo de egreso"):
        move(case, CaseStatus.EXITED, psychologist)
    assert move(case, CaseStatus.EXITED, psychologist, exit_type="dropout").exit_type == "dropout"


def test_dates_cannot_go_backwards_or_into_the_future(psychologist):
    case = CaseFactory(applied_on=days_ago(30))
    ConsentFactory(participant=case.participant)
    move(case, CaseStatus.DIAGNOSIS, psychologist, on=days_ago(10))
    with pytest.raises(DomainError, match="anterior"):
        move(case, CaseStatus.INTERVENTION, psychologist, on=days_ago(20))
    with pytest.raises(DomainError, match="futuro"):
        move(case, CaseStatus.INTERVENTION, psychologist, on=today() + datetime.timedelta(days=1))


def test_admission_refused_when_not_eligible_until_manager_grants_exception(psychologist, manager):
    outsider = ParticipantFactory(commune=Commune.objects.get(code="13101"))
    case = CaseFactory(participant=outsider)
    with pytest.raises(DomainError, match="Reside en Santiago, no en Las Condes"):
        move(case, CaseStatus.DIAGNOSIS, psychologist)
    with pytest.raises(DomainError, match="Solo la gestora"):
        services.case_grant_exception(case=case, actor=psychologist, reason="Derivado por tribunal")
    with pytest.raises(DomainError, match="fundamento"):
        services.case_grant_exception(case=case, actor=manager, reason="  ")
    services.case_grant_exception(case=case, actor=manager, reason="Trabaja en la comuna")
    ConsentFactory(participant=outsider)
    case = move(case, CaseStatus.DIAGNOSIS, psychologist)
    assert case.status == CaseStatus.DIAGNOSIS
    assert case.exception_granted_by == manager


def test_eligibility_explains_each_rule():
    minor = ParticipantFactory(birth_date=today() - datetime.timedelta(days=17 * 365))
    case = CaseFactory(participant=minor, category="", sentence_type="")
    result = services.case_eligibility(case)
    assert not result.eligible
    messages = [c.message for c in result.checks if not c.ok]
    assert any("desde los 18 años" in m for m in messages)
    assert any("conflicto con la justicia o en condición de vulnerabilidad" in m for m in messages)

    vulnerable = CaseFactory(category=Case.Category.VULNERABILITY, sentence_type="", vulnerability_factors=["unemployment"])
    result = services.case_eligibility(vulnerable)
    assert result.eligible
    assert any("Desocupación" in c.message for c in result.checks)

    no_factors = CaseFactory(category=Case.Category.VULNERABILITY, sentence_type="", vulnerability_factors=[])
    assert not services.case_eligibility(no_factors).eligible


def test_reentry_opens_a_new_numbered_case_only_when_none_is_open(psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    person = case.participant
    with pytest.raises(DomainError, match="ciérrelo"):
        services.case_open(participant=person, actor=psychologist, applied_on=today())
    move(case, CaseStatus.EXITED, psychologist, exit_type="dropout")
    with pytest.raises(DomainError, match="ciérrelo"):
        services.case_open(participant=person, actor=psychologist, applied_on=today(), reason="Vuelve")
    move(case, CaseStatus.CLOSED, psychologist)
    second = services.case_open(participant=person, actor=psychologist, applied_on=today(), reason="Vuelve")
    assert second.number == 2
    assert second.status == CaseStatus.APPLICANT
    assert second.history.first().history_change_reason.startswith("Reingreso")
    assert person.cases.count() == 2


def test_participant_create_refuses_duplicate_rut(receptionist):
    existing = ParticipantFactory()
    with pytest.raises(DomainError, match="RUT"):
        services.participant_create(actor=receptionist, data={
            "rut": existing.rut, "given_names": "Otra", "paternal_surname": "Persona"})


def test_consent_withdrawal(manager):
    from participants.models import Consent

    person = ParticipantFactory()
    consent = services.consent_record(consent=Consent(participant=person, kind="data_protection", version="2026.1",
                                                      signed_on=days_ago(10)), actor=manager)
    with pytest.raises(DomainError, match="anterior a la firma"):
        services.consent_withdraw(consent=consent, actor=manager, date=days_ago(20), reason="x")
    services.consent_withdraw(consent=consent, actor=manager, date=today(), reason="Ya no desea participar")
    assert not consent.is_active
    with pytest.raises(DomainError, match="ya fue retirado"):
        services.consent_withdraw(consent=consent, actor=manager, date=today(), reason="x")
    assert consent.history.first().history_change_reason == "Retiro de consentimiento"


def test_reentry_cannot_predate_the_previous_episode(psychologist):
    case = services.case_open(participant=ParticipantFactory(), actor=psychologist, applied_on=days_ago(100))
    move(case, CaseStatus.NOT_ADMITTED, psychologist, on=days_ago(90), reason="No reside en la comuna")
    with pytest.raises(DomainError, match="no puede ser anterior"):
        services.case_open(participant=case.participant, actor=psychologist, applied_on=days_ago(95))
    assert services.case_open(participant=case.participant, actor=psychologist, applied_on=days_ago(90),
                              reason="Ahora reside en la comuna").number == 2


def test_exit_from_diagnosis_cannot_count_as_completed(psychologist):
    case = CaseFactory(status=CaseStatus.DIAGNOSIS)
    with pytest.raises(DomainError, match="no inició intervención"):
        move(case, CaseStatus.EXITED, psychologist, exit_type=Case.ExitType.COMPLETED)
    assert move(case, CaseStatus.EXITED, psychologist, exit_type=Case.ExitType.DROPOUT).status == CaseStatus.EXITED
