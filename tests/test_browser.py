"""Main journeys in real headless Chromium (Debian's /usr/bin/chromium)."""
import datetime

import pytest

from conecta import permissions as p
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, ParticipantFactory
from tests.browser import BROWSER_MARKS, assert_accessible, log_in

pytestmark = BROWSER_MARKS

HOME_HEADINGS = {
    p.MANAGER: "Casos del programa por estado",
    p.PSYCHOLOGIST: "Mis casos por estado",
    p.SOCIAL_WORKER: "Mis casos por estado",
    p.OCCUPATIONAL_THERAPIST: "Mis casos por estado",
    p.FOLLOWUP_PSYCHOLOGIST: "Mis casos por estado",
    p.RECEPTIONIST: "Registrar persona que postula",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_each_role_logs_in_and_sees_its_home(browser, live_server, role_users, role):
    page = browser.new_page()
    log_in(page, live_server, role_users[role].username)
    page.wait_for_url(f"**/inicio/{role}/")
    assert page.get_by_text(HOME_HEADINGS[role]).first.is_visible()
    assert page.title().endswith("Conecta, Las Condes, Reinicia tu vida")
    assert_accessible(page)
    page.close()


def test_receptionist_finds_a_person_by_rut(browser, live_server, role_users):
    person = ParticipantFactory(given_names="Rosa Elena", paternal_surname="Quintanilla")
    CaseFactory(participant=person, status=CaseStatus.INTERVENTION, offences="Texto judicial reservado")
    page = browser.new_page()
    log_in(page, live_server, "recepcion")
    page.wait_for_url("**/inicio/receptionist/")
    page.get_by_label("Buscar persona por RUT o nombre").fill(person.rut_display)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/participants/{person.pk}/")
    assert page.get_by_role("heading", name="Rosa Elena Quintanilla").is_visible()
    assert "Texto judicial reservado" not in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/participants/")
    page.locator("main").get_by_label("Buscar por nombre o RUT").fill("quintanilla")
    page.locator("main").get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**/participants/?busqueda=*")
    assert "quintanilla" not in page.url
    assert page.get_by_role("link", name="Quintanilla").is_visible()
    assert_accessible(page)
    page.close()


def test_manager_registers_and_admits_an_applicant(browser, live_server, role_users):
    page = browser.new_page()
    log_in(page, live_server, "gestora")
    page.goto(f"{live_server.url}/participants/nuevo/")
    form = page.locator("main form")
    form.get_by_label("RUT").fill("12.345.678-5")
    form.get_by_label("Nombres").fill("Javiera Andrea")
    form.get_by_label("Apellido paterno").fill("Morales")
    form.get_by_label("Fecha de nacimiento").fill("1991-03-14")
    form.get_by_label("Comuna", exact=True).select_option(label="Las Condes")
    form.get_by_role("button", name="Guardar").click()
    page.wait_for_url("**/participants/*/")
    assert page.get_by_text("Persona registrada como postulante").is_visible()

    page.get_by_role("tab", name="Casos").click()
    page.get_by_role("link", name="Editar caso").click()
    page.get_by_label("Población").select_option(label="Conflicto con la justicia")
    page.get_by_label("Tipo de pena o medida").select_option(label="Libertad vigilada (Ley 18.216)")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("tab", name="Casos").click()
    page.get_by_role("link", name="Ingresar a diagnóstico").click()
    assert page.get_by_text("Es mayor de edad").is_visible()
    # Without a data-protection consent the page says so before the first try, and leads to it.
    assert page.get_by_text("Falta un consentimiento de tratamiento de datos").is_visible()
    page.get_by_role("link", name="Registrar el consentimiento de datos").click()
    form = page.locator("main form")
    form.get_by_label("Tipo").select_option(label="Consentimiento de tratamiento de datos (Ley 21.719)")
    form.get_by_label("Versión del documento").fill("2026-1")
    form.get_by_label("Fecha de firma").fill(datetime.date.today().isoformat())
    form.get_by_role("button", name="Guardar").click()
    page.wait_for_url("**/participants/*/**")
    page.get_by_role("tab", name="Casos").click()
    page.get_by_role("link", name="Ingresar a diagnóstico").click()
    assert not page.get_by_text("Falta un consentimiento de tratamiento de datos").is_visible()
    page.get_by_role("button", name="Ingresar a diagnóstico").click()
    page.wait_for_url("**/participants/*/**")
    assert page.get_by_text("Estado del caso actualizado").is_visible()

    assert_accessible(page)
    page.close()
