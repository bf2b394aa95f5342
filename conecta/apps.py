from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConectaConfig(AppConfig):
    name = "conecta"
    verbose_name = _("Conecta")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conecta import signals  # noqa: F401  (registers the post_migrate hook)
        from conecta.accounts import signals as account_signals  # noqa: F401  (security log, password flag)

        _name_users_by_their_full_name()


def _name_users_by_their_full_name():
    """A team member is shown by name, not by login, wherever a user is turned into text: history
    diffs, «registrado por», choice lists, PDFs. Django's User prints its username and is not ours
    to subclass without a custom user model, so its __str__ is set here, once."""
    from django.contrib.auth.models import User

    def full_name_or_username(user):
        return user.get_full_name() or user.username

    User.__str__ = full_name_or_username
