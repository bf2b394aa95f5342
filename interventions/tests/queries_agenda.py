"""Agenda list pages: the same number of queries for 2 rows and for 30."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment
from interventions.tests.factories import AppointmentFactory
from participants.models import PhoneCall, PhoneFollowUp
from participants.services import phone_call_log, phone_followup_open


def _today_at(minutes):
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(8, 0)))
    return start + datetime.timedelta(minutes=minutes)


def add_appointments(role_of_professional, statuses=(Appointment.Status.SCHEDULED,)):
    def add(users, n):
        offset = Appointment.objects.count()
        for i in range(n):
            status = statuses[i % len(statuses)]
            AppointmentFactory(
                professional=users[role_of_professional], created_by=users[p.RECEPTIONIST],
                starts_at=_today_at((offset + i) * 15), status=status,
                checked_in_at=timezone.now() if status == Appointment.Status.ARRIVED else None,
                checked_in_by=users[p.RECEPTIONIST] if status == Appointment.Status.ARRIVED else None,
            )
    return add


def add_followups(users, n):
    desk = users[p.RECEPTIONIST]
    for i in range(n):
        appointment = AppointmentFactory(professional=users[p.SOCIAL_WORKER], created_by=desk,
                                         starts_at=timezone.now() - datetime.timedelta(days=1, minutes=i),
                                         status=Appointment.Status.NO_SHOW)
        followup = phone_followup_open(case=appointment.case, reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW,
                                       description=f"Cita {i}", missed_on=appointment.starts_at.date(),
                                       actor=desk, source=appointment)
        for _call in range(i % 3):
            phone_call_log(followup=followup, actor=desk, outcome=PhoneCall.Outcome.NO_ANSWER)


MIXED = (Appointment.Status.SCHEDULED, Appointment.Status.ARRIVED, Appointment.Status.ATTENDED,
         Appointment.Status.NO_SHOW)

QUERY_PAGES = [
    ("agenda-week", p.PSYCHOLOGIST, lambda users: reverse("interventions:agenda_week"),
     add_appointments(p.PSYCHOLOGIST, MIXED)),
    ("agenda-day-desk", p.RECEPTIONIST,
     lambda users: reverse("interventions:agenda_day") + f"?profesional={users[p.SOCIAL_WORKER].pk}",
     add_appointments(p.SOCIAL_WORKER, MIXED)),
    ("agenda-reception", p.RECEPTIONIST, lambda users: reverse("interventions:reception"),
     add_appointments(p.PSYCHOLOGIST, MIXED)),
    ("agenda-reception-professional", p.PSYCHOLOGIST, lambda users: reverse("interventions:reception"),
     add_appointments(p.PSYCHOLOGIST, MIXED)),
    ("agenda-phonefollowups", p.RECEPTIONIST, lambda users: reverse("interventions:phonefollowup_list"),
     add_followups),
    ("agenda-home-psychologist", p.PSYCHOLOGIST, lambda users: reverse("role_home", args=[p.PSYCHOLOGIST]),
     add_appointments(p.PSYCHOLOGIST, MIXED)),
    ("agenda-home-receptionist", p.RECEPTIONIST, lambda users: reverse("role_home", args=[p.RECEPTIONIST]),
     add_appointments(p.PSYCHOLOGIST, MIXED)),
    ("agenda-arrival-notices", p.PSYCHOLOGIST, lambda users: reverse("interventions:arrival_notices"),
     add_appointments(p.PSYCHOLOGIST, (Appointment.Status.ARRIVED,))),
]
