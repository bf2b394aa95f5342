"""The individual intervention plan (PII): one per case, a section per area.

Each section is the unit of editing: its professional rewrites objectives and
actions together, and `revision` refuses a save made on a stale copy so two
people editing at once never overwrite each other silently."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from interventions.models.base import Area
from interventions.models.instruments import InstrumentDomain
from participants.models import Case


class Plan(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En elaboración")
        SUBMITTED = "submitted", _("Enviado a aprobación")
        APPROVED = "approved", _("Aprobado")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="plan", verbose_name=_("caso"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    agreed_on = models.DateField(_("fecha de acuerdo con la persona"), null=True, blank=True)
    agreement_notes = models.TextField(_("observaciones del acuerdo"), blank=True)
    submitted_at = models.DateTimeField(_("enviado a aprobación"), null=True, blank=True)
    approved_on = models.DateField(_("fecha de aprobación"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("aprobado por"),
    )
    approval_notes = models.TextField(_("observaciones de la gestora"), blank=True)
    # An agreement (and an approval) is void once what was agreed changes: the section save that
    # changed it clears `agreed_on`/`approved_on` and keeps here what was voided, when and by which area.
    agreement_voided_at = models.DateTimeField(_("acuerdo dejado sin efecto el"), null=True, blank=True)
    voided_agreement_on = models.DateField(_("fecha del acuerdo sin efecto"), null=True, blank=True)
    voided_approval_on = models.DateField(_("fecha de la aprobación sin efecto"), null=True, blank=True)
    voided_by_area = models.CharField(_("sección modificada"), max_length=20, choices=Area.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("creado por")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan de intervención individual")
        verbose_name_plural = _("planes de intervención individual")

    def __str__(self):
        return _("PII de %(case)s") % {"case": self.case}


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    area = models.CharField(_("área"), max_length=20, choices=Area.choices)
    needs_summary = models.TextField(_("necesidades identificadas en el diagnóstico"), blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)
    # The section keeps its own counter (the service moves it on); the stale-form
    # machinery (conecta.concurrency) reads it under this name.
    version_field = "revision"
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("última edición por"),
    )
    updated_at = models.DateTimeField(_("última edición"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "area"]
        constraints = [models.UniqueConstraint(fields=["plan", "area"], name="one_section_per_area")]
        verbose_name = _("sección del plan")
        verbose_name_plural = _("secciones del plan")

    def __str__(self):
        return self.get_area_display()


class PlanObjective(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En curso")
        ACHIEVED = "achieved", _("Logrado")
        PARTLY = "partly", _("Logrado parcialmente")
        NOT_ACHIEVED = "not_achieved", _("No logrado")

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.CharField(_("objetivo"), max_length=400)
    domain = models.ForeignKey(
        InstrumentDomain, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("necesidad evaluada"),
    )
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PENDING)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order", "id"]
        verbose_name = _("objetivo")
        verbose_name_plural = _("objetivos")

    def __str__(self):
        return self.text


class PlanAction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Realizada")
        CANCELLED = "cancelled", _("Anulada")

    objective = models.ForeignKey(PlanObjective, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("acción"), max_length=400)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsable")
    )
    due_on = models.DateField(_("plazo"))
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PENDING)
    done_on = models.DateField(_("fecha de realización"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["responsible", "status", "due_on"], name="planaction_responsible_due")]
        verbose_name = _("acción")
        verbose_name_plural = _("acciones")

    def __str__(self):
        return self.description


class PlanReview(models.Model):
    """A progress review of one area's section (revisión de avances)."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("fecha de revisión"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("profesional")
    )
    progress = models.TextField(_("avances"))
    next_review_on = models.DateField(_("próxima revisión"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("revisión de avances")
        verbose_name_plural = _("revisiones de avances")

    def __str__(self):
        return _("Revisión del %(date)s") % {"date": self.reviewed_on.strftime("%d-%m-%Y")}
