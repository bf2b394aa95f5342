"""Assessment instruments are data: instrument → domains → items → options,
with cut-offs that turn scores into levels. An applied assessment points at
the exact instrument version it used, so retiring or re-versioning an
instrument never changes a past result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from interventions.models.base import Area
from participants.models import Case


class Level(models.TextChoices):
    LOW = "low", _("Bajo")
    MODERATE = "moderate", _("Moderado")
    HIGH = "high", _("Alto")
    VERY_HIGH = "very_high", _("Muy alto")


# Levels that make a domain a need the plan should address.
HIGH_NEED_LEVELS = (Level.HIGH, Level.VERY_HIGH)


class Instrument(VersionedModel):
    # `version` numbers the instrument's editions; the edit lock counts in `edit_version`.
    version_field = "edit_version"

    class Kind(models.TextChoices):
        RISK_NEED = "risk_need", _("Tamizaje de riesgo y necesidades de reincidencia")
        MOTIVATION = "motivation", _("Motivación al cambio")
        SOCIO_FAMILY = "socio_family", _("Evaluación sociofamiliar")
        OCCUPATIONAL = "occupational", _("Perfil ocupacional")
        NETWORK = "network", _("Diagnóstico de redes")
        OTHER = "other", _("Otro")

    class Status(models.TextChoices):
        DRAFT = "draft", _("En preparación")
        ACTIVE = "active", _("Vigente")
        RETIRED = "retired", _("Retirado")

    code = models.SlugField(_("código"), max_length=40)
    version = models.PositiveSmallIntegerField(_("versión"), default=1)
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    area = models.CharField(_("área"), max_length=20, choices=Area.choices)
    description = models.TextField(_("descripción e instrucciones"), blank=True)
    # Screenings orient the plan; they are not a validated clinical diagnosis.
    is_screening = models.BooleanField(_("es un tamizaje"), default=False)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    built_in = models.BooleanField(_("incluido con Conecta"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")]
        verbose_name = _("instrumento")
        verbose_name_plural = _("instrumentos")

    def __str__(self):
        return _("%(name)s (v%(version)s)") % {"name": self.name, "version": self.version}


class InstrumentDomain(VersionedModel):
    """A section of an instrument; scored sections get a need level of their own."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    code = models.SlugField(_("código"), max_length=40)
    name = models.CharField(_("nombre"), max_length=150)
    description = models.TextField(_("descripción"), blank=True)
    # The plan suggests objectives for domains assessed at high need.
    suggested_objective = models.CharField(_("objetivo sugerido para el plan"), max_length=300, blank=True)
    plan_area = models.CharField(_("área del plan"), max_length=20, choices=Area.choices, blank=True)

    class Meta:
        ordering = ["instrument", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="domain_code_per_instrument")]
        verbose_name = _("dominio")
        verbose_name_plural = _("dominios")

    def __str__(self):
        return self.name


class Item(VersionedModel):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Alternativas con puntaje")
        TEXT = "text", _("Respuesta abierta")

    domain = models.ForeignKey(InstrumentDomain, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.CharField(_("pregunta"), max_length=400)
    help_text = models.CharField(_("ayuda"), max_length=300, blank=True)
    kind = models.CharField(_("tipo de respuesta"), max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    required = models.BooleanField(_("obligatoria"), default=True)

    class Meta:
        ordering = ["domain", "order", "id"]
        verbose_name = _("ítem")
        verbose_name_plural = _("ítems")

    def __str__(self):
        return self.text


class ItemOption(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    label = models.CharField(_("alternativa"), max_length=200)
    score = models.SmallIntegerField(_("puntaje"), default=0)

    class Meta:
        ordering = ["item", "order", "id"]
        verbose_name = _("alternativa")
        verbose_name_plural = _("alternativas")

    def __str__(self):
        return f"{self.label} ({self.score})"


class Cutoff(models.Model):
    """From `min_score` upwards the total (domain empty) or a domain's subtotal reads as `label`.

    The applicable cut-off is the one with the highest `min_score` not above
    the score. `level` maps the label onto low…very high so plans can find
    high needs; instruments such as stages of change use their own labels."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="cutoffs")
    domain = models.ForeignKey(
        InstrumentDomain, on_delete=models.CASCADE, null=True, blank=True, related_name="cutoffs",
        verbose_name=_("dominio"),
    )
    min_score = models.SmallIntegerField(_("desde puntaje"))
    level = models.CharField(_("nivel"), max_length=10, choices=Level.choices, blank=True)
    label = models.CharField(_("etiqueta"), max_length=100)

    class Meta:
        ordering = ["instrument", "domain", "min_score"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "domain", "min_score"], name="one_cutoff_per_score"),
        ]
        verbose_name = _("punto de corte")
        verbose_name_plural = _("puntos de corte")

    def __str__(self):
        return f"≥ {self.min_score}: {self.label}"


class Assessment(VersionedModel):
    """An instrument applied to a case on a date by a professional."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        COMPLETED = "completed", _("Completada")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("caso"))
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("instrumento")
    )
    applied_on = models.DateField(_("fecha de aplicación"))
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("profesional")
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total_score = models.SmallIntegerField(_("puntaje total"), null=True, blank=True)
    computed_level = models.CharField(_("nivel calculado"), max_length=10, choices=Level.choices, blank=True)
    computed_label = models.CharField(_("resultado calculado"), max_length=100, blank=True)
    # The professional's judgement is one of the instrument's own results (a stage of change, a level):
    # `override_label` is what they chose, `override_level` the need level that result maps to (may be empty).
    override_label = models.CharField(_("resultado asignado por el profesional"), max_length=100, blank=True)
    override_level = models.CharField(_("nivel asignado por el profesional"), max_length=10, choices=Level.choices, blank=True)
    override_reason = models.TextField(_("fundamento del cambio de nivel"), blank=True)
    strengths = models.TextField(_("fortalezas y factores protectores"), blank=True)
    conclusions = models.TextField(_("conclusiones"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["professional", "status"], name="assessment_professional_status")]
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")

    def __str__(self):
        return _("%(instrument)s, %(date)s") % {
            "instrument": self.instrument.name, "date": self.applied_on.strftime("%d-%m-%Y"),
        }

    @property
    def has_override(self):
        return bool(self.override_label or self.override_level)

    def get_override_display(self):
        """The result the professional assigned, in the instrument's words (older rows kept only a level)."""
        if self.override_label:
            return self.override_label
        return Level(self.override_level).label if self.override_level else ""

    @property
    def final_level(self):
        return self.override_level if self.has_override else self.computed_level

    def get_computed_display(self):
        return self.computed_label or (Level(self.computed_level).label if self.computed_level else "")

    def get_final_level_display(self):
        """The final result as the instrument names it ("Acción", "Alto"), never a level it does not use."""
        return self.get_override_display() if self.has_override else self.get_computed_display()


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(ItemOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("respuesta"), blank=True)
    # Answers of a draft change until it is completed; each change is kept.
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")]
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")


class DomainResult(models.Model):
    """A domain's subtotal and need level, computed by the scoring service."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domain_results")
    domain = models.ForeignKey(InstrumentDomain, on_delete=models.PROTECT, related_name="+")
    score = models.SmallIntegerField(_("puntaje"))
    max_score = models.SmallIntegerField(_("puntaje máximo"))
    level = models.CharField(_("nivel"), max_length=10, choices=Level.choices, blank=True)
    label = models.CharField(_("resultado"), max_length=100, blank=True)

    class Meta:
        ordering = ["domain__order", "domain_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="one_result_per_domain")]
        verbose_name = _("resultado por dominio")
        verbose_name_plural = _("resultados por dominio")
