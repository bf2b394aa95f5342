"""Lists of the whole history count at most a cap of rows, and say so (the count would read
every row the program ever recorded)."""

import pytest
from django.urls import reverse

from conecta import permissions as p
from conecta.mixins import CappedPaginator
from interventions.models import Session
from interventions.tests.factories import SessionFactory
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_capped_count_stops_at_the_cap_and_says_so(role_users):
    case = CaseFactory()
    for _ in range(5):
        SessionFactory(case=case, professional=role_users[p.PSYCHOLOGIST])
    rows = Session.objects.order_by("pk")
    capped = CappedPaginator(rows, 2, cap=3)
    assert capped.count == 3 and capped.capped and capped.num_pages == 2
    exact = CappedPaginator(rows, 2, cap=10)
    assert exact.count == 5 and not exact.capped


def test_my_sessions_beyond_the_cap_ask_for_a_filter(client_for, role_users, monkeypatch):
    from interventions.views import sessions as views

    psychologist = role_users[p.PSYCHOLOGIST]
    case = CaseFactory(psychologist=psychologist)
    for _ in range(4):
        SessionFactory(case=case, professional=psychologist)
    monkeypatch.setattr(views, "HISTORY_CAP", 3)
    text = client_for(psychologist).get(reverse("interventions:session_list")).content.decode()
    assert "Se muestran los primeros 3 registros" in text
    monkeypatch.setattr(views, "HISTORY_CAP", 10)
    text = client_for(psychologist).get(reverse("interventions:session_list")).content.decode()
    assert "Se muestran los primeros" not in text
