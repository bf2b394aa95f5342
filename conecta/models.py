from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conecta.concurrency import VersionedModel
from conecta.permissions import SECTION_CHOICES
from conecta.phone import PhoneField


class Region(models.Model):
    code = models.CharField(_("código"), max_length=2, unique=True)
    name = models.CharField(_("nombre"), max_length=80)
    roman = models.CharField(_("número"), max_length=4)

    class Meta:
        ordering = ["code"]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")

    def __str__(self):
        return self.name


class Commune(models.Model):
    """A commune with its official code (Código Único Territorial, Decreto 1.115)."""

    code = models.CharField(_("código"), max_length=5, unique=True)
    name = models.CharField(_("nombre"), max_length=80)
    province_code = models.CharField(_("código de provincia"), max_length=3)
    province_name = models.CharField(_("provincia"), max_length=80)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="communes", verbose_name=_("región")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("comuna")
        verbose_name_plural = _("comunas")

    def __str__(self):
        return self.name


class Institution(VersionedModel):
    """A partner service of the local network (catastro comunal de redes)."""

    class Kind(models.TextChoices):
        JUSTICE = "justice", _("Justicia (Gendarmería, CRS, tribunales, Defensoría, Fiscalía)")
        HEALTH = "health", _("Salud")
        ADDICTION = "addiction", _("Tratamiento de alcohol y drogas")
        HOUSING = "housing", _("Vivienda")
        EMPLOYMENT = "employment", _("Empleo (OMIL)")
        TRAINING = "training", _("Capacitación (OTEC)")
        SOCIAL = "social", _("Protección social y municipio")
        EDUCATION = "education", _("Educación")
        COMMUNITY = "community", _("Organización comunitaria")
        OTHER = "other", _("Otra")

    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional")
        COMMUNAL = "communal", _("Comunal")
        OTHER = "other", _("Otro")

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    level = models.CharField(
        _("nivel"), max_length=20, choices=Level.choices, default=Level.COMMUNAL
    )
    contact_name = models.CharField(_("persona de contacto"), max_length=150, blank=True)
    phone = PhoneField(_("teléfono"), max_length=30, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    services = models.TextField(
        _("servicios y áreas"), blank=True,
        help_text=_("Qué ofrece la institución y en qué ámbitos coordina con el programa."),
    )
    has_agreement = models.BooleanField(_("tiene convenio"), default=False)
    agreement_detail = models.CharField(_("detalle del convenio"), max_length=300, blank=True)
    agreement_start = models.DateField(_("inicio del convenio"), null=True, blank=True)
    agreement_end = models.DateField(_("término del convenio"), null=True, blank=True)
    active = models.BooleanField(_("vigente"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self):
        return self.name


class ProgramSettings(VersionedModel):
    """The one program this installation serves (a single row, id=1)."""

    name = models.CharField(
        _("nombre del programa"), max_length=200, default="Conecta, Las Condes, Reinicia tu vida"
    )
    municipality = models.CharField(
        _("municipalidad"), max_length=200, default="Municipalidad de Las Condes"
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        verbose_name=_("comuna del programa"),
        help_text=_("Las personas deben residir en esta comuna para ser elegibles."),
    )
    address = models.CharField(_("dirección del centro"), max_length=200, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("edad mínima de ingreso"), default=18)
    # Ley 21.719 art. 12 and 16 (see CONECTA_PROCESSING_BASES in settings for the exceptions).
    require_consent_for_admission = models.BooleanField(
        _("exigir consentimiento de datos para ingresar"), default=True,
        help_text=_("Un caso pasa a diagnóstico o a intervención solo si la persona tiene un consentimiento de "
                    "tratamiento de datos vigente, o si la gestora autorizó el tratamiento con una base legal."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("configuración del programa")
        verbose_name_plural = _("configuración del programa")

    def __str__(self):
        return self.name

    @classmethod
    def load(cls):
        settings_row = cls.objects.select_related("commune").filter(pk=1).first()
        if settings_row is None:
            settings_row, _created = cls.objects.get_or_create(
                pk=1, defaults={"commune": Commune.objects.filter(code="13114").first()}
            )
        return settings_row

    @classmethod
    def for_request(cls, request):
        """The program row, read once per request (layout, eligibility, forms all need it)."""
        if not hasattr(request, "_conecta_program"):
            request._conecta_program = cls.load()
        return request._conecta_program


class TimelineStep(models.Model):
    """One dated step of something's status timeline: who moved it, when, with what note.

    Concrete steps add the foreign key to what moved and its `status` field."""

    date = models.DateField(_("fecha"))
    note = models.TextField(_("observación"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsable")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["date", "recorded_at", "id"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.date:%d-%m-%Y})"


class AccessLogQuerySet(models.QuerySet):
    def with_section(self, section):
        """Rows whose page showed `section` (sections are stored as a sorted comma list)."""
        return self.filter(models.Q(sections=section) | models.Q(sections__startswith=f"{section},")
                           | models.Q(sections__endswith=f",{section}") | models.Q(sections__contains=f",{section},"))


class AccessLog(models.Model):
    """Who looked at whose case file, when, and which of its sections the page showed:
    one row per page view (per person shown, for pages that list several)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("usuario")
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject_label = models.CharField(_("persona"), max_length=200)
    # Codes of conecta.permissions.SECTION_CHOICES, sorted, comma separated.
    sections = models.CharField(_("secciones"), max_length=300, default="")
    path = models.CharField(_("dirección"), max_length=300)
    at = models.DateTimeField(_("fecha y hora"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"])]
        verbose_name = _("registro de acceso")
        verbose_name_plural = _("registros de acceso")

    def __str__(self):
        return f"{self.user} · {self.subject_label} · {self.sections}"

    @staticmethod
    def join_sections(sections):
        known = {code for code, _label in SECTION_CHOICES}
        unknown = set(sections) - known
        if unknown:
            raise ValueError(f"Unknown access-log sections: {sorted(unknown)}")
        return ",".join(sorted(set(sections)))

    @property
    def section_list(self):
        return [code for code in self.sections.split(",") if code]

    def get_sections_display(self):
        labels = dict(SECTION_CHOICES)
        return [labels.get(code, code) for code in self.section_list]


# Role and account changes are part of the audit trail too.
from django.contrib.auth.models import User  # noqa: E402
from simple_history import register  # noqa: E402

register(User, app="conecta", table_name="conecta_historicaluser", excluded_fields=["password", "last_login"])


class AccountSecurity(models.Model):
    """Sign-in state of an account that Django's User has no field for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
        related_name="account_security", verbose_name=_("usuario"),
    )
    must_change_password = models.BooleanField(
        _("debe cambiar la contraseña"), default=False,
        help_text=_("La gestora fijó la contraseña: la persona debe cambiarla al ingresar."),
    )

    class Meta:
        verbose_name = _("seguridad de la cuenta")
        verbose_name_plural = _("seguridad de las cuentas")

    def __str__(self):
        return str(self.user)
