import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AREAS = ("requests", "breaches", "privacy")


class DataProtectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = _("Protección de datos personales")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each area registers its role-home panels and menu entries; personal_data
        # registers the sections of people and cases (and of this register) in the export.
        for area in AREAS:
            importlib.import_module(f"dataprotection.panels.{area}")
        importlib.import_module("dataprotection.personal_data")
        importlib.import_module("dataprotection.checks")
