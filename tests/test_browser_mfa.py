"""The manager's second factor in real Chromium: enrolment on first sign-in, then the code."""

from conecta import permissions as p
from tests.browser import BROWSER_MARKS, assert_accessible, give_code

pytestmark = BROWSER_MARKS


def test_manager_enrols_then_signs_in_with_a_code(browser, live_server, role_users):
    from base64 import b32decode

    from django_otp.oath import totp

    page = browser.new_page(locale="es-CL")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("gestora")
    page.get_by_label("Contraseña").fill("conecta-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/accounts/doble-factor/**")
    assert page.locator(".qr svg").is_visible()
    assert page.get_by_text("Su rol exige verificación en dos pasos").is_visible()
    assert page.get_by_role("link", name="Personas").count() == 0
    assert_accessible(page)

    # Nothing else opens meanwhile.
    page.goto(f"{live_server.url}/participants/")
    page.wait_for_url("**/accounts/doble-factor/**")

    key = b32decode(page.locator(".mfa-secret").inner_text().replace(" ", ""))
    page.get_by_label("Código de 6 dígitos que muestra la aplicación").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirmar y activar").click()
    page.wait_for_url("**/accounts/doble-factor/codigos/**")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continuar").click()
    page.wait_for_url(f"**/participants/")

    page.context.clear_cookies()  # a new sign-in, as from another browser
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("gestora")
    page.get_by_label("Contraseña").fill("conecta-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/accounts/verificacion/**")
    assert_accessible(page)
    give_code(page, "gestora")
    page.wait_for_url(f"**/inicio/{p.MANAGER}/")
    page.close()
