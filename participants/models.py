import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta import rut as rut_utils
from conecta.concurrency import VersionedModel
from conecta.phone import PhoneField
from conecta.models import Commune, Institution
from conecta.text import fold
from participants.querysets import CaseQuerySet, ParticipantQuerySet


class Participant(VersionedModel):
    """A person (usuario/a) identified by RUT; each episode in the program is a Case."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Mujer")
        MALE = "male", _("Hombre")
        INTERSEX = "intersex", _("Intersexual")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Femenino")
        MAN = "man", _("Masculino")
        NON_BINARY = "non_binary", _("No binario")
        OTHER = "other", _("Otro")
        UNDISCLOSED = "undisclosed", _("Prefiere no decir")

    class Education(models.TextChoices):
        NONE = "none", _("Sin escolaridad")
        PRIMARY_INCOMPLETE = "primary_incomplete", _("Básica incompleta")
        PRIMARY = "primary", _("Básica completa")
        SECONDARY_INCOMPLETE = "secondary_incomplete", _("Media incompleta")
        SECONDARY = "secondary", _("Media completa")
        TECHNICAL = "technical", _("Técnico profesional")
        HIGHER_INCOMPLETE = "higher_incomplete", _("Superior incompleta")
        HIGHER = "higher", _("Superior completa")

    rut = models.CharField(_("RUT"), max_length=12, unique=True)
    given_names = models.CharField(_("nombres"), max_length=120)
    paternal_surname = models.CharField(_("apellido paterno"), max_length=80)
    maternal_surname = models.CharField(_("apellido materno"), max_length=80, blank=True)
    social_name = models.CharField(
        _("nombre social"),
        max_length=120,
        blank=True,
        help_text=_("Nombre con el que la persona pide ser llamada (Ley 21.120)."),
    )
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    sex = models.CharField(_("sexo registral"), max_length=10, choices=Sex.choices, blank=True)
    gender = models.CharField(_("género"), max_length=12, choices=Gender.choices, blank=True)
    nationality = models.CharField(_("nacionalidad"), max_length=60, default="Chilena")
    phone = PhoneField(_("teléfono"), max_length=30, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("comuna")
    )
    sector = models.CharField(_("sector o barrio"), max_length=120, blank=True)
    education_level = models.CharField(
        _("nivel educacional"), max_length=24, choices=Education.choices, blank=True
    )
    household_notes = models.TextField(_("composición del hogar"), blank=True)
    # Accent-free lowercase names and RUT, so search works the same on every database.
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )

    # Blocking (bloqueo temporal del tratamiento, Ley 21.719): while `blocked_on` is
    # set the data are read-only and out of every list but the manager's.
    blocked_on = models.DateField(_("bloqueado desde"), null=True, blank=True)
    blocked_reason = models.TextField(_("motivo del bloqueo"), blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("bloqueado por"),
    )
    # The manager's authorisation to process the data without an active consent, on a
    # written legal basis (codes of settings.CONECTA_PROCESSING_BASES). Empty: none.
    processing_basis = models.CharField(_("base legal del tratamiento"), max_length=30, blank=True)
    processing_basis_detail = models.TextField(_("fundamento de la autorización"), blank=True)
    processing_authorised_on = models.DateField(_("tratamiento autorizado desde"), null=True, blank=True)
    processing_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tratamiento autorizado por"),
    )
    # Set by the retention command (participants.retention): identity and free text are gone.
    anonymised_on = models.DateField(_("anonimizado el"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["paternal_surname", "maternal_surname", "given_names"]
        # The list sorts by name and stops at a page: an index walks it in order.
        indexes = [models.Index(fields=["paternal_surname", "maternal_surname", "given_names", "id"],
                                name="participant_name_order"),
                   # The few blocked people, taken off counts that are not joined to every person.
                   models.Index(fields=["blocked_on"], name="participant_blocked",
                                condition=models.Q(blocked_on__isnull=False)),
                   # The desk's "recently registered".
                   models.Index(fields=["created_at"], name="participant_created_at")]
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")

    def __str__(self):
        return f"{self.full_name} ({self.rut_display})"

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join(
                [self.given_names, self.paternal_surname, self.maternal_surname,
                 self.social_name, self.rut.replace("-", "")]
            )
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participants:participant_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        # Cases are the program's history and statistics (on_delete=PROTECT): say so in words
        # wherever a delete comes from; participants.services.participant_delete is the way in.
        if self.pk and self.cases.exists():
            raise models.ProtectedError(
                _("%(name)s tiene casos registrados y no se puede eliminar; sus datos se anonimizan al "
                  "vencer el plazo de conservación.") % {"name": self.full_name},
                set(self.cases.all()),
            )
        return super().delete(*args, **kwargs)

    @property
    def full_name(self):
        return " ".join(
            part for part in [self.given_names, self.paternal_surname, self.maternal_surname] if part
        )

    @property
    def display_name(self):
        """Social name first when the person has one."""
        if self.social_name:
            return f"{self.social_name} {self.paternal_surname}"
        return self.full_name

    @property
    def rut_display(self):
        return rut_utils.display(self.rut)

    def age_on(self, date):
        if not self.birth_date:
            return None
        birthday_passed = (date.month, date.day) >= (self.birth_date.month, self.birth_date.day)
        return date.year - self.birth_date.year - (0 if birthday_passed else 1)

    @property
    def age(self):
        return self.age_on(datetime.date.today())

    @property
    def is_blocked(self):
        return self.blocked_on is not None

    def get_processing_basis_display(self):
        return dict(settings.CONECTA_PROCESSING_BASES).get(self.processing_basis, self.processing_basis)


class FamilyMember(VersionedModel):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Madre")
        FATHER = "father", _("Padre")
        PARTNER = "partner", _("Pareja o cónyuge")
        SON = "son", _("Hijo")
        DAUGHTER = "daughter", _("Hija")
        SIBLING = "sibling", _("Hermano/a")
        GRANDPARENT = "grandparent", _("Abuelo/a")
        OTHER_RELATIVE = "other_relative", _("Otro familiar")
        SIGNIFICANT = "significant", _("Otra persona significativa")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="family_members"
    )
    name = models.CharField(_("nombre"), max_length=150)
    relationship = models.CharField(_("parentesco"), max_length=20, choices=Relationship.choices)
    age = models.PositiveSmallIntegerField(_("edad"), null=True, blank=True)
    phone = PhoneField(_("teléfono"), max_length=30, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    lives_with_participant = models.BooleanField(_("vive con la persona"), default=False)
    takes_part_in_sessions = models.BooleanField(_("participa en sesiones familiares"), default=False)
    notes = models.CharField(_("observaciones"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("familiar")
        verbose_name_plural = _("familiares")

    def __str__(self):
        return f"{self.name} ({self.get_relationship_display()})"


class Cohort(VersionedModel):
    """Intake group (generación) of a year or semester; outcomes are reported per cohort."""

    name = models.CharField(_("nombre"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("año"), validators=[MinValueValidator(2000)])
    semester = models.PositiveSmallIntegerField(
        _("semestre"), null=True, blank=True, choices=[(1, _("Primer semestre")), (2, _("Segundo semestre"))]
    )
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("término"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("generación")
        verbose_name_plural = _("generaciones")

    def __str__(self):
        return self.name


class CaseStatus(models.TextChoices):
    APPLICANT = "applicant", _("Postulante")
    DIAGNOSIS = "diagnosis", _("En diagnóstico")
    INTERVENTION = "intervention", _("En intervención")
    EXITED = "exited", _("Egresado/a")
    FOLLOWUP = "followup", _("En seguimiento")
    CLOSED = "closed", _("Cerrado")
    NOT_ADMITTED = "not_admitted", _("No ingresa")


OPEN_STATUSES = (CaseStatus.APPLICANT, CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION)
# An episode is unfinished until it is closed or not admitted: after the exit the program still
# follows the person up. A person has at most one unfinished episode (a re-entry waits for the close).
UNFINISHED_STATUSES = (*OPEN_STATUSES, CaseStatus.EXITED, CaseStatus.FOLLOWUP)


def team_member(verbose_name):
    """The professional of one area who carries a case (optional until assigned)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=verbose_name,
    )


class Case(VersionedModel):
    """One episode (ingreso) of a participant in the program."""

    class Category(models.TextChoices):
        JUSTICE = "justice", _("Conflicto con la justicia")
        VULNERABILITY = "vulnerability", _("Vulnerabilidad")

    class SentenceType(models.TextChoices):
        CUSTODIAL_SERVED = "custodial_served", _("Pena privativa de libertad cumplida")
        PAROLE = "parole", _("Libertad condicional")
        REMISION = "remision", _("Remisión condicional (Ley 18.216)")
        RECLUSION_PARCIAL = "reclusion_parcial", _("Reclusión parcial (Ley 18.216)")
        LIBERTAD_VIGILADA = "libertad_vigilada", _("Libertad vigilada (Ley 18.216)")
        LIBERTAD_VIGILADA_INTENSIVA = "libertad_vigilada_intensiva", _(
            "Libertad vigilada intensiva (Ley 18.216)"
        )
        EXPULSION = "expulsion", _("Expulsión (Ley 18.216)")
        PRESTACION_SERVICIOS = "prestacion_servicios", _(
            "Prestación de servicios en beneficio de la comunidad (Ley 18.216)"
        )
        PRECAUTIONARY = "precautionary", _("Medida cautelar (art. 155 CPP)")
        CONDITIONAL_SUSPENSION = "conditional_suspension", _("Suspensión condicional del procedimiento")
        OTHER = "other", _("Otra")

    class VulnerabilityFactor(models.TextChoices):
        TERRITORY = "territory", _("Proviene de un sector con contexto criminógeno")
        RELATIVES = "relatives", _("Familiares directos con historial delictual")
        UNEMPLOYMENT = "unemployment", _("Desocupación")
        SCHOOL_DROPOUT = "school_dropout", _("Deserción escolar")
        SUBSTANCE_USE = "substance_use", _("Consumo problemático de alcohol o drogas")
        PEERS = "peers", _("Pares con conducta delictual")
        ECONOMIC = "economic", _("Dificultades económicas graves")
        OTHER = "other", _("Otro factor")

    class ExitType(models.TextChoices):
        COMPLETED = "completed", _("Egreso por término del plan")
        DROPOUT = "dropout", _("Deserción")
        TRANSFER = "transfer", _("Derivación o traslado")
        OTHER = "other", _("Otro motivo")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="cases", verbose_name=_("participante")
    )
    number = models.PositiveSmallIntegerField(_("número de ingreso"), default=1)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("generación"),
    )
    status = models.CharField(
        _("estado"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.APPLICANT
    )
    applied_on = models.DateField(_("fecha de postulación"))
    admitted_on = models.DateField(_("fecha de ingreso"), null=True, blank=True)
    intervention_started_on = models.DateField(_("inicio de intervención"), null=True, blank=True)
    exited_on = models.DateField(_("fecha de egreso"), null=True, blank=True)
    exit_type = models.CharField(
        _("tipo de egreso"), max_length=20, choices=ExitType.choices, blank=True
    )
    closed_on = models.DateField(_("fecha de cierre"), null=True, blank=True)
    not_admitted_reason = models.TextField(_("motivo de no ingreso"), blank=True)

    referral_source = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("derivado por"),
    )
    referral_notes = models.CharField(_("detalle de la derivación"), max_length=300, blank=True)

    # Eligibility (seed 000 §3). Sensitive: never shown to the receptionist.
    category = models.CharField(_("población"), max_length=20, choices=Category.choices, blank=True)
    sentence_type = models.CharField(
        _("tipo de pena o medida"), max_length=32, choices=SentenceType.choices, blank=True
    )
    supervising_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("institución que supervisa"),
    )
    offences = models.TextField(_("delitos"), blank=True)
    vulnerability_factors = models.JSONField(_("factores de vulnerabilidad"), default=list, blank=True)
    exception_granted = models.BooleanField(_("excepción de elegibilidad"), default=False)
    exception_reason = models.TextField(_("fundamento de la excepción"), blank=True)
    exception_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("excepción autorizada por"),
    )

    psychologist = team_member(_("psicólogo/a"))
    social_worker = team_member(_("trabajador/a social"))
    occupational_therapist = team_member(_("terapeuta ocupacional"))
    followup_psychologist = team_member(_("psicólogo/a de monitoreo"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        # Home panels and lists ask for a professional's cases by status; reports by dates.
        indexes = [
            models.Index(fields=["status"], name="case_status"),
            models.Index(fields=["psychologist", "status"], name="case_psychologist_status"),
            models.Index(fields=["social_worker", "status"], name="case_social_worker_status"),
            models.Index(fields=["occupational_therapist", "status"], name="case_therapist_status"),
            models.Index(fields=["followup_psychologist", "status"], name="case_followup_status"),
            models.Index(fields=["admitted_on"], name="case_admitted_on"),
            models.Index(fields=["exited_on"], name="case_exited_on"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["participant", "number"], name="case_number_per_participant"),
            models.UniqueConstraint(
                fields=["participant"], condition=models.Q(status__in=UNFINISHED_STATUSES),
                name="one_unfinished_case_per_participant",
                violation_error_message=_("La persona ya tiene un ingreso sin cerrar."),
            ),
        ]
        verbose_name = _("caso")
        verbose_name_plural = _("casos")

    def __str__(self):
        return _("Ingreso %(number)s de %(name)s") % {
            "number": self.number, "name": self.participant.full_name,
        }

    def get_absolute_url(self):
        return reverse("participants:participant_detail", args=[self.participant_id]) + f"#caso-{self.pk}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_unfinished(self):
        return self.status in UNFINISHED_STATUSES

    def get_vulnerability_factors_display(self):
        labels = dict(self.VulnerabilityFactor.choices)
        return [labels.get(code, code) for code in self.vulnerability_factors]


class CaseStatusChange(models.Model):
    """One step of a case's timeline: from, to, when, who and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("estado anterior"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("nuevo estado"), max_length=20, choices=CaseStatus.choices)
    date = models.DateField(_("fecha"))
    reason = models.TextField(_("motivo"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsable")
    )
    recorded_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    class Meta:
        ordering = ["date", "recorded_at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Consent(VersionedModel):
    # `version` is the version of the signed document; the edit lock counts in `edit_version`.
    version_field = "edit_version"

    class Kind(models.TextChoices):
        DATA_PROTECTION = "data_protection", _("Consentimiento de tratamiento de datos (Ley 21.719)")
        SOCIAL_CONTRACT = "social_contract", _("Contrato social (deberes y derechos)")

    class Channel(models.TextChoices):
        PAPER = "paper", _("Firmado en papel")
        DIGITAL = "digital", _("Firma digital")
        VERBAL = "verbal", _("Verbal con testigo")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents",
        verbose_name=_("caso"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    version = models.CharField(_("versión del documento"), max_length=30)
    edit_version = models.PositiveIntegerField(default=0, editable=False)
    signed_on = models.DateField(_("fecha de firma"))
    channel = models.CharField(_("medio"), max_length=10, choices=Channel.choices, default=Channel.PAPER)
    file = models.FileField(_("copia firmada"), upload_to="consents/%Y/", blank=True)
    withdrawn_on = models.DateField(_("fecha de retiro"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("motivo del retiro"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def is_active(self):
        return self.withdrawn_on is None


class ReceivedDocument(models.Model):
    class DocumentType(models.TextChoices):
        ID_CARD = "id_card", _("Cédula de identidad")
        RSH = "rsh", _("Cartola del Registro Social de Hogares")
        RESIDENCE = "residence", _("Certificado de residencia")
        CV = "cv", _("Currículum")
        STUDIES = "studies", _("Certificado de estudios")
        CRIMINAL_RECORD = "criminal_record", _("Certificado de antecedentes")
        SENTENCE = "sentence", _("Sentencia o resolución judicial")
        REFERRAL_LETTER = "referral_letter", _("Oficio o carta de derivación")
        HEALTH = "health", _("Certificado de salud")
        OTHER = "other", _("Otro")

    # Kinds that reveal the justice situation, health, schooling or the household:
    # hidden from the receptionist, who sees identity and contact only.
    SENSITIVE_TYPES = frozenset({"criminal_record", "sentence", "referral_letter", "health", "studies", "rsh"})

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("tipo de documento"), max_length=20, choices=DocumentType.choices)
    received_on = models.DateField(_("fecha de recepción"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recibido por")
    )
    file = models.FileField(_("archivo"), upload_to="documents/%Y/", blank=True)
    notes = models.CharField(_("observaciones"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("documento recibido")
        verbose_name_plural = _("documentos recibidos")

    def __str__(self):
        return self.get_document_type_display()

    @property
    def is_sensitive(self):
        return self.document_type in self.SENSITIVE_TYPES


class PhoneFollowUp(models.Model):
    """A person the desk must call: a missed appointment, a workshop absence…

    One list shared by every app that produces absences; the source is a
    generic reference so `participants` needs to know nothing of those apps."""

    class Reason(models.TextChoices):
        APPOINTMENT_NO_SHOW = "appointment_no_show", _("No asistió a su cita")
        WORKSHOP_ABSENCE = "workshop_absence", _("Inasistencia a taller")
        TRAINING_ABSENCE = "training_absence", _("Inasistencia a capacitación")
        OTHER = "other", _("Otro motivo")

    class Status(models.TextChoices):
        OPEN = "open", _("Pendiente")
        DONE = "done", _("Resuelto")
        CANCELLED = "cancelled", _("Anulado")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phone_followups", verbose_name=_("caso"))
    reason = models.CharField(_("motivo"), max_length=24, choices=Reason.choices)
    # What was missed, in words the desk can say on the phone ("Cita con psicóloga, 12-11-2026 10:00").
    description = models.CharField(_("detalle"), max_length=300)
    missed_on = models.DateField(_("fecha de la inasistencia"))
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("resolución"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("creado"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    closed_at = models.DateTimeField(_("cerrado"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-missed_on", "-id"]
        indexes = [models.Index(fields=["status", "missed_on"], name="phonefollowup_status_missed"),
                   models.Index(fields=["closed_at"], name="phonefollowup_closed_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "reason"], name="one_followup_per_source",
                condition=models.Q(source_id__isnull=False),
            ),
        ]
        verbose_name = _("seguimiento telefónico")
        verbose_name_plural = _("seguimientos telefónicos")

    def __str__(self):
        return f"{self.get_reason_display()}: {self.description}"


class PhoneCall(models.Model):
    """One call made for a follow-up, whatever its outcome."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Contactado/a")
        MESSAGE_LEFT = "message_left", _("Se dejó mensaje")
        NO_ANSWER = "no_answer", _("No contesta")
        WRONG_NUMBER = "wrong_number", _("Número equivocado")
        RESCHEDULED = "rescheduled", _("Reagendado/a")

    followup = models.ForeignKey(PhoneFollowUp, on_delete=models.CASCADE, related_name="calls")
    called_at = models.DateTimeField(_("fecha y hora del llamado"))
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("llamó")
    )
    outcome = models.CharField(_("resultado"), max_length=16, choices=Outcome.choices)
    notes = models.CharField(_("observaciones"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-called_at", "-id"]
        verbose_name = _("llamado")
        verbose_name_plural = _("llamados")

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.called_at:%d-%m-%Y %H:%M})"
