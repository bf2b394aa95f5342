"""List pages cost the same number of SQL queries for 2 rows and for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conecta import permissions as p
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, CohortFactory, InstitutionFactory
from tests.roles import extension_modules

pytestmark = pytest.mark.django_db


def make_cases(n, users):
    cohort = CohortFactory()
    for _i in range(n):
        CaseFactory(cohort=cohort, status=CaseStatus.INTERVENTION, psychologist=users[p.PSYCHOLOGIST],
                    referral_source=InstitutionFactory())


def count_queries(client, url):
    # A first request renews the session's idle limit (once a minute) and looks the second
    # factor up once per session: costs of the session, not of the list's rows.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = [
    (p.MANAGER, lambda: reverse("participants:participant_list")),
    (p.RECEPTIONIST, lambda: reverse("participants:participant_list")),
    (p.MANAGER, lambda: reverse("participants:participant_list") + "?status=intervention"),
    (p.MANAGER, lambda: reverse("role_home", args=[p.MANAGER])),
    (p.PSYCHOLOGIST, lambda: reverse("role_home", args=[p.PSYCHOLOGIST])),
    (p.RECEPTIONIST, lambda: reverse("role_home", args=[p.RECEPTIONIST])),
    (p.MANAGER, lambda: reverse("participants:cohort_list")),
    (p.MANAGER, lambda: reverse("institution_list")),
    (p.MANAGER, lambda: reverse("user_list")),
    (p.MANAGER, lambda: reverse("accesslog_list")),
]


@pytest.mark.parametrize("role,url", PAGES, ids=[f"{r}-{i}" for i, (r, _u) in enumerate(PAGES)])
def test_list_query_count_does_not_grow_with_rows(client, role_users, role, url):
    client.force_login(role_users[role], backend="django.contrib.auth.backends.ModelBackend")
    make_cases(2, role_users)
    # Visit two case files so the access log has rows too.
    from participants.models import Participant

    for person in Participant.objects.all()[:2]:
        client.get(reverse("participants:participant_detail", args=[person.pk]))
    few = count_queries(client, url())
    make_cases(28, role_users)
    for person in Participant.objects.all()[2:30]:
        client.get(reverse("participants:participant_detail", args=[person.pk]))
    many = count_queries(client, url())
    assert few == many, f"{few} queries with 2 rows, {many} with 30"


def test_case_file_query_count_does_not_grow_with_cases(client, role_users):
    from datetime import date

    from participants import services

    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    case = CaseFactory(status=CaseStatus.CLOSED)
    person = case.participant
    url = reverse("participants:participant_detail", args=[person.pk])
    few = count_queries(client, url)
    for _i in range(5):
        services.case_open(participant=person, actor=role_users[p.MANAGER], applied_on=date.today(), reason="Prueba")
        latest = person.cases.order_by("-number").first()
        services.case_transition(case=latest, to_status=CaseStatus.NOT_ADMITTED, actor=role_users[p.MANAGER],
                                 date=date.today(), reason="Prueba")
    many = count_queries(client, url)
    assert few == many


# Apps above the foundation list their pages in `<app>/tests/queries*.py` as
# QUERY_PAGES = [(id, role, url(users) -> str, add_rows(users, n))]:
# `add_rows` creates n more rows of what the page lists.
EXTENSION_PAGES = [page for module in extension_modules("queries") for page in module.QUERY_PAGES]


@pytest.mark.parametrize("role,url,add_rows", [page[1:] for page in EXTENSION_PAGES],
                         ids=[page[0] for page in EXTENSION_PAGES])
def test_app_list_query_count_does_not_grow_with_rows(client, role_users, role, url, add_rows):
    client.force_login(role_users[role], backend="django.contrib.auth.backends.ModelBackend")
    add_rows(role_users, 2)
    few = count_queries(client, url(role_users))
    add_rows(role_users, 28)
    many = count_queries(client, url(role_users))
    assert few == many, f"{few} queries with 2 rows, {many} with 30"
