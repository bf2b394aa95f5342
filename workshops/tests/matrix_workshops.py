"""Access-matrix rows of workshops (collected by tests/test_access_matrix.py)."""

from django.urls import reverse

from conecta import permissions as p
from tests.roles import PROFESSIONALS, everyone, only


def build(objects):
    from workshops.tests.factories import enrol, finished_workshop_with_certificate, make_workshop

    actor = objects["users"][p.PSYCHOLOGIST]
    workshop = make_workshop(actor=actor)
    enrolment = enrol(workshop, actor=actor)
    _finished, certified, not_certified = finished_workshop_with_certificate(actor=actor)
    return {
        "ws_workshop": workshop, "ws_session": workshop.sessions.order_by("number").first(),
        "ws_enrolment": enrolment, "ws_certified": certified, "ws_not_certified": not_certified,
    }


def _url(name, key=None):
    return lambda o: reverse(f"workshops:{name}", args=[o[key].pk] if key else [])


ROWS = [
    ("workshop_list", _url("workshop_list"), everyone(), 302),
    ("workshop_create", _url("workshop_create"), only(PROFESSIONALS), 302),
    ("workshop_detail", _url("workshop_detail", "ws_workshop"), everyone(), 302),
    ("workshop_detail:missing", lambda o: reverse("workshops:workshop_detail", args=[999999]), everyone(404), 302),
    ("workshop_update", _url("workshop_update", "ws_workshop"), only(PROFESSIONALS), 302),
    # POST only: professionals' GET gets 405, the desk 403.
    ("workshop_status", _url("workshop_status", "ws_workshop"), only(PROFESSIONALS, status=405), 302),
    ("workshop_enrol", _url("workshop_enrol", "ws_workshop"), only(PROFESSIONALS), 302),
    # From the case file: the desk never enrols (nor learns which cases exist).
    ("workshop_enrol_case", _url("workshop_enrol_case", "case"), only(PROFESSIONALS), 302),
    ("workshop_enrol_case:missing", lambda o: reverse("workshops:workshop_enrol_case", args=[999999]),
     only(PROFESSIONALS, status=404), 302),
    ("workshop_withdraw", _url("workshop_withdraw", "ws_enrolment"), only(PROFESSIONALS), 302),
    ("workshop_certificate", _url("workshop_certificate", "ws_certified"), only(PROFESSIONALS), 302),
    # No certificate was issued for this enrolment: nothing to print.
    ("workshop_certificate:none", _url("workshop_certificate", "ws_not_certified"), only(PROFESSIONALS, status=404), 302),
    ("workshop_certificate_issue", _url("workshop_certificate_issue", "ws_enrolment"),
     only(PROFESSIONALS, status=405), 302),
    ("workshop_certificate_verify", lambda o: reverse("workshops:workshop_certificate_verify")
     + f"?codigo={o['ws_certified'].certificate_code}", everyone(), 302),
    ("workshop_session_update", _url("workshop_session_update", "ws_session"), only(PROFESSIONALS), 302),
    # The desk takes attendance and prints the signature sheet.
    ("workshop_attendance", _url("workshop_attendance", "ws_session"), everyone(), 302),
    ("workshop_attendance:missing", lambda o: reverse("workshops:workshop_attendance", args=[999999]),
     everyone(404), 302),
    ("workshop_attendance_sheet", _url("workshop_attendance_sheet", "ws_session"), everyone(), 302),
    ("workshoptype_list", _url("workshoptype_list"), only(PROFESSIONALS), 302),
    ("workshoptype_create", _url("workshoptype_create"), only([p.MANAGER]), 302),
    ("workshoptype_update", lambda o: reverse("workshops:workshoptype_update", args=[o["ws_workshop"].workshop_type_id]),
     only([p.MANAGER]), 302),
]
