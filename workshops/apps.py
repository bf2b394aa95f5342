import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AREAS = ("workshops", "courses")


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Talleres y capacitación")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each area registers its role-home panels, case-file tabs and menu entries.
        for area in AREAS:
            importlib.import_module(f"workshops.panels.{area}")
        # Their sections and recipients in the access export (conecta/personal_data.py).
        importlib.import_module("workshops.personal_data")
        # Their identity and free-text fields, for the retention command (participants.retention).
        from workshops import anonymisation

        anonymisation.register()
