"""Retention (Ley 21.719): past its period a person is anonymised in every table, history included,
and the statistics stay; a person who has cases is never deleted."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.models import AccessLog
from conecta.services import access_log_record, save_with_history
from interventions.models import Answer, PlanAction, PlanObjective, PlanReview, ReferralEvent
from interventions.tests.factories import (
    AppointmentFactory, AssessmentFactory, PlanFactory, ReferralFactory, SessionFactory,
)
from participants import retention, services
from participants.models import (
    Case, CaseStatus, CaseStatusChange, FamilyMember, Participant, PhoneCall, PhoneFollowUp, ReceivedDocument,
)
from participants.selectors import status_counts
from participants.tests.factories import CaseFactory, ConsentFactory, ParticipantFactory, UserFactory
from workshops.models import CourseEnrolment, EnrolmentEvent, WorkshopEnrolment
from workshops.tests.factories import make_workshop
from workshops.tests.factories_courses import TrainingCourseFactory

pytestmark = pytest.mark.django_db

MARKER = "zq7marcador"  # lower case: it goes into e-mail addresses too


def years_ago(n, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - n) - datetime.timedelta(days=days)


def _text(suffix=""):
    return f"{MARKER} {suffix}".strip()


def build_person_with_everything(*, closed_on, actor, marker=MARKER):
    """A closed case whose every free-text field, file name and history row carries `marker`."""
    person = ParticipantFactory(
        given_names=f"{marker}nombre", paternal_surname=f"{marker}paterno", maternal_surname=f"{marker}materno",
        social_name=f"{marker}social", phone=f"+56 9 {marker}", email=f"{marker}@ejemplo.cl",
        address=f"Calle {marker} 123", sector=f"Villa {marker}", household_notes=f"Vive con {marker}",
    )
    person.household_notes = f"Vive con {marker} y su madre"
    save_with_history(person, actor=actor, reason=f"Corrección pedida por {marker}")
    applied = closed_on - datetime.timedelta(days=400)
    case = CaseFactory(participant=person, status=CaseStatus.CLOSED, applied_on=applied,
                       admitted_on=applied + datetime.timedelta(days=7), closed_on=closed_on,
                       offences=f"Robo ({marker})", referral_notes=f"Oficio {marker}",
                       exception_reason=f"Excepción {marker}", not_admitted_reason="")
    case.offences = f"Robo con intimidación ({marker})"
    save_with_history(case, actor=actor, reason="Corrección")
    CaseStatusChange.objects.create(case=case, from_status=CaseStatus.FOLLOWUP, to_status=CaseStatus.CLOSED,
                                    date=closed_on, actor=actor, reason=f"Cierre {marker}")
    FamilyMember.objects.create(participant=person, name=f"{marker} madre", relationship="mother",
                                phone=marker, email=f"{marker}@familia.cl", notes=f"Nota {marker}")
    consent = ConsentFactory(participant=person, signed_on=applied, withdrawal_reason=f"Retiro {marker}")
    consent.file.save(f"{marker}-consentimiento.pdf", ContentFile(b"%PDF-1.4 " + marker.encode()))
    document = ReceivedDocument(participant=person, document_type="id_card", received_on=applied,
                                received_by=actor, notes=f"Cédula {marker}")
    document.file.save(f"{marker}-cedula.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    followup = PhoneFollowUp.objects.create(case=case, reason=PhoneFollowUp.Reason.OTHER, description=f"Llamar {marker}",
                                            missed_on=applied, opened_by=actor, status=PhoneFollowUp.Status.DONE,
                                            resolution=f"Contactado {marker}")
    PhoneCall.objects.create(followup=followup, called_at=timezone.now() - datetime.timedelta(days=900),
                             caller=actor, outcome="reached", notes=f"Dijo {marker}")
    AppointmentFactory(case=case, professional=actor, purpose=f"Cita {marker}", cancel_reason=f"Canceló {marker}",
                       starts_at=timezone.now() - datetime.timedelta(days=800), status="cancelled")
    SessionFactory(case=case, professional=actor, notes=f"Sesión {marker}", next_steps=f"Pasos {marker}")
    assessment = AssessmentFactory(case=case, professional=actor, strengths=f"Fortaleza {marker}",
                                   conclusions=f"Conclusión {marker}", override_reason=f"Nivel {marker}")
    item = assessment.instrument.domains.first().items.first()
    Answer.objects.create(assessment=assessment, item=item, text=f"Respuesta {marker}")
    plan = PlanFactory(case=case, created_by=actor, agreement_notes=f"Acuerdo {marker}",
                       approval_notes=f"Aprobación {marker}")
    section = plan.sections.first()
    section.needs_summary = f"Necesidad {marker}"
    save_with_history(section, actor=actor, reason="Edición")
    objective = PlanObjective.objects.create(section=section, text=f"Objetivo {marker}")
    PlanAction.objects.create(objective=objective, description=f"Acción {marker}", responsible=actor,
                              due_on=closed_on)
    PlanReview.objects.create(section=section, reviewed_on=closed_on, author=actor, progress=f"Avance {marker}")
    referral = ReferralFactory(case=case, created_by=actor, detail=f"Detalle {marker}", outcome=f"Resultado {marker}")
    ReferralEvent.objects.create(referral=referral, status="sent", date=applied, actor=actor, note=f"Envío {marker}")
    WorkshopEnrolment.objects.create(workshop=make_workshop(actor=actor), case=case, enrolled_on=applied,
                                     status="withdrawn", withdrawal_reason=f"Retiro {marker}",
                                     certificate_code=marker[:10].upper(), created_by=actor)
    course_enrolment = CourseEnrolment(course=TrainingCourseFactory(), case=case, applied_on=applied,
                                       status_changed_on=applied, status="dropped", drop_reason=f"Dejó {marker}",
                                       created_by=actor)
    course_enrolment.certificate.save(f"{marker}-certificado.pdf", ContentFile(b"%PDF-1.4"), save=False)
    course_enrolment.save()
    EnrolmentEvent.objects.create(enrolment=course_enrolment, status="dropped", date=applied, actor=actor,
                                  note=f"Motivo {marker}")
    access_log_record(user=actor, subject=person, sections={p.SECTION_IDENTITY}, path="/participants/1/")
    return person, [consent.file.name, document.file.name, course_enrolment.certificate.name]


def tables_containing(needle):
    """{model label: fields} of every model (history tables included) whose text holds `needle`."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.FileField)):
                if model._default_manager.filter(**{f"{field.attname}__icontains": needle}).exists():
                    found.setdefault(model._meta.label, []).append(field.name)
    return found


def statistics():
    return {
        "status": status_counts(cases=Case.objects.all()),
        "cohorts": list(Case.objects.values_list("cohort_id", "status", "applied_on", "closed_on").order_by("pk")),
        # History tables grow by one row per anonymised record (the anonymisation itself is recorded).
        "rows": {model._meta.label: model.objects.count() for model in apps.get_models()
                 if model._meta.app_label in {"participants", "interventions", "workshops"}
                 and not model.__name__.startswith("Historical")},
    }


def test_apply_anonymises_every_table_and_history_and_keeps_the_statistics(manager, settings):
    old, files = build_person_with_everything(closed_on=years_ago(6), actor=manager)
    original_rut = old.rut
    original_rut_display = old.rut_display
    kept, _files = build_person_with_everything(closed_on=years_ago(1), actor=manager, marker="conservar9")
    blocked, _files = build_person_with_everything(closed_on=years_ago(7), actor=manager, marker="bloqueado9")
    services.participant_block(participant=blocked, actor=manager, reason="Reclamo pendiente")
    before = tables_containing(MARKER)
    # The marker really is everywhere the test then looks, live and history tables alike.
    for label in ["participants.Participant", "participants.HistoricalParticipant", "participants.HistoricalCase",
                  "participants.CaseStatusChange", "participants.HistoricalConsent", "interventions.HistoricalSession",
                  "interventions.HistoricalAnswer", "interventions.HistoricalPlanObjective",
                  "interventions.ReferralEvent", "workshops.HistoricalCourseEnrolment", "workshops.EnrolmentEvent",
                  "conecta.AccessLog"]:
        assert label in before, label
    stats = statistics()

    out = io.StringIO()
    call_command("anonymise_expired", stdout=out)  # dry run: lists, changes nothing
    assert f"Personas con plazo vencido: 1 (ids: {old.pk})" in out.getvalue()
    assert f"Personas omitidas por estar bloqueadas: 1 (ids: {blocked.pk})" in out.getvalue()
    assert tables_containing(MARKER) == before

    call_command("anonymise_expired", "--apply", stdout=io.StringIO())
    assert tables_containing(MARKER) == {}
    for form in (original_rut, original_rut.replace("-", ""), original_rut_display):
        assert tables_containing(form) == {}, form
    assert tables_containing("conservar9") and tables_containing("bloqueado9")  # not past retention / blocked
    assert statistics() == stats
    for name in files:
        assert not old.consents.first().file.storage.exists(name)

    old.refresh_from_db()
    assert old.full_name == retention.ANONYMISED_NAME
    assert old.rut == retention.anonymised_rut(old) and old.anonymised_on == timezone.localdate()
    assert old.birth_date == datetime.date(1990, 1, 1)  # the year stays for age statistics
    assert old.history.latest().history_change_reason.startswith("Anonimización")
    kept.refresh_from_db()
    assert kept.anonymised_on is None

    # Run again: nothing left to do.
    out = io.StringIO()
    call_command("anonymise_expired", "--apply", stdout=out)
    assert "Personas con plazo vencido: 0" in out.getvalue()


@override_settings(CONECTA_RETENTION={"closed_case_years": 5, "not_admitted_years": 2, "no_case_years": 1,
                                      "access_log_years": 5, "phone_followup_years": 2})
def test_each_kind_of_record_has_its_own_period(manager):
    closed_long_ago = CaseFactory(status=CaseStatus.CLOSED, closed_on=years_ago(5, days=1))
    closed_recently = CaseFactory(status=CaseStatus.CLOSED, closed_on=years_ago(5) + datetime.timedelta(days=1))
    refused = CaseFactory(status=CaseStatus.NOT_ADMITTED)
    CaseStatusChange.objects.create(case=refused, to_status=CaseStatus.NOT_ADMITTED, date=years_ago(2, days=1),
                                    actor=manager)
    refused_recently = CaseFactory(status=CaseStatus.NOT_ADMITTED)
    CaseStatusChange.objects.create(case=refused_recently, to_status=CaseStatus.NOT_ADMITTED,
                                    date=years_ago(1), actor=manager)
    # A second, open case keeps the person whatever the first one says.
    reentered = CaseFactory(status=CaseStatus.CLOSED, closed_on=years_ago(9))
    CaseFactory(participant=reentered.participant, number=2, status=CaseStatus.INTERVENTION)
    never_applied = ParticipantFactory()
    Participant.objects.filter(pk=never_applied.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    just_registered = ParticipantFactory()
    ids, blocked = retention.expired_people()
    assert set(ids) == {closed_long_ago.participant_id, refused.participant_id, never_applied.pk}
    assert not blocked
    assert just_registered.pk not in ids and closed_recently.participant_id not in ids
    assert refused_recently.participant_id not in ids and reentered.participant_id not in ids

    old_call = PhoneFollowUp.objects.create(case=closed_recently, reason="other", description="Llamar a la hermana",
                                            missed_on=years_ago(2, days=1), opened_by=manager, status="done")
    open_call = PhoneFollowUp.objects.create(case=closed_recently, reason="other", description="Llamar",
                                             missed_on=years_ago(3), opened_by=manager)
    assert retention.expired_phone_followups() == [old_call.pk]
    assert open_call.pk not in retention.expired_phone_followups()
    log = AccessLog.objects.create(user=manager, subject_type=ContentType.objects.get_for_model(Participant),
                                   subject_id=closed_recently.participant_id,
                                   subject_label="Alguien (1.234.567-4)", sections="identity", path="/")
    AccessLog.objects.filter(pk=log.pk).update(at=timezone.now() - datetime.timedelta(days=6 * 366))
    report = retention.apply_retention()
    log.refresh_from_db()
    old_call.refresh_from_db()
    assert (log.subject_label, log.subject_id) == (retention.ANONYMISED_NAME, 0)
    assert old_call.description == retention.ANONYMISED_TEXT
    assert report.rows["conecta.AccessLog"] >= 1


def test_every_text_field_of_a_persons_records_is_anonymised_or_knowingly_kept():
    """A new free-text field on a person's record fails here until it is registered or kept on purpose."""
    registered = {spec.model._meta.label: set(spec.fields) | set(spec.values) | set(spec.files)
                  for spec in retention.registered_specs()}
    reference_models = {
        "participants.Cohort", "interventions.Instrument", "interventions.InstrumentDomain", "interventions.Item",
        "interventions.ItemOption", "interventions.Cutoff", "workshops.WorkshopType", "workshops.Workshop",
        "workshops.WorkshopSession", "workshops.TrainingCourse", "workshops.WorkshopAttendance",
    }
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in {"participants", "interventions", "workshops"} or label in reference_models:
            continue
        if label.split(".")[1].startswith("Historical"):
            continue  # rewritten with their model
        for field in model._meta.concrete_fields:
            text = retention.is_text_field(field) or isinstance(field, models.FileField)
            if text and field.name not in registered.get(label, set()) | retention.KEPT_TEXT_FIELDS.get(label, set()):
                missing.append(f"{label}.{field.name}")
    assert missing == []


def test_deleting_a_person_with_cases_is_refused_with_a_message(client, manager):
    case = CaseFactory()
    person = case.participant
    with pytest.raises(services.DomainError, match="tiene casos registrados"):
        services.participant_delete(participant=person, actor=manager, reason="Error de registro")
    with pytest.raises(ProtectedError, match="tiene casos registrados"):
        person.delete()
    mistaken = ParticipantFactory()
    services.participant_delete(participant=mistaken, actor=manager, reason="Registrada dos veces")
    assert not Participant.objects.filter(pk=mistaken.pk).exists()
    assert Participant.history.filter(id=mistaken.pk, history_type="-").get().history_change_reason == \
        "Registrada dos veces"

    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:participants_participant_delete", args=[person.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "tiene casos registrados y no se puede eliminar" in response.content.decode()
    assert Participant.objects.filter(pk=person.pk).exists()
    alone = ParticipantFactory()
    response = client.post(reverse("admin:participants_participant_delete", args=[alone.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Participant.objects.filter(pk=alone.pk).exists()
    assert site._registry[Participant].has_delete_permission(type("R", (), {"user": manager})()) is False
