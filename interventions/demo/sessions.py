"""Demo sessions: the past appointments of the agenda get their session record,
and older sessions spread over the past months in the three areas, with
some no-shows and cancellations."""

import datetime

from django.utils import timezone

from conecta import permissions
from interventions.models import Appointment, Area, Modality, PlanObjective, Session
from interventions.services import sessions as services
from participants.models import Case, CaseStatus

NOTES = {
    Area.PSYCHOLOGICAL: [
        ("Refiere semana difícil por discusiones con su pareja. Se trabaja identificación de señales corporales "
         "de enojo y técnica de tiempo fuera. Reconoce un episodio de consumo de alcohol el fin de semana, "
         "asociado a reunión con pares; se analiza la cadena conductual.",
         "Registrar situaciones de riesgo durante la semana; próxima sesión revisar el registro."),
        ("Sesión centrada en motivación al cambio. Se ubica en etapa de preparación; expresa interés en mantener "
         "el trabajo y alejarse del grupo de pares del sector. Ánimo eutímico, discurso coherente.",
         "Construir línea de vida con metas a seis meses."),
        ("Relata recuerdos de su período de privación de libertad y dificultad para dormir. Se entrega "
         "psicoeducación sobre higiene del sueño y se evalúa derivación a CESFAM para control de salud mental.",
         "Coordinar hora en CESFAM; evaluar síntomas en dos semanas."),
    ],
    Area.SOCIAL: [
        ("Visita domiciliaria: vive con su madre y dos hijos en vivienda de tres piezas. Se revisa la cartola del "
         "Registro Social de Hogares, que no refleja la composición actual del hogar.",
         "Acompañar actualización del RSH en la municipalidad."),
        ("Se orienta sobre postulación al subsidio de arriendo y documentos requeridos.",
         "Traer certificado de residencia y liquidaciones de sueldo."),
    ],
    Area.OCCUPATIONAL: [
        ("Se completa perfil ocupacional: experiencia informal en construcción y feria libre. Interés en curso de "
         "gastronomía. Se trabaja el currículum.",
         "Inscribir en curso OTEC; preparar entrevista simulada."),
        ("Revisión de ofertas de la OMIL. Se prepara entrevista para puesto de ayudante de cocina con contrato.",
         "Asistir a entrevista el jueves; informar resultado."),
    ],
}
ROLE_OF_AREA = {Area.PSYCHOLOGICAL: permissions.PSYCHOLOGIST, Area.SOCIAL: permissions.SOCIAL_WORKER,
                Area.OCCUPATIONAL: permissions.OCCUPATIONAL_THERAPIST}


def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
    if Session.objects.exists():
        return
    now = timezone.now()
    created = 0
    # Past appointments of the agenda: the professional records the session from the appointment.
    past = (Appointment.objects.filter(starts_at__lt=now, status__in=[Appointment.Status.ATTENDED,
                                                                       Appointment.Status.NO_SHOW])
            .select_related("case", "professional").order_by("starts_at"))
    for appointment in past:
        if appointment.case.status not in services.SESSION_CASE_STATUSES:
            continue
        attendance = (Session.Attendance.ATTENDED if appointment.status == Appointment.Status.ATTENDED
                      else Session.Attendance.NO_SHOW)
        _record(case=appointment.case, user=appointment.professional, area=appointment.area,
                starts_at=appointment.starts_at, attendance=attendance, rng=rng, appointment=appointment,
                modality=appointment.modality, duration=appointment.duration_minutes)
        created += 1
    # Older sessions, one to three a month per area, since the intervention began.
    cases = Case.objects.filter(status__in=[CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP])
    for case in cases.order_by("pk"):
        start = case.intervention_started_on or case.admitted_on or case.applied_on
        end = min(case.exited_on or timezone.localdate(), timezone.localdate() - datetime.timedelta(days=22))
        for area in Area.values:
            day = start + datetime.timedelta(days=rng.randint(3, 12))
            while day <= end:
                if day.weekday() < 5:
                    roll = rng.random()
                    attendance = ("attended" if roll < 0.82 else "no_show" if roll < 0.93 else "cancelled")
                    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 11, 15, 16]))))
                    modality = Modality.HOME_VISIT if area == Area.SOCIAL and rng.random() < 0.3 else Modality.CENTRE
                    _record(case=case, user=users[ROLE_OF_AREA[area]], area=area, starts_at=starts_at,
                            attendance=attendance, rng=rng, modality=modality, duration=rng.choice([45, 50, 60]))
                    created += 1
                day += datetime.timedelta(days=rng.randint(12, 30))
    stdout.write(f"  sesiones: {created}")


def _record(*, case, user, area, starts_at, attendance, rng, modality, duration, appointment=None):
    attended = attendance == Session.Attendance.ATTENDED
    notes, next_steps = rng.choice(NOTES[area]) if attended else ("", "")
    if attendance == Session.Attendance.NO_SHOW:
        notes = "No se presenta; recepción realiza seguimiento telefónico."
    objectives = (list(PlanObjective.objects.filter(section__plan__case=case, section__area=area)[:1])
                  if attended else [])
    family = list(case.participant.family_members.filter(takes_part_in_sessions=True)[:1]) if area == Area.SOCIAL else []
    services.session_create(
        case=case, actor=user, appointment=appointment, family_members=family if attended else [],
        objectives=objectives,
        data={"starts_at": starts_at, "duration_minutes": duration, "professional": user, "area": area,
              "modality": modality, "attendance": attendance, "with_participant": True, "notes": notes,
              "next_steps": next_steps},
    )
