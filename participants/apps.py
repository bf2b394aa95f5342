from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participantes y casos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from participants import home  # noqa: F401  (registers the role-home panels)
