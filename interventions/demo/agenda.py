"""Demo agenda: three weeks of past appointments (attended / no-show), today's desk and two weeks ahead."""

import datetime

from django.utils import timezone

from conecta import permissions
from conecta.services import save_with_history
from interventions.models import Appointment, Area, Modality
from interventions.services import agenda as services
from participants.models import Case, CaseStatus, PhoneCall, PhoneFollowUp
from participants.services import phone_call_log

PURPOSES = {
    Area.PSYCHOLOGICAL: ["Evaluación de riesgo de reincidencia", "Sesión individual", "Entrevista motivacional",
                         "Revisión del plan de intervención"],
    Area.SOCIAL: ["Entrevista de ingreso", "Diagnóstico socio-familiar", "Coordinación con la red local",
                  "Revisión de documentos para postulación a beneficios"],
    Area.OCCUPATIONAL: ["Perfil ocupacional", "Preparación de currículum", "Orientación para postulación laboral",
                        "Seguimiento de capacitación"],
}
ROLE_AREAS = [
    (permissions.PSYCHOLOGIST, Area.PSYCHOLOGICAL),
    (permissions.SOCIAL_WORKER, Area.SOCIAL),
    (permissions.OCCUPATIONAL_THERAPIST, Area.OCCUPATIONAL),
]
HOURS = [9, 10, 11, 12, 15, 16]
CALL_NOTES = ["Se le recuerda la próxima cita.", "Dice que tuvo un problema de transporte.",
              "Contesta un familiar, dejará el recado.", ""]


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _book(*, case, professional, area, starts_at, actor, rng):
    purpose = rng.choice(PURPOSES[area])
    kind = Appointment.Kind.INTAKE if purpose == "Entrevista de ingreso" else Appointment.Kind.CARE
    if starts_at > timezone.now():
        return services.appointment_create(case=case, professional=professional, area=area, starts_at=starts_at,
                                           duration_minutes=45, modality=Modality.CENTRE, purpose=purpose,
                                           kind=kind, actor=actor)
    # The services refuse to book in the past; the demo's history starts with the booking all the same.
    appointment = Appointment(case=case, professional=professional, area=area, starts_at=starts_at,
                              duration_minutes=45, modality=Modality.CENTRE, kind=kind, purpose=purpose,
                              created_by=actor)
    return save_with_history(appointment, actor=actor, reason="Cita agendada")


def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
    if Appointment.objects.exists():
        return
    desk = users[permissions.RECEPTIONIST]
    cases = list(Case.objects.filter(status__in=[CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION])
                 .select_related("participant").order_by("pk"))
    followup_cases = list(Case.objects.filter(status=CaseStatus.FOLLOWUP).order_by("pk"))
    if not cases:
        return
    today = timezone.localdate()
    created = 0
    busy = set()  # (case, slot): nobody is booked with two professionals at once
    for role, area in ROLE_AREAS:
        professional = users[role]
        for offset in range(-21, 15):
            day = today + datetime.timedelta(days=offset)
            if offset != 0 and day.weekday() >= 5:
                continue
            hours = HOURS if offset == 0 else rng.sample(HOURS, rng.randint(1, 3))
            for hour in sorted(hours):
                case = rng.choice([c for c in cases if (c.pk, day, hour) not in busy])
                busy.add((case.pk, day, hour))
                appointment = _book(case=case, professional=professional, area=area, starts_at=_at(day, hour),
                                    actor=rng.choice([desk, professional]), rng=rng)
                created += 1
                if offset < 0:
                    if rng.random() < 0.75:
                        services.appointment_mark_attended(appointment=appointment, actor=professional)
                    else:
                        services.appointment_mark_no_show(appointment=appointment, actor=desk)
                elif offset == 0 and hour in (9, 10, 11):
                    # The morning at the desk: two already with the professional, one waiting now.
                    services.appointment_check_in(appointment=appointment, actor=desk,
                                                  at=appointment.starts_at - datetime.timedelta(minutes=5))
                    if hour != 11:
                        services.appointment_mark_attended(appointment=appointment, actor=professional)
    # Follow-up psychologist: six-month interviews of exited participants, next two weeks.
    for i, case in enumerate(followup_cases[:4]):
        day = today + datetime.timedelta(days=2 + 3 * i)
        if day.weekday() >= 5:
            day += datetime.timedelta(days=7 - day.weekday())
        services.appointment_create(case=case, professional=users[permissions.FOLLOWUP_PSYCHOLOGIST],
                                    area=Area.PSYCHOLOGICAL, starts_at=_at(day, 10), purpose="Entrevista de seguimiento",
                                    kind=Appointment.Kind.FOLLOWUP, actor=desk)
        created += 1
    _calls(desk=desk, rng=rng)
    stdout.write(f"  agenda: {created} citas, {PhoneFollowUp.objects.filter(status='open').count()} llamadas pendientes")


def _calls(*, desk, rng):
    """The desk already called some of the no-shows; the oldest are resolved, recent ones still open."""
    now = timezone.now()
    for followup in PhoneFollowUp.objects.filter(reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW).order_by("missed_on"):
        age = (timezone.localdate() - followup.missed_on).days
        first_call = timezone.make_aware(datetime.datetime.combine(
            followup.missed_on + datetime.timedelta(days=1), datetime.time(11, rng.randint(0, 59))))
        followup.refresh_from_db()
        if first_call > now or followup.status != PhoneFollowUp.Status.OPEN:
            continue  # too recent, or closed by a call about an earlier absence of the same person
        if age > 10:
            phone_call_log(followup=followup, actor=desk, outcome=PhoneCall.Outcome.NO_ANSWER, called_at=first_call)
            phone_call_log(followup=followup, actor=desk, outcome=PhoneCall.Outcome.REACHED,
                           notes="Se le recordó su próxima cita.", called_at=first_call + datetime.timedelta(days=1))
        elif rng.random() < 0.6:
            phone_call_log(followup=followup, actor=desk,
                           outcome=rng.choice([PhoneCall.Outcome.NO_ANSWER, PhoneCall.Outcome.MESSAGE_LEFT]),
                           notes=rng.choice(CALL_NOTES), called_at=first_call)
