"""The reception desk's one-click marks and the session recorded from an appointment
carry the version of the appointment the page showed: a stale page never turns a
no-show into an arrival nor cancels the phone follow-up it opened."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment, Session
from interventions.services import agenda as services
from interventions.tests.factories import AppointmentFactory
from participants.models import CaseStatus, PhoneFollowUp
from participants.tests.factories import CaseFactory
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def appointment(role_users):
    return AppointmentFactory(case=CaseFactory(status=CaseStatus.INTERVENTION),
                              professional=role_users[p.PSYCHOLOGIST], created_by=role_users[p.RECEPTIONIST],
                              starts_at=timezone.now() - datetime.timedelta(minutes=20))


def row_version(html, appointment):
    """The version the desk row of `appointment` carries in its forms."""
    row = re.search(rf'<tr id="cita-{appointment.pk}".*?</tr>', html, re.S).group(0)
    versions = set(re.findall(r'name="version" value="(\d+)"', row))
    assert len(versions) == 1
    return versions.pop()


def open_followups(appointment):
    return PhoneFollowUp.objects.filter(case=appointment.case, status=PhoneFollowUp.Status.OPEN)


def test_stale_desk_row_cannot_turn_a_no_show_into_an_arrival(client_for, role_users, appointment):
    desk_a = client_for(role_users[p.RECEPTIONIST])
    stale = row_version(desk_a.get(reverse("interventions:reception")).content.decode(), appointment)
    # Meanwhile another desk (or the professional) marks the person absent: a call is to be made.
    services.appointment_mark_no_show(appointment=appointment, actor=role_users[p.MANAGER],
                                      version=appointment.version)
    assert open_followups(appointment).count() == 1

    response = desk_a.post(reverse("interventions:appointment_check_in", args=[appointment.pk]),
                           {"version": stale}, **JSON)
    assert response.status_code == 409
    data = response.json()
    assert data["stale"] and "no se registró nada" in data["message"]
    assert "No asistió" in data["message"], "what changed is said"
    assert "No asistió" in data["row_html"], "the row comes back as stored now"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    assert open_followups(appointment).count() == 1

    # Without JavaScript: the same refusal, as a message on the desk page.
    response = desk_a.post(reverse("interventions:appointment_check_in", args=[appointment.pk]),
                           {"version": stale, "next": reverse("interventions:reception")}, follow=True)
    assert "Otra persona cambió esta cita" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW and open_followups(appointment).count() == 1

    # From the refreshed row, a late arrival is recorded on purpose, as before.
    fresh = row_version(desk_a.get(reverse("interventions:reception")).content.decode(), appointment)
    response = desk_a.post(reverse("interventions:appointment_check_in", args=[appointment.pk]),
                           {"version": fresh}, **JSON)
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED


def test_a_mark_without_the_version_is_refused(client_for, role_users, appointment):
    response = client_for(role_users[p.RECEPTIONIST]).post(
        reverse("interventions:appointment_no_show", args=[appointment.pk]), **JSON)
    assert response.status_code == 409 and "recargue" in response.json()["message"]
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED and not open_followups(appointment).exists()


def test_session_form_opened_before_the_desk_marked_a_no_show_is_refused(client_for, role_users, appointment):
    psychologist = role_users[p.PSYCHOLOGIST]
    services.appointment_check_in(appointment=appointment, actor=role_users[p.RECEPTIONIST])
    url = reverse("interventions:session_create", args=[appointment.case_id]) + f"?cita={appointment.pk}"
    client = client_for(psychologist)
    loaded = form_data(client.get(url).context["form"])
    # The arrival was a mistake: the desk undoes it and marks the no-show (a call is opened).
    appointment.refresh_from_db()
    services.appointment_undo(appointment=appointment, actor=role_users[p.RECEPTIONIST], version=appointment.version)
    appointment.refresh_from_db()
    services.appointment_mark_no_show(appointment=appointment, actor=role_users[p.RECEPTIONIST],
                                      version=appointment.version)

    refused = client.post(url, {**loaded, "notes": "Atención realizada"})
    assert refused.status_code == 200 and refused.context["stale"]
    assert not Session.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW and open_followups(appointment).count() == 1
    assert refused.context["form"].data["notes"] == "Atención realizada", "what was typed is kept"
    labels = [str(change["label"]).lower() for change in refused.context["stale"]["changes"]]
    assert "estado" in labels, "the appointment's new state is shown"
