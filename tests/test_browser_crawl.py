"""Every page every role can open, in real Chromium: no serious or critical axe-core
violation at desktop width, and no sideways scrolling on a 390 px phone.

The pages are the access matrix's rows (tests/test_access_matrix.py) that answer a role
with 200 and HTML, on the matrix's standing objects. One browser, one context per role,
one sign-in per role; axe-core is loaded into every page by an init script.

To stay fast, a page whose <main> is byte for byte one already checked for another role
(the same list seen by two professionals) is not opened again: the same markup under the
same stylesheet gives the same axe result and the same width. Each role's own layout (its
menu) is checked on its home page, which is always opened."""

import hashlib
import re
import time
from pathlib import Path

import axe_playwright_python
import pytest
from django.test import Client
from django.urls import reverse

from tests.browser import BROWSER_MARKS, log_in
from tests.roles import ROLES
from tests.test_access_matrix import ROWS, objects  # noqa: F401  (the matrix's standing objects fixture)

pytestmark = BROWSER_MARKS

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
# Per-request values that differ between two renderings of the same page.
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value|data-csrf)="[^"]*"')
MAIN = re.compile(r"<main\b.*</main>", re.S)


def html_pages(objects, role):
    """(row name, url, fingerprint of <main>) of the matrix rows that give `role` a 200 page
    of HTML (not a PDF, a file or JSON), asked through the test client."""
    client = Client()
    client.force_login(objects["users"][role], backend="django.contrib.auth.backends.ModelBackend")
    pages = []
    for name, builder, expected, _anonymous in ROWS:
        if expected.get(role, 403) != 200:
            continue
        url = builder(objects)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            main = MAIN.search(response.content.decode())
            body = VOLATILE.sub("", main.group(0)) if main else url
            pages.append((name, url, hashlib.sha256(body.encode()).hexdigest()))
    return pages


def serious_violations(page):
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], [n["html"][:160] for n in v["nodes"]][:5])
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def overflow(page):
    """The page's width at phone size, and what sticks out, if it scrolls sideways."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return None
    wide = page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .slice(-3).map(e => e.tagName + '.' + e.className)""", PHONE["width"])
    return f"{width}px wide at {PHONE['width']}px: {wide}"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_is_accessible_and_fits_a_phone(browser, live_server, objects, role):  # noqa: F811
    """One test per role, so that the suite's workers share the crawl. A page whose <main>
    an earlier role (in ROLES order) also gets is left to that role's test."""
    started = time.monotonic()
    earlier = ROLES[:ROLES.index(role)]
    seen = {fingerprint for other in earlier for _name, _url, fingerprint in html_pages(objects, other)}
    problems = []
    opened = skipped = 0
    home = reverse("role_home", args=[role])
    pages = html_pages(objects, role)
    assert any(url == home for _name, url, _print in pages), role
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    context.add_init_script(AXE_SOURCE)
    page = context.new_page()
    log_in(page, live_server, objects["users"][role].username)
    for name, url, fingerprint in pages:
        if fingerprint in seen and url != home:
            skipped += 1
            continue
        seen.add(fingerprint)
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server.url + url)
        assert response.ok, (role, name, response.status)
        problems += [(role, name, "axe", violation) for violation in serious_violations(page)]
        if too_wide := overflow(page):
            problems.append((role, name, too_wide))
        opened += 1
    context.close()
    print(f"\naxe + phone-width crawl, {role}: {opened} pages opened, {skipped} checked under another role, "
          f"{time.monotonic() - started:.0f} s")
    assert opened >= 1
    assert not problems, "\n".join(map(repr, problems))
