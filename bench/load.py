"""A bounded load: N logged-in sessions browse a running Conecta for a fixed time.

    python -m bench.load --url http://127.0.0.1:8732 --sessions 50 --seconds 180

Run by `make load` (bench/load.sh starts gunicorn as `make serve` does, debug off, on a
benchmark database). Each session logs in through the real form as one of the demo
professionals or the receptionist (round robin), then keeps asking for its home, the
participant list, a name search, a case file and the day's agenda, with no pause, the way
a busy team clicks. Requests go as the README's TLS proxy would forward them
(X-Forwarded-Proto: https). Prints requests per second, p50/p95/max latency and every
error; exits non-zero if there was any.
"""

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import time

import httpx

PASSWORD = "conecta-demo"
USERS = ["psicologa", "trabajador.social", "terapeuta", "monitoreo", "recepcion"]
SEARCHES = ["munoz", "gonzalez", "rojas", "silva", "soto", "camila", "diego"]
HOMES = {"psicologa": "psychologist", "trabajador.social": "social_worker", "terapeuta": "occupational_therapist",
         "monitoreo": "followup_psychologist", "recepcion": "receptionist"}


def https(url):
    """The page's address as the browser saw it, through the TLS proxy."""
    return "https" + str(url)[len("http"):] if str(url).startswith("http:") else str(url)


def csrf(text):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


class Stats:
    def __init__(self):
        self.times = []
        self.errors = []
        self.by_page = {}

    def add(self, page, seconds, status, expected=(200,)):
        self.times.append(seconds)
        self.by_page.setdefault(page, []).append(seconds)
        if status not in expected:
            self.errors.append(f"{page}: {status}")


async def login(client, username):
    page = await client.get("/accounts/login/")
    response = await client.post("/accounts/login/", data={
        "csrfmiddlewaretoken": csrf(page.text), "username": username, "password": PASSWORD},
        headers={"Referer": https(page.url)})
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} answered {response.status_code}")


async def browse(number, args, people, stats, deadline):
    username = USERS[number % len(USERS)]
    rng = random.Random(number)
    async def keep_cookies(response):
        # The TLS proxy is simulated: the Secure cookies still travel over this loopback http.
        for cookie in client.cookies.jar:
            cookie.secure = False

    async with httpx.AsyncClient(base_url=args.url, headers={"X-Forwarded-Proto": "https"}, timeout=60,
                                 follow_redirects=False, event_hooks={"response": [keep_cookies]}) as client:
        await login(client, username)
        home = f"/inicio/{HOMES[username]}/"
        while time.monotonic() < deadline:
            choice = rng.random()
            started = time.perf_counter()
            if choice < 0.25:
                page, response = "inicio", await client.get(home)
            elif choice < 0.45:
                page, response = "participantes", await client.get("/participants/")
            elif choice < 0.65:
                listing = await client.get("/participants/")
                found = await client.post("/participants/buscar/", data={
                    "q": rng.choice(SEARCHES), "csrfmiddlewaretoken": csrf(listing.text)},
                    headers={"Referer": https(listing.url)})
                if found.status_code != 302:
                    stats.add("búsqueda", time.perf_counter() - started, found.status_code)
                    continue
                page, response = "búsqueda", await client.get(found.headers["Location"])
            elif choice < 0.9:
                page, response = "ficha", await client.get(f"/participants/{rng.choice(people)}/")
            else:
                page, response = "agenda", await client.get("/agenda/" if username != "recepcion" else "/recepcion/")
            stats.add(page, time.perf_counter() - started, response.status_code)


def visible_people(limit=2000):
    """Ids of people any of these users may open: not blocked (Django set up on the same database)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conecta.settings")
    import django

    django.setup()
    from participants.models import Participant

    return list(Participant.objects.filter(blocked_on__isnull=True, anonymised_on__isnull=True)
                .order_by("?").values_list("pk", flat=True)[:limit])


async def run(args, people):
    stats = Stats()
    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    results = await asyncio.gather(*(browse(n, args, people, stats, deadline) for n in range(args.sessions)),
                                   return_exceptions=True)
    elapsed = time.monotonic() - started
    failures = [r for r in results if isinstance(r, Exception)]
    times = sorted(stats.times)
    if not times:
        raise SystemExit(f"no request completed: {failures[:3]}")
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{args.sessions} sesiones, {elapsed:.0f} s, {len(times)} solicitudes: {len(times) / elapsed:.1f} req/s; "
          f"p50 {1000 * statistics.median(times):.0f} ms, p95 {1000 * p95:.0f} ms, máx {1000 * times[-1]:.0f} ms; "
          f"errores: {len(stats.errors) + len(failures)}")
    for page, values in sorted(stats.by_page.items()):
        values.sort()
        print(f"  {page}: {len(values)} solicitudes, p50 {1000 * statistics.median(values):.0f} ms, "
              f"p95 {1000 * values[int(0.95 * (len(values) - 1))]:.0f} ms")
    for error in (stats.errors + [repr(f) for f in failures])[:20]:
        print("  error:", error)
    return 1 if stats.errors or failures else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8732")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    args = parser.parse_args(argv)
    people = visible_people()  # before the event loop: the ORM is synchronous
    raise SystemExit(asyncio.run(run(args, people)))


if __name__ == "__main__":
    main()
