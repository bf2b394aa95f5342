import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment
from interventions.services import agenda as services
from interventions.tests.factories import AppointmentFactory
from participants.models import CaseStatus, PhoneCall, PhoneFollowUp
from participants.services import phone_call_log, phone_followup_open
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
Status = Appointment.Status
JSON = {"HTTP_ACCEPT": "application/json"}


def earlier_today(professional, desk, **kwargs):
    return AppointmentFactory(professional=professional, created_by=desk,
                              starts_at=timezone.now() - datetime.timedelta(minutes=2), **kwargs)


def create_data(case, professional, day, time="10:00", **extra):
    data = {"case": case.pk, "professional": professional.pk, "area": "psychological", "date": str(day),
            "time": time, "duration_minutes": 45, "modality": "centre", "kind": "intake",
            "purpose": "Entrevista de ingreso"}
    data.update(extra)
    return data


def test_create_appointment(client_for, receptionist, psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    client = client_for(receptionist)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(reverse("interventions:appointment_create"), create_data(case, psychologist, tomorrow))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.professional == psychologist and appointment.created_by == receptionist
    assert f"profesional={psychologist.pk}" in response["Location"]


def test_create_errors_next_to_their_fields_keep_input(client_for, receptionist, psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    client = client_for(receptionist)
    url = reverse("interventions:appointment_create")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, create_data(case, psychologist, yesterday))
    assert response.status_code == 200
    assert "La cita no puede quedar en el pasado." in response.context["form"].errors["date"]
    assert "Entrevista de ingreso" in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(url, create_data(case, psychologist, tomorrow))
    response = client.post(url, create_data(case, psychologist, tomorrow, time="10:15"))
    assert "se superpone" in response.context["form"].errors["time"][0]
    response = client.post(url, create_data(case, psychologist, "no-es-fecha", time="25:99", duration_minutes="x"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"date", "time", "duration_minutes"}
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize("query", [
    "", "?caso=abc&profesional=zz&fecha=2026-99-99", "?caso=999999&profesional=999999",
    "?caso=" + "9" * 40, "?fecha=2026-02-30",
])
def test_pages_survive_weird_parameters(client_for, receptionist, psychologist, query):
    client = client_for(receptionist)
    for name in ("appointment_create", "agenda_day", "agenda_week"):
        assert client.get(reverse(f"interventions:{name}") + query).status_code == 200
    response = client.get(reverse("interventions:phonefollowup_list") + "?estado=raro&page=-4")
    assert response.status_code == 200


def test_agenda_defaults_to_the_professional_and_navigates(client_for, psychologist, receptionist, role_users):
    mine = AppointmentFactory(professional=psychologist, created_by=receptionist, purpose="Mi cita de hoy",
                              starts_at=timezone.now() + datetime.timedelta(minutes=5))
    AppointmentFactory(professional=role_users[p.SOCIAL_WORKER], created_by=receptionist, purpose="Cita ajena",
                       starts_at=timezone.now() + datetime.timedelta(minutes=5))
    client = client_for(psychologist)
    content = client.get(reverse("interventions:agenda_day") + f"?fecha={timezone.localdate():%Y-%m-%d}") \
        .content.decode()
    if timezone.localtime(mine.starts_at).date() == timezone.localdate():
        assert "Mi cita de hoy" in content and "Cita ajena" not in content
    response = client.get(reverse("interventions:agenda_week"))
    assert response.context["professional"] == psychologist
    day = datetime.date(2026, 3, 4)  # a Wednesday
    response = client.get(reverse("interventions:agenda_week") + f"?fecha={day}")
    assert response.context["start"] == datetime.date(2026, 3, 2)
    assert "fecha=2026-02-23" in response.context["prev_url"]
    assert "fecha=2026-03-09" in response.context["next_url"]
    response = client.get(reverse("interventions:agenda_day") + f"?fecha={day}")
    assert "fecha=2026-03-03" in response.context["prev_url"]
    # The desk is no professional: it lands on the first professional's agenda.
    response = client_for(receptionist).get(reverse("interventions:agenda_day"))
    assert response.context["professional"] is not None
    assert response.context["professional"] != receptionist


def test_session_link_from_arrived_appointment(client_for, psychologist, receptionist):
    appointment = earlier_today(psychologist, receptionist)
    services.appointment_check_in(appointment=appointment, actor=receptionist)
    content = client_for(psychologist).get(reverse("interventions:appointment_detail", args=[appointment.pk])) \
        .content.decode()
    expected = reverse("interventions:session_create", args=[appointment.case_id]) + f"?cita={appointment.pk}"
    assert expected in content
    desk = client_for(receptionist).get(reverse("interventions:reception")).content.decode()
    assert expected not in desk  # the desk does not write sessions


def test_check_in_json_updates_the_row(client_for, psychologist, receptionist):
    appointment = earlier_today(psychologist, receptionist)
    client = client_for(receptionist)
    url = reverse("interventions:appointment_check_in", args=[appointment.pk])
    response = client.post(url, {"version": appointment.version}, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] and data["status"] == "arrived" and data["status_label"] == "Llegó"
    assert f'id="cita-{appointment.pk}"' in data["row_html"]
    assert reverse("interventions:appointment_undo", args=[appointment.pk]) in data["row_html"]
    # A second check-in is refused with a message, not a 500.
    appointment.refresh_from_db()
    response = client.post(url, {"version": appointment.version}, **JSON)
    assert response.status_code == 409 and "Llegó" in response.json()["message"]


def test_check_in_without_javascript_redirects_back(client_for, psychologist, receptionist):
    appointment = earlier_today(psychologist, receptionist)
    client = client_for(receptionist)
    response = client.post(reverse("interventions:appointment_check_in", args=[appointment.pk]),
                           {"next": reverse("interventions:reception"), "version": appointment.version})
    assert response.status_code == 302 and response["Location"] == reverse("interventions:reception")
    appointment.refresh_from_db()
    response = client.post(reverse("interventions:appointment_check_in", args=[appointment.pk]),
                           {"next": "https://evil.example/", "version": appointment.version})
    assert response["Location"] == reverse("interventions:reception")
    page = client.get(reverse("interventions:reception"))
    assert "No se puede registrar la llegada" in page.content.decode()


def test_no_show_and_undo_from_the_desk(client_for, psychologist, receptionist):
    appointment = earlier_today(psychologist, receptionist)
    client = client_for(receptionist)
    no_show = reverse("interventions:appointment_no_show", args=[appointment.pk])
    client.post(no_show, {"version": appointment.version}, **JSON)
    appointment.refresh_from_db()
    client.post(no_show, {"version": appointment.version}, **JSON)
    assert PhoneFollowUp.objects.filter(status=PhoneFollowUp.Status.OPEN).count() == 1
    response = client.post(reverse("interventions:appointment_undo", args=[appointment.pk]),
                           {"version": appointment.version}, **JSON)
    assert response.json()["status"] == "scheduled"
    assert not PhoneFollowUp.objects.filter(status=PhoneFollowUp.Status.OPEN).exists()


def test_reception_lists_today_without_justice_data(client_for, psychologist, receptionist):
    case = CaseFactory(status=CaseStatus.INTERVENTION, offences="Texto judicial reservado")
    AppointmentFactory(case=case, professional=psychologist, created_by=receptionist,
                       starts_at=timezone.now() - datetime.timedelta(minutes=1), purpose="Entrevista")
    AppointmentFactory(professional=psychologist, created_by=receptionist, purpose="Mañana",
                       starts_at=timezone.now() + datetime.timedelta(days=1, hours=1))
    content = client_for(receptionist).get(reverse("interventions:reception")).content.decode()
    assert case.participant.display_name in content and "Atención psicológica" in content
    assert "Entrevista" not in content  # the free-text reason is for the professionals
    assert "Mañana" not in content
    assert "Texto judicial reservado" not in content
    assert 'aria-live="polite"' in content and "js/reception.js" in content


def test_arrival_notice_endpoint(client_for, psychologist, receptionist, role_users):
    appointment = earlier_today(psychologist, receptionist)
    services.appointment_check_in(appointment=appointment, actor=receptionist)
    client = client_for(psychologist)
    notices = client.get(reverse("interventions:arrival_notices")).json()["notices"]
    assert len(notices) == 1
    assert appointment.case.participant.display_name in notices[0]["message"]
    assert "llegó a las" in notices[0]["message"]
    assert client_for(role_users[p.SOCIAL_WORKER]).get(reverse("interventions:arrival_notices")).json()["notices"] == []
    seen_url = notices[0]["seen_url"]
    assert client_for(role_users[p.SOCIAL_WORKER]).post(seen_url, **JSON).status_code == 403
    client = client_for(psychologist)
    assert client.post(seen_url, **JSON).json() == {"ok": True}
    assert client.get(reverse("interventions:arrival_notices")).json()["notices"] == []


def test_arrival_endpoints_refuse_the_desk_and_anonymous(client, client_for, receptionist):
    url = reverse("interventions:arrival_notices")
    assert client.get(url).status_code == 302
    assert client_for(receptionist).get(url).status_code == 403


def test_base_layout_polls_arrivals_for_professionals_only(client_for, psychologist, receptionist):
    home = client_for(psychologist).get(reverse("participants:participant_list")).content.decode()
    assert "js/arrivals.js" in home and 'id="arrival-notices"' in home
    desk = client_for(receptionist).get(reverse("participants:participant_list")).content.decode()
    assert "js/arrivals.js" not in desk


def test_reschedule_and_cancel_pages(client_for, psychologist, receptionist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=2),
                                                          datetime.time(10)))
    appointment = services.appointment_create(case=case, professional=psychologist, area="psychological",
                                              starts_at=start, actor=receptionist)
    client = client_for(receptionist)
    url = reverse("interventions:appointment_reschedule", args=[appointment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"professional": psychologist.pk, "date": start.date().isoformat(), "time": "12:00",
                                 "duration_minutes": 45, "reason": "", "version": appointment.version})
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"professional": psychologist.pk, "date": start.date().isoformat(), "time": "12:00",
                                 "duration_minutes": 45, "reason": "Trabajo", "version": appointment.version})
    new = Appointment.objects.get(status=Status.SCHEDULED)
    assert response["Location"] == reverse("interventions:appointment_detail", args=[new.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Reagendada desde" in detail
    response = client.post(reverse("interventions:appointment_cancel", args=[new.pk]),
                           {"reason": "", "version": new.version})
    assert "reason" in response.context["form"].errors
    client.post(reverse("interventions:appointment_cancel", args=[new.pk]),
                {"reason": "No puede venir", "version": new.version})
    new.refresh_from_db()
    assert new.status == Status.CANCELLED


def test_reminder_button(client_for, psychologist, receptionist, mailoutbox):
    case = CaseFactory(status=CaseStatus.INTERVENTION, participant__email="p@example.com")
    appointment = AppointmentFactory(case=case, professional=psychologist, created_by=receptionist,
                                     starts_at=timezone.now() + datetime.timedelta(days=1))
    client = client_for(receptionist)
    detail_url = reverse("interventions:appointment_detail", args=[appointment.pk])
    assert "Enviar recordatorio" in client.get(detail_url).content.decode()
    response = client.post(reverse("interventions:appointment_reminder", args=[appointment.pk]),
                           {"next": detail_url, "version": appointment.version})
    assert response["Location"] == detail_url
    assert len(mailoutbox) == 1


def test_phone_followup_list_and_call(client_for, receptionist, psychologist):
    appointment = earlier_today(psychologist, receptionist)
    services.appointment_mark_no_show(appointment=appointment, actor=receptionist)
    other = phone_followup_open(case=CaseFactory(status=CaseStatus.INTERVENTION),
                                reason=PhoneFollowUp.Reason.WORKSHOP_ABSENCE, description="Taller de habilidades",
                                missed_on=timezone.localdate(), actor=psychologist)
    phone_call_log(followup=other, actor=receptionist, outcome=PhoneCall.Outcome.NO_ANSWER,
                   called_at=timezone.now() - datetime.timedelta(minutes=30))
    phone_call_log(followup=other, actor=receptionist, outcome=PhoneCall.Outcome.MESSAGE_LEFT)
    client = client_for(receptionist)
    response = client.get(reverse("interventions:phonefollowup_list"))
    rows = {person.pk: person for person in response.context["page"]}
    row = rows[other.case.participant_id]
    assert row.call_count == 2 and row.last_outcome == PhoneCall.Outcome.MESSAGE_LEFT
    assert "Inasistencia a taller" in response.content.decode()
    followup = PhoneFollowUp.objects.get(reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW)
    url = reverse("interventions:phonefollowup_call", args=[followup.pk])
    response = client.post(url, {"outcome": "", "notes": "x"})
    assert "outcome" in response.context["form"].errors
    response = client.post(url, {"outcome": "no_answer", "notes": "", "resolve": "on"})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == PhoneFollowUp.Status.DONE
    closed = client.get(reverse("interventions:phonefollowup_list") + "?estado=cerrados")
    assert followup in list(closed.context["page"])
    # Calling about a closed follow-up: a message, not a 500.
    response = client.post(url, {"outcome": "reached"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("interventions:phonefollowup_list")
    assert "ya está cerrado" in response.content.decode()
    assert followup.calls.count() == 1


def test_case_file_tab_for_the_desk(client_for, psychologist, receptionist):
    appointment = AppointmentFactory(professional=psychologist, created_by=receptionist, purpose="Entrevista social",
                                     starts_at=timezone.now() + datetime.timedelta(days=3))
    response = client_for(receptionist).get(
        reverse("participants:participant_detail", args=[appointment.case.participant_id]))
    content = response.content.decode()
    assert 'id="tab-citas"' in content and "Atención psicológica" in content and "Próximas citas" in content
    assert "Entrevista social" not in content  # the free-text reason is for the professionals


def test_homes_show_agenda_panels(client_for, psychologist, receptionist):
    earlier_today(psychologist, receptionist, purpose="Sesión de hoy")
    content = client_for(psychologist).get(reverse("role_home", args=[p.PSYCHOLOGIST])).content.decode()
    assert "Citas de hoy" in content and "Sesión de hoy" in content
    content = client_for(receptionist).get(reverse("role_home", args=[p.RECEPTIONIST])).content.decode()
    assert "Recepción de hoy" in content and reverse("interventions:reception") in content


def _missed(person_case, professional, desk, days_ago):
    appointment = AppointmentFactory(case=person_case, professional=professional, created_by=desk,
                                     starts_at=timezone.now() - datetime.timedelta(days=days_ago, hours=1))
    return services.appointment_mark_no_show(appointment=appointment, actor=desk)


def test_pending_calls_are_one_row_per_person_with_their_denominator(client_for, receptionist, psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    absences = [_missed(case, psychologist, receptionist, days) for days in (20, 15, 10, 6, 3, 1)]
    # One call twelve days ago reached the person: it covered the two absences before it, not the later four.
    phone_call_log(followup=PhoneFollowUp.objects.get(source_id=absences[0].pk), actor=receptionist,
                   outcome=PhoneCall.Outcome.REACHED, called_at=timezone.now() - datetime.timedelta(days=12))
    response = client_for(receptionist).get(reverse("interventions:phonefollowup_list"))
    rows = list(response.context["page"])
    assert [row.pk for row in rows] == [case.participant_id]
    row = rows[0]
    assert (row.pending_count, row.absence_count) == (4, 6)
    assert row.latest_missed_on == timezone.localdate(absences[-1].starts_at)
    content = response.content.decode()
    assert "4 de 6 registradas" in content and "1 persona por llamar" in content
    assert content.count(case.participant.display_name) == 2  # the link and its hidden label, once


def test_no_show_has_a_reschedule_action_that_books_and_closes_its_call(client_for, receptionist, psychologist):
    missed = _missed(CaseFactory(status=CaseStatus.INTERVENTION), psychologist, receptionist, 0)
    client = client_for(receptionist)
    url = reverse("interventions:appointment_reschedule", args=[missed.pk])
    assert url in client.get(reverse("interventions:appointment_detail", args=[missed.pk])).content.decode()
    assert url in client.get(reverse("interventions:reception")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"professional": psychologist.pk, "date": tomorrow.isoformat(), "time": "11:00",
                                 "duration_minutes": 45, "reason": "Se quedó dormido",
                                 "version": page.context["form"]["version"].value()})
    assert response.status_code == 302
    missed.refresh_from_db()
    assert missed.status == Status.NO_SHOW and missed.rescheduled_to.status == Status.SCHEDULED
    assert timezone.localtime(missed.rescheduled_to.starts_at).date() == tomorrow
    assert missed.rescheduled_to.kind == missed.kind
    followup = PhoneFollowUp.objects.get(source_id=missed.pk)
    assert followup.status == PhoneFollowUp.Status.DONE and "Reagendada para el" in followup.resolution
    # Booked again once only; no more arrival or undo on the missed one.
    assert url not in client.get(reverse("interventions:appointment_detail", args=[missed.pk])).content.decode()
    with pytest.raises(services.AgendaError):
        services.appointment_reschedule(appointment=missed, starts_at=missed.rescheduled_to.starts_at,
                                        reason="x", actor=receptionist)
    with pytest.raises(services.AgendaError):
        services.appointment_undo(appointment=missed, actor=receptionist)


def test_rescheduled_call_books_the_appointment_or_closes_nothing(client_for, receptionist, psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    older = _missed(case, psychologist, receptionist, 5)
    latest = _missed(case, psychologist, receptionist, 1)
    followup = PhoneFollowUp.objects.get(source_id=latest.pk)
    url = reverse("interventions:phonefollowup_call", args=[followup.pk])
    client = client_for(receptionist)
    # «Reagendado/a» without the new time: refused next to the fields, nothing closes.
    response = client.post(url, {"outcome": "rescheduled", "notes": "Pide el jueves"})
    assert response.status_code == 200
    assert {"date", "time"} <= set(response.context["form"].errors)
    assert "Pide el jueves" in response.content.decode()
    # A time in the past: refused by the agenda, next to the date; still nothing saved.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"outcome": "rescheduled", "professional": psychologist.pk,
                                 "date": yesterday.isoformat(), "time": "10:00"})
    assert "no puede quedar en el pasado" in response.context["form"].errors["date"][0]
    assert not PhoneCall.objects.exists()
    assert PhoneFollowUp.objects.filter(status=PhoneFollowUp.Status.OPEN).count() == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"outcome": "rescheduled", "professional": psychologist.pk,
                                 "date": tomorrow.isoformat(), "time": "10:00", "notes": "Pide el jueves"})
    assert response.status_code == 302
    latest.refresh_from_db()
    assert latest.rescheduled_to is not None and latest.rescheduled_to.status == Status.SCHEDULED
    assert timezone.localtime(latest.rescheduled_to.starts_at).date() == tomorrow
    # The one call covered both absences of the person.
    assert not PhoneFollowUp.objects.filter(status=PhoneFollowUp.Status.OPEN).exists()
    assert PhoneCall.objects.get().outcome == PhoneCall.Outcome.RESCHEDULED
    older.refresh_from_db()
    assert older.rescheduled_to is None


def test_rescheduled_with_nothing_to_book_keeps_the_followup_open(client_for, receptionist, psychologist):
    followup = phone_followup_open(case=CaseFactory(status=CaseStatus.INTERVENTION),
                                   reason=PhoneFollowUp.Reason.WORKSHOP_ABSENCE, description="Taller",
                                   missed_on=timezone.localdate(), actor=psychologist)
    response = client_for(receptionist).post(reverse("interventions:phonefollowup_call", args=[followup.pk]),
                                             {"outcome": "rescheduled"})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == PhoneFollowUp.Status.OPEN and followup.calls.count() == 1
