"""A stale attendance sheet never turns an absence back into a presence nor cancels
the phone follow-up the absence opened (issue 8, point 3)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conecta import permissions as p
from participants.models import PhoneFollowUp
from tests.formdata import form_data
from workshops.models import WorkshopAttendance
from workshops.services import workshops as services
from workshops.tests.factories import enrol, make_workshop

pytestmark = pytest.mark.django_db

PRESENT, ABSENT = "present", "absent"


@pytest.fixture
def sheet(role_users):
    """Today's session of a workshop with two people, X and Y."""
    facilitator = role_users[p.OCCUPATIONAL_THERAPIST]
    workshop = make_workshop(actor=facilitator, start_date=datetime.date.today())
    x, y = enrol(workshop, actor=facilitator), enrol(workshop, actor=facilitator)
    session = workshop.sessions.get(number=1)
    return {"session": session, "x": x, "y": y,
            "url": reverse("workshops:workshop_attendance", args=[session.pk])}


def open_followups(enrolment):
    return PhoneFollowUp.objects.filter(case=enrolment.case, status=PhoneFollowUp.Status.OPEN)


def load(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.context["form"])


def test_stale_sheet_showing_x_present_cannot_undo_the_absence_b_recorded(client_for, role_users, sheet):
    """The issue's scenario: X was marked present; sheets A and B are loaded; B marks X absent
    (a phone follow-up opens); A, stale and still showing X present, saves."""
    x, y, url = sheet["x"], sheet["y"], sheet["url"]
    services.attendance_record(session=sheet["session"], marks={x.pk: PRESENT, y.pk: PRESENT},
                               actor=role_users[p.OCCUPATIONAL_THERAPIST])
    desk_a = client_for(role_users[p.RECEPTIONIST])
    sheet_a = load(desk_a, url)
    desk_b = Client()
    desk_b.force_login(role_users[p.OCCUPATIONAL_THERAPIST], backend="django.contrib.auth.backends.ModelBackend")
    sheet_b = load(desk_b, url)
    assert desk_b.post(url, {**sheet_b, f"e{x.pk}": ABSENT}).status_code == 302
    assert open_followups(x).count() == 1

    # A changes only Y (justified) and saves the stale sheet, where X still reads «present».
    refused = desk_a.post(url, {**sheet_a, f"e{y.pk}": "justified"})
    assert refused.status_code == 200
    assert refused.context["stale"], "the stale sheet is refused"
    marks = dict(WorkshopAttendance.objects.values_list("enrolment_id", "status"))
    assert marks == {x.pk: ABSENT, y.pk: PRESENT}, "nothing of the stale sheet was saved"
    assert open_followups(x).count() == 1, "the phone follow-up B opened is still open"
    page = refused.content.decode()
    assert "Otra persona registró asistencia" in page and x.case.participant.full_name in page
    rebased = refused.context["form"].data
    assert rebased[f"e{x.pk}"] == ABSENT, "the sheet now shows X absent, as recorded"
    assert rebased[f"e{y.pk}"] == "justified", "the mark A set is kept"

    # Saving the rebased sheet applies A's change on top of B's: X stays absent, the call stays.
    assert desk_a.post(url, dict(rebased.items())).status_code == 302
    marks = dict(WorkshopAttendance.objects.values_list("enrolment_id", "status"))
    assert marks == {x.pk: ABSENT, y.pk: "justified"}
    assert open_followups(x).count() == 1


def test_first_marks_on_both_sheets_are_a_flagged_conflict_not_a_silent_overwrite(client_for, role_users, sheet):
    x, y, url = sheet["x"], sheet["y"], sheet["url"]
    desk_a = client_for(role_users[p.RECEPTIONIST])
    sheet_a = load(desk_a, url)
    services.attendance_record(session=sheet["session"], marks={x.pk: ABSENT, y.pk: PRESENT},
                               versions={x.pk: None, y.pk: None}, actor=role_users[p.OCCUPATIONAL_THERAPIST])
    refused = desk_a.post(url, {**sheet_a, f"e{x.pk}": PRESENT, f"e{y.pk}": PRESENT})
    assert refused.context["stale"]
    assert open_followups(x).count() == 1
    conflict = next(c for c in refused.context["stale"]["changes"] if c["label"] == x.case.participant.full_name)
    assert conflict["conflict"] and "no se aplicó" in str(conflict["mine"]), "the person is told"
    # Even against a presence typed on the stale sheet, the recorded absence stands on the rebased one.
    assert refused.context["form"].data[f"e{x.pk}"] == ABSENT
    assert desk_a.post(url, dict(refused.context["form"].data.items())).status_code == 302
    assert WorkshopAttendance.objects.get(enrolment=x).status == ABSENT and open_followups(x).count() == 1
    # Y: both marked present, nothing to decide.
    assert not next(c for c in refused.context["stale"]["changes"]
                    if c["label"] == y.case.participant.full_name)["conflict"]


def test_a_sheet_without_versions_cannot_overwrite_marks(client_for, role_users, sheet):
    """A posted sheet that does not say which marks it showed counts as showing none."""
    x, y, url = sheet["x"], sheet["y"], sheet["url"]
    services.attendance_record(session=sheet["session"], marks={x.pk: ABSENT, y.pk: PRESENT},
                               actor=role_users[p.OCCUPATIONAL_THERAPIST])
    response = client_for(role_users[p.RECEPTIONIST]).post(url, {f"e{x.pk}": PRESENT, f"e{y.pk}": PRESENT})
    assert response.status_code == 200 and response.context["stale"]
    assert WorkshopAttendance.objects.get(enrolment=x).status == ABSENT
    assert open_followups(x).count() == 1


def test_a_fresh_sheet_still_corrects_an_absence(client_for, role_users, sheet):
    """Correcting on purpose, from a sheet that shows the absence, works as before."""
    x, y, url = sheet["x"], sheet["y"], sheet["url"]
    services.attendance_record(session=sheet["session"], marks={x.pk: ABSENT, y.pk: PRESENT},
                               actor=role_users[p.OCCUPATIONAL_THERAPIST])
    client = client_for(role_users[p.RECEPTIONIST])
    fresh = load(client, url)
    assert client.post(url, {**fresh, f"e{x.pk}": PRESENT}).status_code == 302
    assert WorkshopAttendance.objects.get(enrolment=x).status == PRESENT
    assert not open_followups(x).exists()
