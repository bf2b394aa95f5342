"""The register of security breaches (vulneraciones de seguridad, Ley 21.719 art. 14 sexies)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel


class SecurityBreach(VersionedModel):
    class Nature(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", _("Acceso o divulgación no autorizada (confidencialidad)")
        INTEGRITY = "integrity", _("Alteración no autorizada (integridad)")
        AVAILABILITY = "availability", _("Pérdida o destrucción (disponibilidad)")

    class DataCategory(models.TextChoices):
        IDENTITY = "identity", _("Identificación y contacto")
        JUSTICE = "justice", _("Antecedentes penales y situación judicial")
        HEALTH = "health", _("Salud y consumo de alcohol o drogas")
        PSYCHOLOGICAL = "psychological", _("Evaluaciones y notas psicológicas")
        SOCIAL = "social", _("Situación social y familiar")
        EMPLOYMENT = "employment", _("Empleo y capacitación")
        DOCUMENTS = "documents", _("Documentos escaneados")
        ACCOUNTS = "accounts", _("Cuentas de usuario del equipo")

    # Sensitive data (Ley 21.719 art. 16): their breach must be told to the people affected.
    SENSITIVE_CATEGORIES = frozenset({"justice", "health", "psychological"})

    title = models.CharField(_("resumen"), max_length=200)
    nature = models.CharField(_("naturaleza"), max_length=16, choices=Nature.choices)
    description = models.TextField(_("qué ocurrió"))
    data_categories = models.JSONField(_("categorías de datos afectados"), default=list)
    affected_count = models.PositiveIntegerField(_("número aproximado de personas afectadas"))
    likely_effects = models.TextField(_("consecuencias probables"))
    measures_taken = models.TextField(_("medidas adoptadas"))
    measures_proposed = models.TextField(_("medidas propuestas"), blank=True)
    occurred_on = models.DateField(_("fecha en que ocurrió"), help_text=_("Si no se sabe con exactitud, la más probable."))
    detected_on = models.DateField(_("fecha de detección"))
    agency_notified_on = models.DateField(_("comunicada a la Agencia el"), null=True, blank=True)
    agency_not_notified_reason = models.TextField(_("motivo para no comunicar a la Agencia"), blank=True)
    people_notified_on = models.DateField(_("comunicada a las personas el"), null=True, blank=True)
    people_notification_means = models.CharField(_("medio de comunicación a las personas"), max_length=200,
                                                 blank=True)
    people_not_notified_reason = models.TextField(_("motivo para no comunicar a las personas"), blank=True)
    closed_on = models.DateField(_("fecha de cierre"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("registrado por"))
    recorded_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-detected_on", "-id"]
        verbose_name = _("incidente de seguridad")
        verbose_name_plural = _("incidentes de seguridad")

    def __str__(self):
        return _("Incidente N.º %(number)s · %(title)s") % {"number": self.pk, "title": self.title}

    def get_absolute_url(self):
        return reverse("dataprotection:breach_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_on is None

    @property
    def involves_sensitive_data(self):
        return bool(self.SENSITIVE_CATEGORIES & set(self.data_categories or []))

    def get_data_categories_display(self):
        labels = dict(self.DataCategory.choices)
        return [labels.get(code, code) for code in self.data_categories or []]
