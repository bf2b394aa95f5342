"""Production smoke test: gunicorn with debug off, behind a simulated TLS proxy.

Run by `.ci/smoke` after the README's deployment steps (`make deploy`). Every
demo role logs in through the real login form and must get 200 on its home,
the participant list, a case file and a PDF; `/healthz/` must answer `ok`.
Standard library HTTP only, so it tests what a browser would get; Django is
used only to find the objects and URLs to ask for.
"""

import html
import os
import re
import sys
import time
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conecta.settings")
django.setup()

from django.urls import reverse  # noqa: E402

from conecta import permissions as p  # noqa: E402

HOST, PORT = os.environ.get("SMOKE_HOST", "127.0.0.1"), int(os.environ["SMOKE_PORT"])
PASSWORD = os.environ.get("SMOKE_PASSWORD", "conecta-demo")
USERS = {
    p.MANAGER: "gestora", p.PSYCHOLOGIST: "psicologa", p.SOCIAL_WORKER: "trabajador.social",
    p.OCCUPATIONAL_THERAPIST: "terapeuta", p.FOLLOWUP_PSYCHOLOGIST: "monitoreo", p.RECEPTIONIST: "recepcion",
}


class Browser:
    """Keeps cookies (Secure ones too: the proxy terminates TLS) and sends what a proxy would."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, path, body=None, referer=None):
        connection = HTTPConnection(HOST, PORT, timeout=60)
        headers = {"Host": f"{HOST}:{PORT}", "X-Forwarded-Proto": "https", "User-Agent": "conecta-smoke"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{PORT}"
            headers["Referer"] = f"https://{HOST}:{PORT}{referer or path}"
        started = time.monotonic()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), content, time.monotonic() - started

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data, referer=None):
        return self.request("POST", path, body=urlencode(data), referer=referer)


def csrf_token(page):
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise AssertionError("no CSRF token on the page")
    return html.unescape(match.group(1).decode())


def follow(browser, status, headers, content, limit=5):
    while status in (301, 302, 303) and limit:
        location = urlsplit(headers["location"])
        path = location.path + (f"?{location.query}" if location.query else "")
        status, headers, content, _ = browser.get(path)
        limit -= 1
    return status, headers, content


def login(browser, username):
    login_path = reverse("login")
    status, _, page, _ = browser.get(login_path)
    assert status == 200, f"login page: {status}"
    fields = {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": PASSWORD}
    status, headers, content, _ = browser.post(login_path, fields)
    assert status == 302, f"{username}: login answered {status}, not a redirect (wrong password, lockout?)"
    status, headers, content = follow(browser, status, headers, content)
    verify_path = reverse("otp_verify")
    if status == 200 and b'name="code"' in content:
        # The manager's second factor: the code her authenticator app would show now.
        fields = {"csrfmiddlewaretoken": csrf_token(content), "code": current_code(username)}
        status, headers, content, _ = browser.post(verify_path, fields)
        assert status == 302, f"{username}: the second factor was refused ({status})"
        status, headers, content = follow(browser, status, headers, content)
    return status, content


def current_code(username):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def pages_for(role):
    from interventions.models import Assessment
    from participants.models import Participant
    from workshops.models import WorkshopSession

    person = Participant.objects.filter(cases__assessments__status="completed").order_by("pk").first() \
        or Participant.objects.order_by("pk").first()
    pages = {
        "home": reverse("role_home", args=[role]),
        "participant list": reverse("participants:participant_list"),
        "case file": reverse("participants:participant_detail", args=[person.pk]),
    }
    if role == p.RECEPTIONIST:
        session = WorkshopSession.objects.order_by("pk").first()
        pages["PDF"] = reverse("workshops:workshop_attendance_sheet", args=[session.pk])
    else:
        assessed = Assessment.objects.filter(status="completed").order_by("pk").first()
        pages["PDF"] = reverse("interventions:diagnosis_pdf", args=[assessed.case_id])
    return pages


def main():
    failures = []
    status, _, body, _ = Browser().get(reverse("healthz"))
    print(f"healthz: {status} {body.decode()[:40]}")
    if status != 200 or body != b"ok":
        failures.append("healthz")
    for role, username in USERS.items():
        browser = Browser()
        status, content = login(browser, username)
        if status != 200:
            failures.append(f"{username}: login ended with {status}")
            print(f"{username}: login ended with {status}")
            continue
        for label, path in pages_for(role).items():
            status, headers, content, elapsed = browser.get(path)
            kind = headers.get("content-type", "").split(";")[0]
            ok = status == 200 and (content.startswith(b"%PDF") if label == "PDF" else kind == "text/html")
            ok = ok and "no-store" in headers.get("cache-control", "")
            print(f"{username:18} {label:17} {status} {kind:16} {len(content):>8} B {elapsed * 1000:6.0f} ms"
                  f"{'' if ok else '   <-- FAILED'}")
            if not ok:
                failures.append(f"{username} {label} {path}: {status} {kind}")
    if failures:
        print("SMOKE FAILED:", *failures, sep="\n  ")
        return 1
    print("smoke: every role got its home, the participant list, a case file and a PDF")
    return 0


if __name__ == "__main__":
    sys.exit(main())
