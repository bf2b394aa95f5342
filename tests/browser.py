"""Helpers shared by the browser journeys (tests/test_browser*.py); fixtures are in tests/conftest.py."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by the test itself (fixtures, assertions) are safe because nothing else runs here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Every journey module: `pytestmark = BROWSER_MARKS`.
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def assert_accessible(page):
    """No serious or critical axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    # Check the page at rest: a button under the pointer after the last click, or
    # a fade still running, has mid-transition colours that axe reads as low contrast.
    page.mouse.move(0, 0)
    page.emulate_media(reduced_motion="reduce")
    page.wait_for_timeout(400)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in serious]


def log_in(page, live_server, username):
    """The real sign-in: password, then the second factor where the account has or needs one
    (the manager): the code of its authenticator, or enrolment with the key the page shows."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill("conecta-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Ingresar").click()
    if "/accounts/verificacion/" in page.url:
        give_code(page, username)
    elif "/accounts/doble-factor/" in page.url:
        enrol(page)


def give_code(page, username):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.otp import next_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.get_by_label("Código").fill(next_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Verificar").click()


def enrol(page):
    """Type the key shown under the QR code into a (simulated) authenticator app and confirm."""
    from base64 import b32decode

    from django_otp.oath import totp

    key = b32decode(page.locator(".mfa-secret").inner_text().replace(" ", ""))
    page.get_by_label("Código de 6 dígitos que muestra la aplicación").fill(f"{totp(key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmar y activar").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Continuar").click()
