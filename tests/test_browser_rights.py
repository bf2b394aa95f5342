"""Browser journey of Ley 21.719 rights: the privacy page from the login footer, a blocking
request registered at the desk, and the manager finding it on her home with its deadline."""

import importlib

import pytest

from conecta import permissions as p
from dataprotection.models import PrivacyNotice
from participants.tests.factories import CaseFactory
from tests.browser import BROWSER_MARKS, assert_accessible, log_in

pytestmark = BROWSER_MARKS


@pytest.fixture
def privacy_notice(reference_data):
    # Transactional tests flush the tables the data migration filled: run it again.
    from django.apps import apps

    importlib.import_module("dataprotection.migrations.0002_default_privacy_notice").create_first_version(apps, None)
    return PrivacyNotice.current()


def test_privacy_page_is_one_click_from_the_login_page(browser, live_server, privacy_notice):
    page = browser.new_page(locale="es-CL")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Aviso de privacidad").click()
    page.get_by_role("heading", name="Aviso de privacidad").wait_for()
    assert "Responsable del tratamiento" in page.content()
    assert_accessible(page)


def test_desk_registers_a_blocking_request_and_the_manager_sees_its_deadline(browser, live_server, role_users,
                                                                              privacy_notice):
    person = CaseFactory().participant
    desk = browser.new_page(locale="es-CL")
    log_in(desk, live_server, role_users[p.RECEPTIONIST].username)
    desk.goto(f"{live_server.url}/proteccion-de-datos/solicitudes/nueva/")
    desk.get_by_label("Derecho que ejerce").select_option("blocking")
    desk.get_by_label("Medio de ingreso").select_option("in_person")
    desk.get_by_label("RUT de la persona titular").fill(person.rut_display)
    desk.get_by_label("Dónde responder").fill("+56 9 1234 5678")
    desk.get_by_label("Qué solicita").fill("Pide que no se usen sus datos mientras revisan su reclamo.")
    desk.get_by_label("Identidad verificada al recibirla").select_option("id_card")
    assert_accessible(desk)
    desk.get_by_role("button", name="Registrar solicitud").click()
    desk.get_by_text("registrada. Plazo para responder").wait_for()
    assert "Pide que no se usen" not in desk.content(), "the desk does not read requests back"

    manager = browser.new_page(locale="es-CL")
    log_in(manager, live_server, role_users[p.MANAGER].username)
    panel = manager.get_by_role("region", name="Solicitudes de derechos con plazo (Ley 21.719)")
    panel.get_by_role("link", name=person.full_name).wait_for()
    assert "Aplicar el bloqueo" in panel.inner_text()
    assert_accessible(manager)
    panel.get_by_role("link", name=person.full_name).click()
    manager.get_by_role("heading", name="Quiénes recibieron sus datos").wait_for()
    assert "Pide que no se usen sus datos" in manager.content()
    assert_accessible(manager)
    manager.goto(f"{live_server.url}/proteccion-de-datos/solicitudes/")
    assert_accessible(manager)
