from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The three areas of individual work (seed 000 §2, Plan de Intervención Individual)."""

    PSYCHOLOGICAL = "psychological", _("Psicológica")
    SOCIAL = "social", _("Social")
    OCCUPATIONAL = "occupational", _("Ocupacional")


class Modality(models.TextChoices):
    CENTRE = "centre", _("En el centro")
    HOME_VISIT = "home_visit", _("Visita domiciliaria")
    PHONE = "phone", _("Telefónica")
    VIDEO = "video", _("Videollamada")
    FIELD = "field", _("En terreno")
