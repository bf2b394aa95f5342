"""Workshops and trade training in the access export (conecta/personal_data.py), and the
training providers (OTEC) that received the person's data through an enrolment."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from conecta import permissions as p
from conecta.personal_data import Recipient, field_values, register_recipients, register_section
from workshops.models import CourseEnrolment, WorkshopAttendance, WorkshopEnrolment

Present = WorkshopAttendance.Status.PRESENT


@register_section("workshops", _lazy("Talleres"), order=80, log_sections=[p.SECTION_WORKSHOPS])
def workshops(person, *, for_person):
    enrolments = (WorkshopEnrolment.objects.filter(case__participant=person)
                  .select_related("case", "workshop__workshop_type")
                  .annotate(present=Count("attendances", filter=Q(attendances__status=Present)),
                            recorded=Count("attendances"))
                  .order_by("workshop__start_date", "id"))
    rows = []
    for enrolment in enrolments:
        rows.append({
            _("Ingreso"): enrolment.case.number,
            _("Taller"): enrolment.workshop.workshop_type.name,
            _("Lugar"): enrolment.workshop.place,
            _("Inicio"): enrolment.workshop.start_date,
            **field_values(enrolment, ["status", "enrolled_on", "withdrawn_on", "withdrawal_reason",
                                       "certificate_issued_on", "certificate_code"]),
            _("Asistencia"): _("%(present)s de %(recorded)s sesiones registradas") % {
                "present": enrolment.present, "recorded": enrolment.recorded},
        })
    return rows


def _course_enrolments(person):
    return (CourseEnrolment.objects.filter(case__participant=person).select_related("case", "course__provider")
            .order_by("applied_on", "id"))


@register_section("courses", _lazy("Capacitación en oficios"), order=85, log_sections=[p.SECTION_WORKSHOPS])
def courses(person, *, for_person):
    rows = []
    for enrolment in _course_enrolments(person):
        rows.append({
            _("Ingreso"): enrolment.case.number,
            _("Curso"): enrolment.course.name,
            _("Oficio"): enrolment.course.trade,
            _("OTEC que recibió sus datos"): enrolment.course.provider.name,
            **field_values(enrolment, ["status", "applied_on", "status_changed_on", "certified_on", "drop_reason"]),
            _("Certificado en archivo"): bool(enrolment.certificate),
        })
    return rows


@register_recipients("workshops.courses")
def course_recipients(person):
    recipients = []
    for enrolment in _course_enrolments(person):
        provider = enrolment.course.provider
        recipients.append(Recipient(
            name=provider.name, institution_id=provider.pk, since=enrolment.applied_on,
            reason=_("Postulación al curso «%(course)s» (%(date)s)") % {
                "course": enrolment.course.name, "date": enrolment.applied_on.strftime("%d-%m-%Y")},
            contact=" · ".join(v for v in (provider.contact_name, provider.phone, provider.email) if v)))
    return recipients
