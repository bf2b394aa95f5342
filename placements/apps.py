from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Inserción laboral")
    default_auto_field = "django.db.models.BigAutoField"
