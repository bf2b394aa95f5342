"""Access-matrix rows of the session pages."""

from django.urls import reverse

from conecta import permissions as p
from tests.roles import PROFESSIONALS, only


def build(objects):
    from interventions.tests.factories import AppointmentFactory, SessionFactory
    from participants.models import CaseStatus
    from participants.tests.factories import CaseFactory

    users = objects["users"]
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    return {
        "sessions_case": case,
        "sessions_session": SessionFactory(case=case, professional=users[p.PSYCHOLOGIST]),
        "sessions_appointment": AppointmentFactory(case=case, professional=users[p.SOCIAL_WORKER], area="social"),
        "sessions_other_appointment": AppointmentFactory(professional=users[p.SOCIAL_WORKER]),
    }


def _create(o, query=""):
    return reverse("interventions:session_create", args=[o["sessions_case"].pk]) + query


ROWS = [
    ("session_list", lambda o: reverse("interventions:session_list"), only(PROFESSIONALS), 302),
    ("session_list:bad-filters", lambda o: reverse("interventions:session_list") + "?date_from=ayer&area=x&page=zz",
     only(PROFESSIONALS), 302),
    ("session_create", _create, only(PROFESSIONALS), 302),
    ("session_create:from-appointment", lambda o: _create(o, f"?cita={o['sessions_appointment'].pk}"),
     only(PROFESSIONALS), 302),
    ("session_create:bad-appointment", lambda o: _create(o, "?cita=abc"), only(PROFESSIONALS), 302),
    # An appointment of another case is not found from this case.
    ("session_create:other-case-appointment", lambda o: _create(o, f"?cita={o['sessions_other_appointment'].pk}"),
     only(PROFESSIONALS, status=404), 302),
    ("session_detail", lambda o: reverse("interventions:session_detail", args=[o["sessions_session"].pk]),
     only(PROFESSIONALS), 302),
    # The author and the manager edit; other professionals see the session but may not change it.
    ("session_update", lambda o: reverse("interventions:session_update", args=[o["sessions_session"].pk]),
     only([p.MANAGER, p.PSYCHOLOGIST]), 302),
]
