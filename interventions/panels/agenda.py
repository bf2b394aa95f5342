"""Role-home panels, case-file tab and menu entries of the agenda."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.home import register_panel
from conecta.navigation import register_nav, register_page_include
from interventions.selectors import agenda as selectors
from interventions.services.agenda import BOOKABLE_CASE_STATUSES

AGENDA_ROLES = [
    permissions.PSYCHOLOGIST, permissions.SOCIAL_WORKER, permissions.OCCUPATIONAL_THERAPIST,
    permissions.FOLLOWUP_PSYCHOLOGIST, permissions.MANAGER,
]

register_nav(label=_("Agenda"), url_name="interventions:agenda_day", allowed=permissions.can_manage_agenda,
             order=30, group=_("Agenda"))
register_nav(label=_("Recepción"), url_name="interventions:reception", allowed=permissions.can_manage_agenda,
             order=31, group=_("Agenda"))
register_nav(label=_("Llamadas pendientes"), url_name="interventions:phonefollowup_list",
             allowed=permissions.can_manage_agenda, order=32, group=_("Agenda"))
# Professionals hear of arrivals on whatever page they have open.
register_page_include(template="interventions/_arrival_notices.html", allowed=permissions.can_see_sensitive)


@register_panel(roles=AGENDA_ROLES, template="interventions/panels/_agenda_today.html", order=5)
def appointments_today(*, request, role):
    appointments = list(selectors.today_for(user=request.user))
    return {"appointments": appointments, "today": timezone.localdate(),
            "arrived": sum(1 for a in appointments if a.status == a.Status.ARRIVED)}


@register_panel(roles=[permissions.RECEPTIONIST], template="interventions/panels/_agenda_reception.html", order=5)
def reception_today(*, request, role):
    today = timezone.localdate()
    counts = selectors.reception_summary(day=today)
    Status = selectors.Status
    return {
        "today": today,
        "expected": sum(counts.get(s, 0) for s in selectors.STANDING_STATUSES),
        "waiting": counts.get(Status.SCHEDULED, 0),
        "arrived": counts.get(Status.ARRIVED, 0) + counts.get(Status.ATTENDED, 0),
        "no_show": counts.get(Status.NO_SHOW, 0),
        "open_followups": selectors.open_followup_count(),
    }


@register_tab(key="citas", label=_("Citas"), section=permissions.SECTION_APPOINTMENTS,
              template="interventions/tabs/_appointments.html", order=40)
def appointments_tab(*, request, person, cases):
    now = timezone.now()
    appointments = list(selectors.appointments_of_person(person=person))
    upcoming = sorted((a for a in appointments if a.starts_at >= now), key=lambda a: a.starts_at)
    past = [a for a in appointments if a.starts_at < now]
    can_book = permissions.can_manage_agenda(request.user)
    return {
        "count": len(appointments),
        "can_book": can_book,
        "bookable": [c for c in cases if c.status in BOOKABLE_CASE_STATUSES] if can_book else [],
        "groups": [(_("Próximas citas"), upcoming, _("No tiene citas próximas.")),
                   (_("Citas anteriores"), past, _("No tiene citas anteriores."))],
    }
