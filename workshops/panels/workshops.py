"""Role-home panels, case-file tab and menu entries of workshops."""

import datetime

from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.home import register_panel
from conecta.navigation import register_nav
from participants.models import CaseStatus
from workshops.models import Workshop
from workshops.selectors import workshops as selectors

FACILITATOR_ROLES = [permissions.MANAGER, permissions.PSYCHOLOGIST, permissions.SOCIAL_WORKER,
                     permissions.OCCUPATIONAL_THERAPIST]
PANEL_LIMIT = 10

register_nav(label=_("Talleres"), url_name="workshops:workshop_list", allowed=permissions.is_staff_member,
             order=40, group=_("Talleres"))
register_nav(label=_("Tipos de taller"), url_name="workshops:workshoptype_list", allowed=permissions.can_work_cases,
             order=41, group=_("Talleres"))


@register_panel(roles=[permissions.RECEPTIONIST], template="workshops/panels/_today.html", order=30)
def workshops_today(*, request, role):
    return {"sessions": list(selectors.sessions_on(date=datetime.date.today())[:PANEL_LIMIT])}


@register_panel(roles=FACILITATOR_ROLES, template="workshops/panels/_facilitator.html", order=40)
def my_workshops(*, request, role):
    mine = selectors.workshop_list(facilitator=request.user).filter(status__in=Workshop.OPEN_STATUSES)
    return {
        "workshops": selectors.with_rates(list(mine[:PANEL_LIMIT])),
        "today": list(selectors.sessions_on(date=datetime.date.today()).filter(workshop__facilitators=request.user)),
    }


@register_tab(key="talleres", label=_("Talleres"), section=permissions.SECTION_WORKSHOPS,
              template="workshops/panels/_casefile.html", order=60)
def case_file_workshops(*, request, person, cases):
    enrolments = selectors.case_workshops(cases=cases)
    can_work = permissions.can_work_cases(request.user)
    return {"enrolments": enrolments, "count": len(enrolments), "can_certify": can_work,
            # Only a case in intervention joins a workshop (workshops.services.workshops.enrolment_create).
            "enrol_case": next((c for c in cases if c.status == CaseStatus.INTERVENTION), None) if can_work else None}
