from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from interventions.models.base import Area, Modality
from interventions.models.plans import PlanObjective
from participants.models import Case, FamilyMember


class Session(VersionedModel):
    """One contact with the participant or their family (atención individual).

    Psychological sessions are clinical: their notes, objectives worked and
    next steps reach only `can_read_session_content` (conecta.permissions)."""

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Asistió")
        NO_SHOW = "no_show", _("No asistió")
        CANCELLED = "cancelled", _("Cancelada")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("caso"))
    starts_at = models.DateTimeField(_("fecha y hora"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duración (minutos)"), default=45, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("profesional")
    )
    area = models.CharField(_("área"), max_length=20, choices=Area.choices)
    modality = models.CharField(_("modalidad"), max_length=12, choices=Modality.choices, default=Modality.CENTRE)
    attendance = models.CharField(_("asistencia"), max_length=10, choices=Attendance.choices, default=Attendance.ATTENDED)
    with_participant = models.BooleanField(_("con la persona"), default=True)
    family_members = models.ManyToManyField(
        FamilyMember, blank=True, related_name="sessions", verbose_name=_("familiares presentes")
    )
    objectives = models.ManyToManyField(
        PlanObjective, blank=True, related_name="sessions", verbose_name=_("objetivos trabajados")
    )
    notes = models.TextField(_("registro de la sesión"), blank=True)
    next_steps = models.TextField(_("próximos pasos"), blank=True)
    appointment = models.OneToOneField(
        "interventions.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="session",
        verbose_name=_("cita"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[family_members, objectives])

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["professional", "starts_at"], name="session_professional_start"),
                   models.Index(fields=["case", "starts_at"], name="session_case_start")]
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")

    def __str__(self):
        return _("Sesión %(area)s del %(date)s") % {
            "area": self.get_area_display().lower(), "date": self.starts_at.strftime("%d-%m-%Y"),
        }

    @property
    def is_clinical(self):
        return self.area == Area.PSYCHOLOGICAL
