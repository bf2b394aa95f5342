"""The manager's home panel of deadlines, and the menu entries of the rights register."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.home import register_panel
from conecta.navigation import register_nav
from dataprotection.selectors import breaches as breach_selectors
from dataprotection.selectors import requests as selectors

GROUP = _("Protección de datos")
register_nav(label=_("Solicitudes de derechos"), url_name="dataprotection:rightsrequest_list",
             allowed=permissions.can_manage_rights_requests, order=90, group=GROUP)
register_nav(label=_("Registrar una solicitud de derechos"), url_name="dataprotection:rightsrequest_create",
             allowed=permissions.can_register_rights_request, order=91, group=GROUP)

PANEL_LIMIT = 8


@register_panel(roles=[permissions.MANAGER], template="dataprotection/panels/_deadlines.html", order=15)
def deadlines_panel(*, request, role):
    today = timezone.localdate()
    return {
        "pending": selectors.pending_deadlines(today=today, limit=PANEL_LIMIT),
        "counts": selectors.register_counts(today=today),
        "breaches": breach_selectors.breach_counts(),
        "today": today,
    }
