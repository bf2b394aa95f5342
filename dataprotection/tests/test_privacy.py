"""The privacy page: readable without an account, linked from every footer (login included),
and each edit by the manager publishes a new dated version while the old ones stay readable."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.errors import DomainError
from dataprotection.models import PrivacyNotice
from dataprotection.services.privacy import privacy_notice_publish
from participants.tests.test_stale_edits import form_data

pytestmark = pytest.mark.django_db


def test_anyone_reads_it_without_logging_in(client):
    response = client.get(reverse("dataprotection:privacynotice_detail"))
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("Municipalidad de Las Condes", "Responsable del tratamiento", "Bases legales",
                  "Cuánto tiempo se conservan", "Sus derechos y cómo ejercerlos", "Versión 1"):
        assert words in html


def test_login_page_and_app_footer_link_to_it(client, role_users):
    url = reverse("dataprotection:privacynotice_detail")
    assert f'href="{url}"' in client.get(reverse("login")).content.decode()
    client.force_login(role_users[p.RECEPTIONIST], backend="django.contrib.auth.backends.ModelBackend")
    assert f'href="{url}"' in client.get(reverse("participants:participant_list")).content.decode()


def test_an_edit_publishes_a_new_version_and_keeps_the_old(client, role_users):
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("dataprotection:privacynotice_update")
    data = form_data(client.get(url))
    data["contact"] = "Encargada: Karina Caball, protecciondedatos@lascondes.example, +56 2 2952 0000."
    assert client.post(url, data).status_code == 302
    assert PrivacyNotice.objects.count() == 2
    current = PrivacyNotice.current()
    assert current.version == 2 and current.published_on == timezone.localdate()
    assert current.created_by == role_users[p.MANAGER]
    client.logout()
    page = client.get(reverse("dataprotection:privacynotice_detail")).content.decode()
    assert "Karina Caball" in page and "Versión 2" in page
    old = client.get(reverse("dataprotection:privacynotice_version", args=[1])).content.decode()
    assert "Esta es una versión anterior" in old and "Karina Caball" not in old


def test_a_stale_edit_publishes_nothing_and_keeps_the_text(client, role_users):
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("dataprotection:privacynotice_update")
    mine = form_data(client.get(url))
    first = PrivacyNotice.current()
    privacy_notice_publish(actor=role_users[p.MANAGER], version=first.version,
                           **{name: getattr(first, name) + " Actualizado." for name in PrivacyNotice.SECTION_FIELDS})
    mine["retention"] = "Cinco años desde el egreso."
    refused = client.post(url, mine)
    assert refused.status_code == 200 and refused.context["stale"]
    assert PrivacyNotice.objects.count() == 2
    rebased = form_data(refused)
    assert rebased["retention"] == "Cinco años desde el egreso."
    assert rebased["contact"].endswith("Actualizado."), "the other edit is taken into the form"
    assert client.post(url, rebased).status_code == 302
    assert PrivacyNotice.current().version == 3


def test_only_the_manager_publishes(role_users):
    current = PrivacyNotice.current()
    with pytest.raises(DomainError):
        privacy_notice_publish(actor=role_users[p.PSYCHOLOGIST], version=current.version,
                               **{name: "x" for name in PrivacyNotice.SECTION_FIELDS})
