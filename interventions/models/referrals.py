from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from conecta.models import Institution, TimelineStep
from participants.models import Case


class Referral(VersionedModel):
    """A case sent to a partner institution for a need (derivación a la red)."""

    class Need(models.TextChoices):
        HEALTH = "health", _("Salud")
        MENTAL_HEALTH = "mental_health", _("Salud mental")
        ADDICTION = "addiction", _("Consumo de alcohol y drogas")
        HOUSING = "housing", _("Vivienda")
        EMPLOYMENT = "employment", _("Empleo")
        TRAINING = "training", _("Capacitación")
        EDUCATION = "education", _("Nivelación de estudios")
        BENEFITS = "benefits", _("Beneficios y prestaciones sociales")
        LEGAL = "legal", _("Orientación legal y eliminación de antecedentes")
        FAMILY = "family", _("Apoyo familiar")
        OTHER = "other", _("Otra")

    class Status(models.TextChoices):
        SENT = "sent", _("Enviada")
        ACCEPTED = "accepted", _("Aceptada")
        ATTENDED = "attended", _("Atendida")
        COMPLETED = "completed", _("Concluida")
        REJECTED = "rejected", _("Rechazada")
        NO_ANSWER = "no_answer", _("Sin respuesta")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("caso"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("institución")
    )
    need = models.CharField(_("necesidad"), max_length=16, choices=Need.choices)
    detail = models.TextField(_("detalle de la derivación"), blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.SENT)
    sent_on = models.DateField(_("fecha de envío"))
    answered_on = models.DateField(_("fecha de respuesta"), null=True, blank=True)
    attended_on = models.DateField(_("fecha de atención"), null=True, blank=True)
    closed_on = models.DateField(_("fecha de cierre"), null=True, blank=True)
    outcome = models.TextField(_("resultado"), blank=True)
    next_followup_on = models.DateField(_("próximo seguimiento"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("derivado por")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["status", "sent_on"], name="referral_status_sent"),
                   models.Index(fields=["created_by", "status"], name="referral_author_status")]
        verbose_name = _("derivación")
        verbose_name_plural = _("derivaciones")

    def __str__(self):
        return _("Derivación a %(institution)s") % {"institution": self.institution.name}


class ReferralEvent(TimelineStep):
    """One step of a referral's timeline (status, date, who, note)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("estado"), max_length=10, choices=Referral.Status.choices)

    class Meta(TimelineStep.Meta):
        verbose_name = _("movimiento de la derivación")
        verbose_name_plural = _("movimientos de la derivación")
