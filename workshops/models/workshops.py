"""Group work (Plan de Intervención Grupal, seed 000 §2): workshop types, each run
of a type with its sessions, the cases enrolled and their attendance.

Completion rule: a person completes a workshop when they were *present* in at
least `completion_share` percent of its sessions (rounded up). A justified
absence is still an absence: it opens no phone follow-up, but it does not
count as attended, because the certificate states the hours actually taken."""

import math

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from interventions.models.base import Area
from participants.models import Case, Cohort

__all__ = ["WorkshopType", "Workshop", "WorkshopSession", "WorkshopEnrolment", "WorkshopAttendance",
           "required_present"]

DEFAULT_COMPLETION_SHARE = 75


def required_present(session_count, share):
    """Sessions a person must attend to complete: `share`% of them, rounded up, at least one."""
    return max(1, math.ceil(session_count * share / 100)) if session_count else 0


class WorkshopType(VersionedModel):
    """A kind of workshop the program runs (configured by the manager)."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    area = models.CharField(_("área"), max_length=20, choices=Area.choices)
    description = models.TextField(_("descripción"), blank=True)
    session_count = models.PositiveSmallIntegerField(
        _("número de sesiones"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Topic of each session, in order; as many as `session_count`.
    session_topics = models.JSONField(_("temas de las sesiones"), default=list, blank=True)
    hours_per_session = models.DecimalField(
        _("horas por sesión"), max_digits=4, decimal_places=1, default=2,
        validators=[MinValueValidator(0.5), MaxValueValidator(12)],
    )
    completion_share = models.PositiveSmallIntegerField(
        _("asistencia mínima para aprobar (%)"), default=DEFAULT_COMPLETION_SHARE,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Porcentaje de sesiones con asistencia presente. Las inasistencias justificadas no cuentan."),
    )
    active = models.BooleanField(_("vigente"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tipo de taller")
        verbose_name_plural = _("tipos de taller")

    def __str__(self):
        return self.name

    def topic_for(self, number):
        topics = self.session_topics or []
        return topics[number - 1] if 0 < number <= len(topics) else ""


class Workshop(VersionedModel):
    """One run of a workshop type: facilitators, place, sessions and enrolled cases."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planificado")
        RUNNING = "running", _("En curso")
        FINISHED = "finished", _("Finalizado")
        CANCELLED = "cancelled", _("Cancelado")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Lunes")
        TUESDAY = 1, _("Martes")
        WEDNESDAY = 2, _("Miércoles")
        THURSDAY = 3, _("Jueves")
        FRIDAY = 4, _("Viernes")
        SATURDAY = 5, _("Sábado")
        SUNDAY = 6, _("Domingo")

    OPEN_STATUSES = (Status.PLANNED, Status.RUNNING)

    workshop_type = models.ForeignKey(WorkshopType, on_delete=models.PROTECT, related_name="workshops",
                                      verbose_name=_("tipo de taller"))
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="facilitated_workshops",
                                          verbose_name=_("facilitadores/as"))
    place = models.CharField(_("lugar"), max_length=200)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="workshops",
                               verbose_name=_("generación"))
    capacity = models.PositiveSmallIntegerField(_("cupos"), validators=[MinValueValidator(1), MaxValueValidator(200)])
    start_date = models.DateField(_("fecha de inicio"))
    weekday = models.PositiveSmallIntegerField(_("día de la semana"), choices=Weekday.choices)
    start_time = models.TimeField(_("hora de inicio"))
    # Copied from the type when the run is created: changing the type later does
    # not change the rules of a run already under way.
    hours_per_session = models.DecimalField(_("horas por sesión"), max_digits=4, decimal_places=1)
    completion_share = models.PositiveSmallIntegerField(_("asistencia mínima para aprobar (%)"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("registrado por"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Who facilitates is part of the record too (m2m changes get their own history rows).
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("taller")
        verbose_name_plural = _("talleres")

    def __str__(self):
        return _("%(type)s (desde el %(date)s)") % {
            "type": self.workshop_type.name, "date": self.start_date.strftime("%d-%m-%Y"),
        }

    def get_absolute_url(self):
        return reverse("workshops:workshop_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class WorkshopSession(VersionedModel):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions",
                                 verbose_name=_("taller"))
    number = models.PositiveSmallIntegerField(_("número"))
    date = models.DateField(_("fecha"))
    start_time = models.TimeField(_("hora de inicio"))
    topic = models.CharField(_("tema"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["workshop", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="one_session_number_per_workshop"),
        ]
        verbose_name = _("sesión de taller")
        verbose_name_plural = _("sesiones de taller")

    def __str__(self):
        return _("Sesión %(number)s (%(date)s)") % {"number": self.number, "date": self.date.strftime("%d-%m-%Y")}


class WorkshopEnrolment(VersionedModel):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Inscrito/a")
        WITHDRAWN = "withdrawn", _("Retirado/a")

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="enrolments",
                                 verbose_name=_("taller"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="workshop_enrolments",
                             verbose_name=_("caso"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    enrolled_on = models.DateField(_("fecha de inscripción"))
    withdrawn_on = models.DateField(_("fecha de retiro"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("motivo del retiro"), max_length=300, blank=True)
    # Random and unique; printed on the certificate so anyone on the team can check it.
    certificate_code = models.CharField(_("código de verificación"), max_length=16, unique=True, null=True,
                                        blank=True)
    certificate_issued_on = models.DateField(_("fecha del certificado"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("registrado por"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["case__participant__paternal_surname", "case__participant__given_names", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "case"], name="one_enrolment_per_case_and_workshop"),
        ]
        verbose_name = _("inscripción en taller")
        verbose_name_plural = _("inscripciones en taller")

    def __str__(self):
        return _("%(person)s en %(workshop)s") % {"person": self.case.participant.full_name,
                                                   "workshop": self.workshop.workshop_type.name}

    @property
    def is_active(self):
        return self.status == self.Status.ENROLLED


class WorkshopAttendance(VersionedModel):
    class Status(models.TextChoices):
        PRESENT = "present", _("Presente")
        ABSENT = "absent", _("Ausente")
        JUSTIFIED = "justified", _("Ausencia justificada")

    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("sesión"))
    enrolment = models.ForeignKey(WorkshopEnrolment, on_delete=models.CASCADE, related_name="attendances",
                                  verbose_name=_("inscripción"))
    status = models.CharField(_("asistencia"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("registrado por"))
    recorded_at = models.DateTimeField(_("registrado"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session__number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session_and_enrolment"),
        ]
        verbose_name = _("asistencia a taller")
        verbose_name_plural = _("asistencias a taller")

    def __str__(self):
        return f"{self.session}: {self.get_status_display()}"
