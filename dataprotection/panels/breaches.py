from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.navigation import register_nav
from dataprotection.panels.requests import GROUP

register_nav(label=_("Incidentes de seguridad"), url_name="dataprotection:breach_list",
             allowed=permissions.can_manage_breaches, order=92, group=GROUP)
