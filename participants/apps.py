from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participantes y casos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from participants import home  # noqa: F401  (registers the role-home panels)
        from participants import notices  # noqa: F401  (registers the processing banner)
        from participants.retention import register_core_fields

        register_core_fields()
