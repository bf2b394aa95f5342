"""Workshop pages whose query count must not grow with rows (tests/test_queries.py)."""

from django.urls import reverse

from conecta import permissions as p


def _running_workshop(users):
    from workshops.models import Workshop
    from workshops.tests.factories import make_workshop

    workshop = Workshop.objects.filter(place="Sala de consultas de prueba").first()
    if workshop is None:
        workshop = make_workshop(actor=users[p.PSYCHOLOGIST], place="Sala de consultas de prueba", capacity=100)
    return workshop


def add_workshops(users, n):
    from workshops.tests.factories import enrol, make_workshop, mark_all

    for _i in range(n):
        workshop = make_workshop(actor=users[p.PSYCHOLOGIST], sessions=3)
        enrol(workshop, actor=users[p.PSYCHOLOGIST])
        mark_all(workshop.sessions.order_by("number").first(), "present", actor=users[p.PSYCHOLOGIST])


def add_enrolments(users, n):
    from workshops.tests.factories import enrol, mark_all

    workshop = _running_workshop(users)
    for _i in range(n):
        enrol(workshop, actor=users[p.PSYCHOLOGIST])
    mark_all(workshop.sessions.order_by("number").first(), "absent", actor=users[p.PSYCHOLOGIST])


def _detail_url(users):
    return reverse("workshops:workshop_detail", args=[_running_workshop(users).pk])


def _attendance_url(users):
    return reverse("workshops:workshop_attendance", args=[_running_workshop(users).sessions.order_by("number")[0].pk])


QUERY_PAGES = [
    ("workshop_list", p.MANAGER, lambda users: reverse("workshops:workshop_list"), add_workshops),
    ("workshop_list-mine", p.PSYCHOLOGIST, lambda users: reverse("workshops:workshop_list") + "?mine=on&status=running",
     add_workshops),
    ("workshop_home-psychologist", p.PSYCHOLOGIST, lambda users: reverse("role_home", args=[p.PSYCHOLOGIST]),
     add_workshops),
    ("workshop_home-receptionist", p.RECEPTIONIST, lambda users: reverse("role_home", args=[p.RECEPTIONIST]),
     add_workshops),
    ("workshop_detail", p.MANAGER, _detail_url, add_enrolments),
    ("workshop_detail-desk", p.RECEPTIONIST, _detail_url, add_enrolments),
    ("workshop_attendance", p.RECEPTIONIST, _attendance_url, add_enrolments),
    ("workshoptype_list", p.MANAGER, lambda users: reverse("workshops:workshoptype_list"),
     add_workshops),
]
