from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def blocked_badge(person):
    """«Bloqueado desde dd-mm-aaaa» next to a blocked person's name (only the manager lists them)."""
    if person is None or getattr(person, "blocked_on", None) is None:
        return ""
    return format_html(' <span class="badge text-bg-dark">{}</span>',
                       _("Bloqueado desde %(date)s") % {"date": person.blocked_on.strftime("%d-%m-%Y")})
