from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.navigation import register_footer_link, register_nav
from dataprotection.panels.requests import GROUP

register_nav(label=_("Aviso de privacidad"), url_name="dataprotection:privacynotice_detail",
             allowed=permissions.is_staff_member, order=93, group=GROUP)
# On every page, the login page included: anyone may read it without an account.
register_footer_link(label=_("Aviso de privacidad"), url_name="dataprotection:privacynotice_detail")
