"""Access-matrix rows of the agenda, reception desk and phone follow-up pages."""

from django.urls import reverse

from conecta import permissions as p
from participants.models import PhoneFollowUp
from participants.services import phone_followup_open
from tests.roles import PROFESSIONALS, everyone, only


def build(objects):
    from interventions.tests.factories import AppointmentFactory

    appointment = AppointmentFactory(case=objects["case"], professional=objects["users"][p.PSYCHOLOGIST])
    followup = phone_followup_open(case=objects["case"], reason=PhoneFollowUp.Reason.OTHER,
                                   description="Llamar para confirmar datos", missed_on=appointment.starts_at.date(),
                                   actor=objects["users"][p.RECEPTIONIST])
    return {"agenda_appointment": appointment, "agenda_followup": followup}


def _appt(name):
    return lambda o: reverse(f"interventions:{name}", args=[o["agenda_appointment"].pk])


ROWS = [
    ("agenda_day", lambda o: reverse("interventions:agenda_day"), everyone(), 302),
    ("agenda_week", lambda o: reverse("interventions:agenda_week"), everyone(), 302),
    ("appointment_create", lambda o: reverse("interventions:appointment_create"), everyone(), 302),
    ("appointment_detail", _appt("appointment_detail"), everyone(), 302),
    ("appointment_reschedule", _appt("appointment_reschedule"), everyone(), 302),
    ("appointment_cancel", _appt("appointment_cancel"), everyone(), 302),
    # POST only: GET is refused with 405 for those allowed, 403 for the rest.
    ("appointment_check_in", _appt("appointment_check_in"), everyone(405), 302),
    ("appointment_no_show", _appt("appointment_no_show"), everyone(405), 302),
    ("appointment_undo", _appt("appointment_undo"), everyone(405), 302),
    ("appointment_reminder", _appt("appointment_reminder"), everyone(405), 302),
    ("appointment_attended", _appt("appointment_attended"), only(PROFESSIONALS, status=405), 302),
    ("reception", lambda o: reverse("interventions:reception"), everyone(), 302),
    ("arrival_notices", lambda o: reverse("interventions:arrival_notices"), only(PROFESSIONALS), 302),
    ("arrival_seen", _appt("arrival_seen"), only(PROFESSIONALS, status=405), 302),
    ("phonefollowup_list", lambda o: reverse("interventions:phonefollowup_list"), everyone(), 302),
    ("phonefollowup_call",
     lambda o: reverse("interventions:phonefollowup_call", args=[o["agenda_followup"].pk]), everyone(), 302),
]
