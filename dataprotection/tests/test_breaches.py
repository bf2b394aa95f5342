"""The breach register: the dates in the order things happen, none in the future, and a breach
closes only when both notifications are decided."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.errors import DomainError
from dataprotection.models import SecurityBreach
from dataprotection.services.breaches import breach_errors, breach_update
from dataprotection.tests.factories import days_ago, make_breach
from participants.tests.test_stale_edits import form_data

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def values(**overrides):
    return {"occurred_on": days_ago(10), "detected_on": days_ago(9), "data_categories": ["identity"], **overrides}


@pytest.mark.parametrize("overrides,field", [
    ({"detected_on": days_ago(11)}, "detected_on"),
    ({"occurred_on": TOMORROW, "detected_on": TOMORROW}, "occurred_on"),
    ({"agency_notified_on": days_ago(10)}, "agency_notified_on"),
    ({"people_notified_on": days_ago(10), "people_notification_means": "Carta"}, "people_notified_on"),
    ({"people_notified_on": days_ago(5)}, "people_notification_means"),
    ({"agency_notified_on": days_ago(3), "closed_on": days_ago(4), "people_not_notified_reason": "Riesgo bajo"},
     "closed_on"),
    ({"closed_on": days_ago(2)}, "agency_not_notified_reason"),
    ({"closed_on": days_ago(2), "agency_notified_on": days_ago(3)}, "people_not_notified_reason"),
    ({"closed_on": TOMORROW}, "closed_on"),
    ({"data_categories": []}, "data_categories"),
])
def test_breach_dates_and_decisions(overrides, field):
    assert field in breach_errors(values(**overrides))


def test_a_complete_closed_breach_passes():
    assert breach_errors(values(agency_notified_on=days_ago(8), people_notified_on=days_ago(7),
                                people_notification_means="Llamado telefónico", closed_on=days_ago(1))) == {}


def test_bad_dates_are_shown_next_to_the_field_and_nothing_is_saved(client, role_users):
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("dataprotection:breach_create"), {
        "title": "Notebook robado", "nature": "availability", "description": "Robo del notebook de la sala.",
        "data_categories": ["identity", "justice"], "affected_count": "40", "likely_effects": "Alto.",
        "measures_taken": "Se cambió la contraseña.", "occurred_on": days_ago(3).isoformat(),
        "detected_on": days_ago(4).isoformat(), "version": "0",
    })
    assert response.status_code == 200
    assert "detected_on" in response.context["form"].errors
    assert "Notebook robado" in response.content.decode()
    assert not SecurityBreach.objects.exists()


def test_only_the_manager_keeps_the_register(role_users):
    with pytest.raises(DomainError, match="Solo la gestora"):
        make_breach(role_users[p.PSYCHOLOGIST])


def test_stale_update_is_refused(client, role_users):
    manager = role_users[p.MANAGER]
    breach = make_breach(manager)
    url = reverse("dataprotection:breach_update", args=[breach.pk])
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    mine = form_data(client.get(url))
    breach.measures_proposed = "Capacitación"
    breach_update(breach=breach, actor=manager, version=breach.version)
    mine["affected_count"] = "25"
    refused = client.post(url, mine)
    assert refused.status_code == 200 and refused.context["stale"]
    breach.refresh_from_db()
    assert breach.affected_count == 10 and breach.measures_proposed == "Capacitación"
    assert client.post(url, form_data(refused)).status_code == 302
    breach.refresh_from_db()
    assert breach.affected_count == 25 and breach.measures_proposed == "Capacitación"
