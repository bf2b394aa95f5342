"""Reception desk journey in real Chromium: check-in without reload, then the arrival notice."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from conecta import permissions as p
from interventions.models import Appointment
from interventions.tests.factories import AppointmentFactory
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, ParticipantFactory
from tests.browser import BROWSER_MARKS, assert_accessible, log_in

pytestmark = BROWSER_MARKS


def test_desk_checks_in_and_the_psychologist_is_told(browser, live_server, role_users):
    person = ParticipantFactory(given_names="Rosa Elena", paternal_surname="Quintanilla", maternal_surname="")
    case = CaseFactory(participant=person, status=CaseStatus.INTERVENTION)
    appointment = AppointmentFactory(
        case=case, professional=role_users[p.PSYCHOLOGIST], created_by=role_users[p.RECEPTIONIST],
        # A few minutes ago, but never yesterday: the desk lists today's appointments only.
        starts_at=max(timezone.now() - datetime.timedelta(minutes=3),
                      timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))),
        purpose="Sesión individual",
    )

    # The psychologist has a page open before the person arrives.
    psychologist = browser.new_page()
    log_in(psychologist, live_server, "psicologa")
    psychologist.wait_for_url("**/inicio/psychologist/")

    desk = browser.new_page()
    log_in(desk, live_server, "recepcion")
    desk.wait_for_url("**/inicio/receptionist/")
    desk.goto(f"{live_server.url}/recepcion/")
    url_before = desk.url
    row = desk.locator(f"#cita-{appointment.pk}")
    assert row.get_by_text("Agendada").is_visible()
    desk.evaluate("window.__sameDocument = true")
    row.get_by_role("button", name="Llegó").click()
    row = desk.locator(f"#cita-{appointment.pk}")
    row.get_by_role("button", name="Deshacer").wait_for()
    assert row.locator(".appt-status").inner_text() == "Llegó"
    assert desk.url == url_before
    assert desk.evaluate("window.__sameDocument") is True  # no reload happened
    expect(desk.locator("#reception-status")).to_contain_text("Llegada de Rosa Elena Quintanilla registrada")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED
    assert_accessible(desk)

    # The open page learns of the arrival by polling (every 15 s)...
    notice = psychologist.locator(".arrival-notice")
    notice.wait_for(timeout=25_000)
    assert "Rosa Elena Quintanilla llegó a las" in notice.inner_text()
    # ...and so does any page opened next.
    psychologist.goto(f"{live_server.url}/participants/")
    notice = psychologist.locator(".arrival-notice")
    notice.wait_for()
    assert notice.get_by_role("link", name="Ver agenda").is_visible()
    assert_accessible(psychologist)
    notice.get_by_role("button", name="Entendido").click()
    notice.wait_for(state="detached")
    appointment.refresh_from_db()
    assert appointment.arrival_seen_at is not None
    psychologist.reload()
    psychologist.wait_for_load_state("networkidle")
    assert psychologist.locator(".arrival-notice").count() == 0
    desk.close()
    psychologist.close()
