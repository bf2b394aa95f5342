"""Trade training (capacitación técnica de oficio): courses run by OTEC providers and
the enrolment of cases in them, up to the certificate (seed 000, Capacitación)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from conecta.models import Institution, TimelineStep
from participants.models import Case

__all__ = ["TrainingCourse", "CourseEnrolment", "EnrolmentEvent"]


class TrainingCourse(VersionedModel):
    class FundingSource(models.TextChoices):
        SENCE = "sence", _("SENCE")
        MUNICIPAL = "municipal", _("Municipal")
        OTEC_SCHOLARSHIP = "otec_scholarship", _("Beca de la OTEC")
        PROGRAM = "program", _("Presupuesto del programa")
        OTHER = "other", _("Otra")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planificado")
        OPEN = "open", _("Inscripciones abiertas")
        IN_PROGRESS = "in_progress", _("En curso")
        FINISHED = "finished", _("Finalizado")
        CANCELLED = "cancelled", _("Cancelado")

    trade = models.CharField(_("oficio"), max_length=120)
    name = models.CharField(_("nombre del curso"), max_length=200)
    provider = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="training_courses", verbose_name=_("OTEC"),
        limit_choices_to={"kind": Institution.Kind.TRAINING, "active": True},
    )
    sence_certified = models.BooleanField(_("certificación SENCE"), default=False)
    sence_code = models.CharField(_("código SENCE"), max_length=30, blank=True)
    hours = models.PositiveSmallIntegerField(_("horas"), validators=[MinValueValidator(1)])
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("término"))
    schedule = models.CharField(_("horario"), max_length=200, blank=True,
                                help_text=_("Ej.: lunes a jueves de 18:30 a 21:30"))
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(_("cupos"), validators=[MinValueValidator(1)])
    cost = models.PositiveIntegerField(_("costo (CLP)"), default=0)
    funding_source = models.CharField(_("financiamiento"), max_length=20, choices=FundingSource.choices)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "name", "id"]
        verbose_name = _("curso de capacitación")
        verbose_name_plural = _("cursos de capacitación")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workshops:course_detail", args=[self.pk])

    @property
    def status_style(self):
        """Bootstrap colour of the status badge."""
        return {"planned": "secondary", "open": "info", "in_progress": "primary", "finished": "success",
                "cancelled": "dark"}.get(self.status, "secondary")


class CourseEnrolment(VersionedModel):
    """A case in a course: applied → enrolled → in progress → completed → certified, or dropped."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Postulado/a")
        ENROLLED = "enrolled", _("Inscrito/a")
        IN_PROGRESS = "in_progress", _("Cursando")
        COMPLETED = "completed", _("Aprobado/a")
        CERTIFIED = "certified", _("Certificado/a")
        DROPPED = "dropped", _("Retirado/a")

    # Statuses that hold one of the course's places.
    SEAT_STATUSES = (Status.ENROLLED, Status.IN_PROGRESS, Status.COMPLETED, Status.CERTIFIED)
    # Who is in training right now.
    TRAINING_STATUSES = (Status.ENROLLED, Status.IN_PROGRESS)
    FINAL_STATUSES = (Status.CERTIFIED, Status.DROPPED)

    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("curso"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="course_enrolments",
                             verbose_name=_("caso"))
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("fecha de postulación"))
    status_changed_on = models.DateField(_("fecha del último movimiento"))
    certified_on = models.DateField(_("fecha de certificación"), null=True, blank=True)
    drop_reason = models.TextField(_("motivo del retiro"), blank=True)
    certificate = models.FileField(_("certificado"), upload_to="certificates/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "case"], name="one_enrolment_per_case_and_course"),
        ]
        verbose_name = _("inscripción en capacitación")
        verbose_name_plural = _("inscripciones en capacitación")

    def __str__(self):
        return _("%(person)s en %(course)s") % {"person": self.case.participant.full_name, "course": self.course.name}

    def get_absolute_url(self):
        return reverse("workshops:enrolment_detail", args=[self.pk])

    @property
    def status_style(self):
        """Bootstrap colour of the status badge."""
        return {"applied": "secondary", "enrolled": "info", "in_progress": "primary", "completed": "warning",
                "certified": "success", "dropped": "danger"}.get(self.status, "secondary")

    @property
    def is_final(self):
        return self.status in self.FINAL_STATUSES


class EnrolmentEvent(TimelineStep):
    """One step of an enrolment's timeline: the status reached, when, who and why."""

    enrolment = models.ForeignKey(CourseEnrolment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("estado"), max_length=12, choices=CourseEnrolment.Status.choices)

    class Meta(TimelineStep.Meta):
        verbose_name = _("movimiento de la inscripción")
        verbose_name_plural = _("movimientos de la inscripción")
