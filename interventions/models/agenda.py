from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from interventions.models.base import Area, Modality
from participants.models import Case


class Appointment(VersionedModel):
    """A slot in a professional's agenda; reception checks the person in.

    The desk reads an appointment by its neutral `label` (kind and area, e.g. «Atención
    psicológica»), never by its free-text `purpose`: a reason such as «Evaluación de riesgo
    de reincidencia» would tell her the person has a criminal record."""

    class Kind(models.TextChoices):
        CARE = "care", _("Atención del área")
        INTAKE = "intake", _("Entrevista de ingreso")
        FAMILY = "family", _("Atención familiar")
        FOLLOWUP = "followup", _("Seguimiento")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Agendada")
        ARRIVED = "arrived", _("Llegó")
        ATTENDED = "attended", _("Atendida")
        NO_SHOW = "no_show", _("No asistió")
        CANCELLED = "cancelled", _("Cancelada")
        RESCHEDULED = "rescheduled", _("Reagendada")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("caso"))
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments",
        verbose_name=_("profesional"),
    )
    area = models.CharField(_("área"), max_length=20, choices=Area.choices)
    starts_at = models.DateTimeField(_("fecha y hora"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duración (minutos)"), default=45, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    modality = models.CharField(_("modalidad"), max_length=12, choices=Modality.choices, default=Modality.CENTRE)
    kind = models.CharField(_("tipo de cita"), max_length=10, choices=Kind.choices, default=Kind.CARE)
    # Read by the professionals only (conecta.permissions.can_read_appointment_purpose).
    purpose = models.CharField(_("motivo de la cita"), max_length=150, blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    checked_in_at = models.DateTimeField(_("hora de llegada"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recibido por"),
    )
    # When the professional acknowledged the "arrived" notice.
    arrival_seen_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("motivo de cancelación o reagendamiento"), max_length=300, blank=True)
    rescheduled_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_from",
        verbose_name=_("nueva cita"),
    )
    reminder_sent_at = models.DateTimeField(_("recordatorio enviado"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("agendada por")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["arrival_seen_at"])

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["professional", "starts_at"]), models.Index(fields=["starts_at", "status"])]
        verbose_name = _("cita")
        verbose_name_plural = _("citas")

    def __str__(self):
        return _("Cita del %(date)s") % {"date": self.starts_at.strftime("%d-%m-%Y %H:%M")}

    @property
    def label(self):
        """What anyone on the team, the desk included, may read: the kind, and for care the area."""
        if self.kind == self.Kind.CARE:
            return CARE_LABELS.get(self.area, self.get_kind_display())
        return self.get_kind_display()


CARE_LABELS = {
    Area.PSYCHOLOGICAL: _("Atención psicológica"),
    Area.SOCIAL: _("Atención social"),
    Area.OCCUPATIONAL: _("Terapia ocupacional"),
}
