"""Referral panels, the case-file tab «Derivaciones» and the menu entry."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.home import register_panel
from conecta.navigation import register_nav
from interventions.selectors import referrals as selectors
from interventions.services.referrals import REFERRABLE_CASE_STATUSES

register_nav(label=_("Derivaciones"), url_name="interventions:referral_list",
             allowed=permissions.can_manage_network, order=40, group=_("Intervención"))
register_nav(label=_("Red local (catastro de redes)"), url_name="institution_list",
             allowed=permissions.can_manage_network, order=41, group=_("Intervención"))

PANEL_LIMIT = 8


@register_panel(
    roles=[permissions.SOCIAL_WORKER, permissions.PSYCHOLOGIST, permissions.OCCUPATIONAL_THERAPIST],
    template="interventions/panels/_referrals.html", order=40,
)
def referrals_panel(*, request, role):
    """The social worker follows every referral; the others, the ones they made."""
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    owner = None if role == permissions.SOCIAL_WORKER else request.user
    waiting = selectors.annotate_waiting(list(selectors.waiting_for_answer(viewer=request.user, user=owner,
                                                                                limit=PANEL_LIMIT)), today=today)
    due = selectors.annotate_waiting(list(selectors.followups_due(viewer=request.user, user=owner, until=week_end,
                                                                        limit=PANEL_LIMIT)),
                                     today=today)
    return {"waiting": waiting, "due": due, "week_end": week_end, "mine_only": owner is not None,
            "limit": PANEL_LIMIT}


@register_tab(key="derivaciones", label=_("Derivaciones"), section=permissions.SECTION_REFERRALS,
              template="interventions/tabs/_referrals.html", order=60)
def referrals_tab(*, request, person, cases):
    referrals = selectors.referrals_of_cases(cases=cases)
    return {
        "referrals": referrals,
        "count": len(referrals),
        "cases": cases,
        "referrable_cases": [case for case in cases if case.status in REFERRABLE_CASE_STATUSES],
        "can_manage": permissions.can_manage_network(request.user),
    }
