import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment, Area
from interventions.services import agenda as services
from interventions.tests.factories import AppointmentFactory
from participants.models import CaseStatus, PhoneFollowUp
from participants.services import DomainError
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
Status = Appointment.Status


def at(days=0, hour=10, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def case():
    return CaseFactory(status=CaseStatus.INTERVENTION)


def book(case, professional, actor, starts_at, minutes=45, area=Area.PSYCHOLOGICAL):
    return services.appointment_create(case=case, professional=professional, area=area,
                                       starts_at=starts_at, duration_minutes=minutes, purpose="Sesión", actor=actor)


def today_appointment(psychologist, receptionist, **kwargs):
    """An appointment earlier today (booked directly: the service refuses the past)."""
    return AppointmentFactory(professional=psychologist, created_by=receptionist,
                              starts_at=timezone.now() - datetime.timedelta(minutes=1), **kwargs)


def test_create_books_with_history(case, psychologist, receptionist):
    appointment = book(case, psychologist, receptionist, at(1))
    assert appointment.status == Status.SCHEDULED
    assert appointment.created_by == receptionist
    record = appointment.history.first()
    assert record.history_user == receptionist and record.history_change_reason == "Cita agendada"


def test_create_refuses_the_past_next_to_the_date(case, psychologist, receptionist):
    with pytest.raises(services.AgendaError) as error:
        book(case, psychologist, receptionist, timezone.now() - datetime.timedelta(minutes=5))
    assert error.value.field == "date"
    assert "pasado" in str(error.value)
    assert not Appointment.objects.exists()


def test_create_refuses_overlap_of_the_same_professional(case, psychologist, receptionist, role_users):
    book(case, psychologist, receptionist, at(1, 10), minutes=60)
    with pytest.raises(services.AgendaError) as error:
        book(CaseFactory(status=CaseStatus.DIAGNOSIS), psychologist, receptionist, at(1, 10, 30))
    assert error.value.field == "time"
    assert "10:00" in str(error.value) and "11:00" in str(error.value)
    # Back-to-back is fine, and another professional may take the same hour.
    book(case, psychologist, receptionist, at(1, 11))
    book(case, role_users[p.SOCIAL_WORKER], receptionist, at(1, 10, 30), area=Area.SOCIAL)
    # An earlier long appointment that runs into the slot also overlaps.
    with pytest.raises(services.AgendaError):
        book(case, psychologist, receptionist, at(1, 9), minutes=90)
    assert Appointment.objects.count() == 3


def test_cancelled_appointment_frees_the_slot(case, psychologist, receptionist):
    first = book(case, psychologist, receptionist, at(2))
    services.appointment_cancel(appointment=first, reason="La persona avisó que no puede", actor=receptionist)
    assert book(case, psychologist, receptionist, at(2)).status == Status.SCHEDULED


def test_create_refuses_closed_cases_and_non_professionals(psychologist, receptionist):
    with pytest.raises(services.AgendaError) as error:
        book(CaseFactory(status=CaseStatus.CLOSED), psychologist, receptionist, at(1))
    assert error.value.field == "case"
    book(CaseFactory(status=CaseStatus.FOLLOWUP), psychologist, receptionist, at(1))
    with pytest.raises(services.AgendaError) as error:
        book(CaseFactory(status=CaseStatus.INTERVENTION), receptionist, receptionist, at(3))
    assert error.value.field == "professional"


def test_reschedule_links_old_and_new(case, psychologist, receptionist):
    old = book(case, psychologist, receptionist, at(1, 10))
    # Moving half an hour later overlaps only the appointment being moved: allowed.
    new = services.appointment_reschedule(appointment=old, starts_at=at(1, 10, 30), reason="Pidió más tarde",
                                          actor=receptionist)
    old.refresh_from_db()
    assert old.status == Status.RESCHEDULED and old.rescheduled_to == new
    assert old.cancel_reason == "Pidió más tarde"
    assert new.status == Status.SCHEDULED and new.case == case and new.purpose == "Sesión"
    assert new.rescheduled_from == old
    with pytest.raises(services.AgendaError):
        services.appointment_reschedule(appointment=old, starts_at=at(2), reason="otra vez", actor=receptionist)


def test_reschedule_needs_reason_and_a_free_future_slot(case, psychologist, receptionist):
    appointment = book(case, psychologist, receptionist, at(1, 10))
    book(case, psychologist, receptionist, at(1, 15))
    with pytest.raises(services.AgendaError) as error:
        services.appointment_reschedule(appointment=appointment, starts_at=at(1, 12), reason="  ", actor=receptionist)
    assert error.value.field == "reason"
    with pytest.raises(services.AgendaError) as error:
        services.appointment_reschedule(appointment=appointment, starts_at=at(1, 15, 15), reason="x",
                                        actor=receptionist)
    assert error.value.field == "time"
    with pytest.raises(services.AgendaError):
        services.appointment_reschedule(appointment=appointment, starts_at=at(-1), reason="x", actor=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == Status.SCHEDULED
    assert Appointment.objects.count() == 2


def test_cancel_needs_reason_and_only_once(case, psychologist, receptionist):
    appointment = book(case, psychologist, receptionist, at(1))
    with pytest.raises(services.AgendaError):
        services.appointment_cancel(appointment=appointment, reason="", actor=receptionist)
    services.appointment_cancel(appointment=appointment, reason="Enfermedad", actor=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and appointment.cancel_reason == "Enfermedad"
    with pytest.raises(DomainError):
        services.appointment_cancel(appointment=appointment, reason="otra", actor=receptionist)


def test_check_in_and_undo(psychologist, receptionist):
    appointment = today_appointment(psychologist, receptionist)
    services.appointment_check_in(appointment=appointment, actor=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == Status.ARRIVED
    assert appointment.checked_in_by == receptionist and appointment.checked_in_at is not None
    assert appointment.arrival_seen_at is None
    with pytest.raises(services.AgendaError):
        services.appointment_check_in(appointment=appointment, actor=receptionist)
    services.appointment_undo(appointment=appointment, actor=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == Status.SCHEDULED
    assert appointment.checked_in_at is None and appointment.checked_in_by is None
    with pytest.raises(services.AgendaError):
        services.appointment_undo(appointment=appointment, actor=receptionist)


def test_check_in_only_on_the_day(case, psychologist, receptionist):
    appointment = book(case, psychologist, receptionist, at(2))
    with pytest.raises(services.AgendaError):
        services.appointment_check_in(appointment=appointment, actor=receptionist)


def test_no_show_opens_one_phone_followup(psychologist, receptionist):
    appointment = today_appointment(psychologist, receptionist)
    services.appointment_mark_no_show(appointment=appointment, actor=receptionist)
    with pytest.raises(services.AgendaError):
        services.appointment_mark_no_show(appointment=appointment, actor=receptionist)
    followups = PhoneFollowUp.objects.filter(reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW)
    assert followups.count() == 1
    followup = followups.get()
    assert followup.status == PhoneFollowUp.Status.OPEN and followup.case == appointment.case
    assert followup.missed_on == timezone.localtime(appointment.starts_at).date()
    # Undo, then absent again: still the same single entry, open again.
    services.appointment_undo(appointment=appointment, actor=receptionist)
    followup.refresh_from_db()
    assert followup.status == PhoneFollowUp.Status.CANCELLED
    services.appointment_mark_no_show(appointment=appointment, actor=receptionist)
    assert followups.count() == 1
    assert followups.get().status == PhoneFollowUp.Status.OPEN


def test_late_arrival_after_no_show_drops_the_call(psychologist, receptionist):
    appointment = today_appointment(psychologist, receptionist)
    services.appointment_mark_no_show(appointment=appointment, actor=receptionist)
    services.appointment_check_in(appointment=appointment, actor=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == Status.ARRIVED
    assert PhoneFollowUp.objects.get().status == PhoneFollowUp.Status.CANCELLED


def test_no_show_refused_before_the_appointment(case, psychologist, receptionist):
    appointment = book(case, psychologist, receptionist, at(1))
    with pytest.raises(services.AgendaError):
        services.appointment_mark_no_show(appointment=appointment, actor=receptionist)
    assert not PhoneFollowUp.objects.exists()


def test_arrival_seen_only_by_its_professional(psychologist, receptionist, role_users):
    appointment = today_appointment(psychologist, receptionist)
    services.appointment_check_in(appointment=appointment, actor=receptionist)
    with pytest.raises(services.AgendaError):
        services.appointment_arrival_seen(appointment=appointment, actor=role_users[p.SOCIAL_WORKER])
    services.appointment_arrival_seen(appointment=appointment, actor=psychologist)
    appointment.refresh_from_db()
    assert appointment.arrival_seen_at is not None


def test_attended_after_arrival(case, psychologist, receptionist):
    appointment = today_appointment(psychologist, receptionist)
    services.appointment_check_in(appointment=appointment, actor=receptionist)
    services.appointment_mark_attended(appointment=appointment, actor=psychologist)
    appointment.refresh_from_db()
    assert appointment.status == Status.ATTENDED
    future = book(case, psychologist, receptionist, at(3))
    with pytest.raises(services.AgendaError):
        services.appointment_mark_attended(appointment=future, actor=psychologist)


def test_reminder_sends_mail_and_records_it(case, psychologist, receptionist, mailoutbox):
    person = case.participant
    person.email = "persona@example.com"
    person.save()
    appointment = book(case, psychologist, receptionist, at(1, 11, 30))
    services.appointment_send_reminder(appointment=appointment, actor=receptionist)
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["persona@example.com"]
    assert "Recordatorio" in message.subject
    assert "11:30" in message.body and at(1).strftime("%d-%m-%Y") in message.body


def test_reminder_refused_without_email(case, psychologist, receptionist, mailoutbox):
    case.participant.email = ""
    case.participant.save()
    appointment = book(case, psychologist, receptionist, at(1))
    with pytest.raises(services.AgendaError):
        services.appointment_send_reminder(appointment=appointment, actor=receptionist)
    assert mailoutbox == []


def test_send_reminders_command_for_tomorrow(psychologist, receptionist, mailoutbox, capsys):
    with_email = CaseFactory(status=CaseStatus.INTERVENTION, participant__email="a@example.com")
    without = CaseFactory(status=CaseStatus.INTERVENTION, participant__email="")
    book(with_email, psychologist, receptionist, at(1, 9))
    book(without, psychologist, receptionist, at(1, 12))
    book(with_email, psychologist, receptionist, at(2, 9))  # the day after: not yet
    call_command("send_reminders")
    assert len(mailoutbox) == 1
    assert "1 enviados, 1 sin correo" in capsys.readouterr().out
    call_command("send_reminders")  # already sent: nothing twice
    assert len(mailoutbox) == 1
