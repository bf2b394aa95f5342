from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from conecta import rut as rut_utils
from conecta.money import format_thousands
from conecta.notices import notices_for

register = template.Library()


@register.filter
def rut(value):
    """Stored RUT (12345678-5) → 12.345.678-5, kept on one line (a narrow column would break it
    at the hyphen and leave the check digit alone on the next)."""
    shown = rut_utils.display(value)
    return format_html('<span class="rut">{}</span>', shown) if shown else shown


@register.filter
def clp(value):
    """Whole pesos with dot thousands: 1234567 → $1.234.567."""
    if value in (None, ""):
        return ""
    return "$" + format_thousands(round(float(value)))


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """Link to another page of the current list, keeping its filters."""
    querystring = context.get("querystring", "")
    return f"?{querystring}&page={number}" if querystring else f"?page={number}"


STATUS_STYLES = {
    "applicant": "secondary",
    "diagnosis": "info",
    "intervention": "primary",
    "exited": "warning",
    "followup": "success",
    "closed": "dark",
    "not_admitted": "light",
}


@register.filter
def status_style(value):
    return STATUS_STYLES.get(str(value), "secondary")


@register.filter
def user_name(user):
    """Full name of a team member, else the username; a dash when there is none."""
    if not user:
        return "—"
    return user.get_full_name() or user.username


@register.simple_tag(takes_context=True)
def page_notices(context):
    """The notices the apps registered for this page (conecta.notices); each is rendered HTML."""
    return mark_safe("".join(notices_for(context)))
