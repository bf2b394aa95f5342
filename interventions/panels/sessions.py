"""Sessions: case-file tab and menu entry."""

from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.navigation import register_nav
from interventions.selectors import sessions as selectors
from interventions.services.sessions import SESSION_CASE_STATUSES

register_nav(label=_("Mis sesiones"), url_name="interventions:session_list", allowed=permissions.can_work_cases,
             order=40, group=_("Intervención"))


@register_tab(key="sesiones", label=_("Sesiones"), section=permissions.SECTION_SESSIONS,
              template="interventions/tabs/_sessions.html", order=45)
def sessions_tab(*, request, person, cases):
    sessions = selectors.sessions_for_cases(cases=cases)
    for session in sessions:
        session.readable = permissions.can_read_session_content(request.user, session)
    can_log = permissions.can_work_cases(request.user)
    return {
        "sessions": sessions,
        "loggable": [c for c in cases if can_log and c.status in SESSION_CASE_STATUSES],
        "count": len(sessions),
    }
