"""The register of rights requests (solicitudes de derechos ARSOPB, Ley 21.719).

A request is kept even if the person is later erased: the subject's name and
RUT are copied at intake, and the link to the participant is cleared, not the
request, because the register is the program's proof that it answered."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta import rut as rut_utils
from conecta.concurrency import VersionedModel
from conecta.models import Institution, TimelineStep
from participants.models import Participant


class RightsRequest(VersionedModel):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Acceso")
        RECTIFICATION = "rectification", _("Rectificación")
        SUPPRESSION = "suppression", _("Supresión")
        OPPOSITION = "opposition", _("Oposición")
        PORTABILITY = "portability", _("Portabilidad")
        BLOCKING = "blocking", _("Bloqueo temporal")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("Presencial en el centro")
        OFFICE = "office", _("Oficina de Partes municipal")
        EMAIL = "email", _("Correo electrónico")
        LETTER = "letter", _("Carta o documento escrito")
        WEB = "web", _("Formulario web municipal")
        OTHER = "other", _("Otro medio")

    class Relation(models.TextChoices):
        SELF = "self", _("La persona titular")
        REPRESENTATIVE = "representative", _("Representante legal")
        ATTORNEY = "attorney", _("Apoderado/a con poder")
        HEIR = "heir", _("Heredero/a de una persona fallecida")
        OTHER = "other", _("Otra relación")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        VERIFIED = "verified", _("Identidad verificada")
        EXTENDED = "extended", _("Plazo prorrogado")
        ANSWERED = "answered", _("Respondida")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Acogida")
        PARTLY = "partly", _("Acogida parcialmente")
        REFUSED = "refused", _("Rechazada")

    class IdentityMethod(models.TextChoices):
        ID_CARD = "id_card", _("Cédula de identidad presentada en persona")
        CLAVE_UNICA = "clave_unica", _("ClaveÚnica")
        E_SIGNATURE = "e_signature", _("Firma electrónica avanzada")
        NOTARISED = "notarised", _("Firma autorizada ante notario")
        REPRESENTATION = "representation", _("Cédula y documento que acredita la representación")
        OTHER = "other", _("Otro medio")

    kind = models.CharField(_("derecho que ejerce"), max_length=16, choices=Kind.choices)
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="rights_requests",
        verbose_name=_("persona registrada"),
    )
    subject_name = models.CharField(_("nombre de la persona titular"), max_length=200)
    subject_rut = models.CharField(_("RUT de la persona titular"), max_length=12, blank=True)
    relation = models.CharField(_("quién la presenta"), max_length=16, choices=Relation.choices,
                                default=Relation.SELF)
    requester_name = models.CharField(_("nombre de quien la presenta"), max_length=200, blank=True)
    requester_rut = models.CharField(_("RUT de quien la presenta"), max_length=12, blank=True)
    contact = models.CharField(
        _("dónde responder"), max_length=300,
        help_text=_("Correo electrónico, dirección o teléfono que la persona indicó para recibir la respuesta."),
    )
    received_on = models.DateField(_("fecha de recepción"))
    channel = models.CharField(_("medio de ingreso"), max_length=12, choices=Channel.choices)
    description = models.TextField(_("qué solicita"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrada por")
    )
    registered_at = models.DateTimeField(_("registrada"), auto_now_add=True)

    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    identity_method = models.CharField(_("cómo se verificó la identidad"), max_length=16,
                                       choices=IdentityMethod.choices, blank=True)
    identity_verified_on = models.DateField(_("fecha de verificación de identidad"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("identidad verificada por"),
    )
    identity_notes = models.CharField(_("observaciones de la verificación"), max_length=300, blank=True)

    # Counted by the app (dataprotection.services.requests) and stored so lists and the
    # manager's home can filter on them in SQL.
    due_on = models.DateField(_("plazo de respuesta"))
    extension_count = models.PositiveSmallIntegerField(_("prórrogas"), default=0)
    extended_on = models.DateField(_("fecha de la prórroga"), null=True, blank=True)
    extension_reason = models.TextField(_("motivo de la prórroga"), blank=True)
    block_due_on = models.DateField(_("plazo para aplicar el bloqueo"), null=True, blank=True)
    blocked_on = models.DateField(_("bloqueo aplicado el"), null=True, blank=True)

    answered_on = models.DateField(_("fecha de respuesta"), null=True, blank=True)
    outcome = models.CharField(_("resultado"), max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(
        _("respuesta fundada"), blank=True,
        help_text=_("Lo que se respondió y, si se rechaza total o parcialmente, sus fundamentos legales."),
    )
    answer_proof = models.FileField(_("comprobante de la respuesta"), upload_to="rights/%Y/", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("respondida por"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["answered_on", "due_on"])]
        verbose_name = _("solicitud de derechos")
        verbose_name_plural = _("solicitudes de derechos")

    def __str__(self):
        return _("Solicitud N.º %(number)s · %(kind)s") % {"number": self.pk, "kind": self.get_kind_display()}

    def get_absolute_url(self):
        return reverse("dataprotection:rightsrequest_detail", args=[self.pk])

    @property
    def is_answered(self):
        return self.answered_on is not None

    @property
    def subject_rut_display(self):
        return rut_utils.display(self.subject_rut)


class RightsRequestEvent(TimelineStep):
    """One step of a request's timeline: received, identity verified, extended, block applied, answered."""

    class Step(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        VERIFIED = "verified", _("Identidad verificada")
        EXTENDED = "extended", _("Plazo prorrogado")
        BLOCKED = "blocked", _("Bloqueo aplicado")
        INFORMED = "informed", _("Destinatario informado")
        CORRECTED = "corrected", _("Datos de ingreso corregidos")
        ANSWERED = "answered", _("Respondida")

    rights_request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("paso"), max_length=10, choices=Step.choices)

    class Meta(TimelineStep.Meta):
        verbose_name = _("movimiento de la solicitud")
        verbose_name_plural = _("movimientos de la solicitud")


class RecipientNotice(models.Model):
    """A recipient of the person's data was told of a rectification, suppression or block."""

    rights_request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="recipient_notices")
    # conecta.personal_data.Recipient.key: the institution, or the name of another recipient.
    recipient_key = models.CharField(max_length=120)
    recipient_name = models.CharField(_("destinatario"), max_length=200)
    institution = models.ForeignKey(Institution, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("institución"))
    informed_on = models.DateField(_("informada el"))
    means = models.CharField(_("cómo se le informó"), max_length=200,
                             help_text=_("Por ejemplo: oficio N.º 45 enviado por correo electrónico."))
    informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("registrado por"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recipient_name", "id"]
        constraints = [models.UniqueConstraint(fields=["rights_request", "recipient_key"],
                                               name="one_notice_per_recipient_and_request")]
        verbose_name = _("aviso a destinatario")
        verbose_name_plural = _("avisos a destinatarios")

    def __str__(self):
        return f"{self.recipient_name} ({self.informed_on:%d-%m-%Y})"
