from django.db.models.signals import post_migrate
from django.dispatch import receiver

from conecta.permissions import sync_role_groups


@receiver(post_migrate)
def create_role_groups(sender, app_config=None, **kwargs):
    # Groups follow the role map on every migrate, so a fresh database has them.
    if app_config is not None and app_config.name == "conecta":
        sync_role_groups()
