"""Measure the main pages on one benchmark database and print the figures as JSON.

    DATABASE_URL=postgres://…/conecta_bench_5000 python -m bench.measure --repeat 15

Each page is requested `--repeat` times (after one warm-up) through Django's test client in
this process, as the role that uses it, with debug off: median wall time, median CPU time of
this process (Python; the database server's CPU is not in it) and the number of SQL queries
of one request — authentication and session included, as a browser would pay them.
"""

import argparse
import json
import os
import statistics
import sys
import time


def setup():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conecta.settings")
    import django

    django.setup()


def pages():
    """(label, role, path): the path may be a callable(client) -> path, run once before measuring."""
    from django.db.models import Count
    from django.urls import reverse

    from conecta import permissions as p
    from interventions.models import Plan
    from participants.models import CaseStatus, Cohort, Participant
    from workshops.models import WorkshopSession

    # The same demo person in every database: seed_demo runs first and is deterministic.
    person = (Participant.objects.filter(cases__status=CaseStatus.INTERVENTION, cases__plan__isnull=False)
              .annotate(n=Count("cases__sessions")).order_by("-n", "pk").first())
    case = person.cases.get(status=CaseStatus.INTERVENTION)
    plan = Plan.objects.get(case=case)
    cohort = Cohort.objects.order_by("pk").first()
    workshop_session = WorkshopSession.objects.order_by("-date", "pk").filter(
        date__lte=__import__("datetime").date.today()).first()
    participants = reverse("participants:participant_list")

    def search(text):
        """The search form posts the text, which stays in the session; the list's URL has its key."""
        def url(client):
            return client.post(reverse("participants:participant_search"), {"q": text})["Location"]
        return url

    rows = [(f"inicio {role}", role, reverse("role_home", args=[role])) for role in p.ROLES]
    rows += [
        ("participantes", p.PSYCHOLOGIST, participants),
        ("participantes ?q=munoz", p.PSYCHOLOGIST, search("munoz")),
        ("participantes ?q=RUT", p.PSYCHOLOGIST, search(person.rut[:6])),
        ("participantes ?status=", p.PSYCHOLOGIST, participants + f"?status={CaseStatus.INTERVENTION}"),
        ("participantes ?category=", p.PSYCHOLOGIST, participants + "?category=justice"),
        ("participantes ?cohort=", p.PSYCHOLOGIST, participants + f"?cohort={cohort.pk}" if cohort else participants),
        ("admin: participantes", "admin", "/admin/participants/participant/"),
        ("ficha (todas las pestañas)", p.PSYCHOLOGIST, reverse("participants:participant_detail", args=[person.pk])),
        ("recepción", p.RECEPTIONIST, reverse("interventions:reception")),
        ("agenda del día", p.PSYCHOLOGIST, reverse("interventions:agenda_day")),
        ("agenda semanal", p.PSYCHOLOGIST, reverse("interventions:agenda_week")),
        ("seguimiento telefónico", p.RECEPTIONIST, reverse("interventions:phonefollowup_list")),
        ("seguimiento tel. cerrados", p.RECEPTIONIST, reverse("interventions:phonefollowup_list") + "?estado=cerrados"),
        ("derivaciones", p.SOCIAL_WORKER, reverse("interventions:referral_list")),
        ("derivaciones todas", p.SOCIAL_WORKER, reverse("interventions:referral_list") + "?status=all"),
        ("mis sesiones", p.PSYCHOLOGIST, reverse("interventions:session_list")),
        ("generaciones", p.MANAGER, reverse("participants:cohort_list")),
        ("plan PDF", p.PSYCHOLOGIST, reverse("interventions:plan_pdf", args=[plan.pk])),
        ("diagnóstico PDF", p.PSYCHOLOGIST, reverse("interventions:diagnosis_pdf", args=[case.pk])),
    ]
    if workshop_session is not None:
        rows.append(("asistencia a taller", p.OCCUPATIONAL_THERAPIST,
                     reverse("workshops:workshop_attendance", args=[workshop_session.pk])))
    return rows


def client_for(role):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    if role == "admin":
        user, _ = User.objects.get_or_create(username="bench.admin", defaults={
            "first_name": "Admin", "is_staff": True, "is_superuser": True})
    else:
        user = User.objects.filter(groups__in=Group.objects.filter(name=role), is_active=True).order_by("pk").first()
    client = Client(HTTP_X_FORWARDED_PROTO="https")  # as behind the README's TLS proxy
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and (user.is_staff or role == "manager"):
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def bare_search_query():
    """The bare search query the list's name search is compared with."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, given_names, paternal_surname FROM participants_participant "
                           "WHERE search_text LIKE %s ORDER BY paternal_surname, id LIMIT 25", ["%munoz%"])
            return cursor.fetchall()
    return run


def measure(repeat):
    from django.db import connection

    results = []
    clients = {}
    for label, role, how in pages():
        client = clients.get(role) or clients.setdefault(role, client_for(role))
        path = how(client) if callable(how) else how

        def request():
            return client.get(path)

        first = request()
        if first.status_code != 200:
            raise SystemExit(f"{label}: {how} answered {first.status_code}")
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: queries.append(sql)
                                        or execute(sql, params, many, context)):
            request()
        walls, cpus = [], []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            request()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        results.append({"page": label, "ms": 1000 * statistics.median(walls), "cpu_ms": 1000 * statistics.median(cpus),
                        "queries": len(queries)})
    run = bare_search_query()
    run()
    walls = []
    for _ in range(repeat):
        wall = time.perf_counter()
        run()
        walls.append(time.perf_counter() - wall)
    results.append({"page": "consulta de búsqueda sola", "ms": 1000 * statistics.median(walls), "cpu_ms": None,
                    "queries": 1})
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    setup()
    from participants.models import Participant

    print(json.dumps({"people": Participant.objects.count(), "pages": measure(args.repeat)}))


if __name__ == "__main__":
    main()
