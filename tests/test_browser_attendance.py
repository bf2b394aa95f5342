"""The desk takes a workshop's attendance for today's session with the keyboard only."""

import datetime


from conecta import permissions as p
from participants.models import CaseStatus, PhoneFollowUp
from participants.tests.factories import CaseFactory, ParticipantFactory
from tests.browser import BROWSER_MARKS, assert_accessible, log_in
from workshops.models import WorkshopAttendance
from workshops.tests.factories import enrol, make_workshop

pytestmark = BROWSER_MARKS


def press_tab_until(page, predicate, limit=80):
    """Tab through the page until the focused element satisfies `predicate` (a JS function body)."""
    for _i in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Focus never reached: {predicate}")


def test_receptionist_takes_attendance_with_the_keyboard_only(browser, live_server, role_users):
    facilitator = role_users[p.PSYCHOLOGIST]
    workshop = make_workshop(actor=facilitator, sessions=4, start_date=datetime.date.today())
    names = [("Ana María", "Araya"), ("Bruno", "Bustos"), ("Carla", "Cáceres")]
    enrolments = []
    for given, surname in names:
        case = CaseFactory(participant=ParticipantFactory(given_names=given, paternal_surname=surname),
                           status=CaseStatus.INTERVENTION)
        enrolments.append(enrol(workshop, actor=facilitator, case=case))
    session = workshop.sessions.get(number=1)

    page = browser.new_page()
    log_in(page, live_server, role_users[p.RECEPTIONIST].username)
    page.wait_for_url("**/inicio/receptionist/")
    assert page.get_by_role("heading", name="Talleres de hoy").is_visible()

    # From the home, reach the "Tomar asistencia" link with Tab and follow it with Enter.
    press_tab_until(page, "el.tagName === 'A' && el.textContent.includes('Tomar asistencia')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/talleres/sesiones/{session.pk}/asistencia/")
    assert_accessible(page)

    # Shortcut «Marcar a todos presentes» with Space, then correct two people with the arrow keys.
    press_tab_until(page, "el.hasAttribute('data-all-present')")
    page.keyboard.press("Space")
    # Focus now sits on the first person's «Presente»; → moves to «Ausente».
    page.keyboard.press("ArrowRight")
    # Tab leaves the group and lands on the next person's checked radio; → → reaches «Ausencia justificada».
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    press_tab_until(page, "el.type === 'submit' && el.textContent.includes('Guardar asistencia')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inicio/receptionist/")
    assert page.get_by_text("Asistencia guardada").is_visible()

    saved = dict(WorkshopAttendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert saved == {
        enrolments[0].pk: WorkshopAttendance.Status.ABSENT,
        enrolments[1].pk: WorkshopAttendance.Status.JUSTIFIED,
        enrolments[2].pk: WorkshopAttendance.Status.PRESENT,
    }
    assert PhoneFollowUp.objects.filter(case=enrolments[0].case, status=PhoneFollowUp.Status.OPEN).count() == 1
    page.close()
