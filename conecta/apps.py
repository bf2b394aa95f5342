from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConectaConfig(AppConfig):
    name = "conecta"
    verbose_name = _("Conecta")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conecta import lookups  # noqa: F401  (integer `__in` that ignores out-of-range ids)
        from conecta import signals  # noqa: F401  (registers the post_migrate hook)
        from conecta.accounts import signals as account_signals  # noqa: F401  (security log, password flag)
