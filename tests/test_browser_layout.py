"""The shared layout in real Chromium: the arrival notice never covers the page nor prints,
a refused form leads with an error summary that takes the focus, the case-file tabs are in
the Tab order, wide lists stack on a phone and print without the screen's chrome."""

import datetime

from django.utils import timezone

from conecta import permissions as p
from interventions.services import agenda as agenda_services
from interventions.tests.factories import AppointmentFactory
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, ParticipantFactory
from tests.browser import BROWSER_MARKS, assert_accessible, log_in

pytestmark = BROWSER_MARKS

PHONE = {"width": 390, "height": 800}

# Every element the Tab key stops at, and whether what is drawn at its centre is itself
# (or inside it): false when something positioned over the page hides it.
COVERED_FOCUS_STOPS = """() => {
  const stops = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
  const covered = [];
  for (const e of stops) {
    e.focus();
    e.scrollIntoView({block: 'center'});
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && !e.contains(hit) && !hit.contains(e)) covered.push(e.outerHTML.slice(0, 80));
  }
  return {stops: stops.length, covered};
}"""


def today_a_moment_ago():
    """A few minutes ago, but never yesterday: the desk lists today's appointments only."""
    return max(timezone.now() - datetime.timedelta(minutes=3),
               timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min)))


def arrived_appointment(role_users):
    person = ParticipantFactory(given_names="Rosa Elena", paternal_surname="Quintanilla", maternal_surname="")
    case = CaseFactory(participant=person, status=CaseStatus.INTERVENTION)
    appointment = AppointmentFactory(
        case=case, professional=role_users[p.PSYCHOLOGIST], created_by=role_users[p.RECEPTIONIST],
        starts_at=today_a_moment_ago())
    agenda_services.appointment_check_in(appointment=appointment, actor=role_users[p.RECEPTIONIST])
    return person


def test_arrival_notice_is_in_the_flow_hides_no_focus_stop_and_never_prints(browser, live_server, role_users):
    person = arrived_appointment(role_users)
    CaseFactory(participant=ParticipantFactory(), status=CaseStatus.DIAGNOSIS)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, "psicologa")
    for url in ("/participants/", person.get_absolute_url()):
        page.goto(live_server.url + url)
        notice = page.locator(".arrival-notice")
        notice.wait_for()
        assert "Rosa Elena Quintanilla llegó a las" in notice.inner_text()
        # At the top of the content, before the page's own heading, in the flow of the page.
        assert page.evaluate("""() => {
            const box = document.getElementById('arrival-notices');
            const heading = document.querySelector('main h1');
            return box.closest('main') !== null && getComputedStyle(box).position === 'static'
                && !!(box.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")
        result = page.evaluate(COVERED_FOCUS_STOPS)
        assert result["stops"] > 10 and result["covered"] == [], result
        page.emulate_media(media="print")
        assert not notice.is_visible()
        page.emulate_media(media="screen")
        assert notice.is_visible()
    notice.get_by_role("button", name="Entendido").click()
    notice.wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == "contenido"
    context.close()


def test_refused_form_leads_with_an_error_summary_that_takes_the_focus(browser, live_server, role_users):
    page = browser.new_page()
    log_in(page, live_server, "gestora")
    page.goto(f"{live_server.url}/instituciones/nueva/")
    page.locator("main form").get_by_role("button", name="Guardar").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    links = summary.locator("a")
    assert links.count() >= 1
    # Each entry leads to its field.
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert page.locator(target).count() == 1, target
    links.first.click()
    assert page.evaluate("'#' + document.activeElement.id") == links.first.get_attribute("href")
    assert_accessible(page)
    page.close()


def test_case_file_tabs_are_in_the_tab_order_and_all_print(browser, live_server, role_users):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    page = browser.new_page()
    log_in(page, live_server, "psicologa")
    page.goto(live_server.url + case.participant.get_absolute_url())
    tabs = page.get_by_role("tab")
    assert tabs.count() >= 3
    tabs.nth(0).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"
    assert page.evaluate("document.activeElement.id") == tabs.nth(1).get_attribute("id")
    page.keyboard.press("Enter")
    assert tabs.nth(1).get_attribute("aria-selected") == "true"
    page.keyboard.press("Tab")  # every other tab is still reachable after switching
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"
    # On paper every panel prints, under its tab's name, without the tab bar.
    page.emulate_media(media="print")
    panels = page.locator(".tab-pane")
    for i in range(panels.count()):
        assert panels.nth(i).is_visible()
        assert panels.nth(i).get_attribute("data-print-title")
    assert not page.locator("#ficha-tabs").is_visible()
    assert not page.locator("header").is_visible()
    page.close()


def test_desk_rows_stack_on_a_phone_with_their_actions_on_screen(browser, live_server, role_users):
    person = ParticipantFactory(given_names="Rosa Elena", paternal_surname="Quintanilla", maternal_surname="")
    case = CaseFactory(participant=person, status=CaseStatus.INTERVENTION)
    AppointmentFactory(case=case, professional=role_users[p.PSYCHOLOGIST], created_by=role_users[p.RECEPTIONIST],
                       starts_at=today_a_moment_ago())
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, "recepcion")
    page.goto(f"{live_server.url}/recepcion/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = page.get_by_role("button", name="Llegó")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Each cell says which column it is; the RUT stays on one line.
    assert page.locator("#reception-table td[data-label='RUT']").count() == 1
    rut = page.locator("#reception-table .rut").first
    assert rut.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    context.close()
