import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AREAS = ("assessments", "plans", "sessions", "agenda", "referrals")


class InterventionsConfig(AppConfig):
    name = "interventions"
    verbose_name = _("Intervenciones")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each area registers its role-home panels, case-file tabs and menu entries.
        for area in AREAS:
            importlib.import_module(f"interventions.panels.{area}")
        # Their sections and recipients in the access export (conecta/personal_data.py).
        importlib.import_module("interventions.personal_data")
        # Their identity and free-text fields, for the retention command (participants.retention).
        from interventions import anonymisation

        anonymisation.register()
