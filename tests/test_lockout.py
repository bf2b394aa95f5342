"""Brute force: a username locks whatever the address, an address is throttled on its own,
and the client address is read through the trusted proxies only."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.accounts.addresses import client_address
from participants.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(username, password, address):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_from_five_addresses_lock_the_username(role_users, caplog):
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        for n in range(4):
            assert attempt("psicologa", "mala", f"203.0.113.{n + 1}").status_code == 200
        # The fifth failure, from a fifth address, locks the username at once.
        assert attempt("psicologa", "mala", "203.0.113.5").status_code == 429
    response = attempt("psicologa", "conecta-demo", "198.51.100.7")
    assert response.status_code == 429
    assert "Espere 15 minutos" in response.content.decode()
    for n in range(5):
        assert f"login.failed user=psicologa address=203.0.113.{n + 1}" in caplog.text
    assert "login.locked user=psicologa address=203.0.113.5" in caplog.text
    # Other people are not affected, not even from the addresses used.
    assert attempt("recepcion", "conecta-demo", "203.0.113.1").status_code == 302


def test_the_lock_ends_after_the_cool_off_and_failures_while_locked_do_not_prolong_it(role_users, settings):
    for n in range(5):
        attempt("psicologa", "mala", f"203.0.113.{n + 1}")
    for _n in range(10):
        assert attempt("psicologa", "mala", "203.0.113.9").status_code == 429
    assert sum(AccessAttempt.objects.filter(username="psicologa").values_list("failures_since_start", flat=True)) == 5
    AccessAttempt.objects.filter(username="psicologa").update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1))
    assert attempt("psicologa", "conecta-demo", "203.0.113.1").status_code == 302


def test_one_address_is_throttled_over_any_usernames(role_users, settings, caplog):
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
            attempt(f"nadie{n}", "mala", "192.0.2.50")
        # Under the limit, a colleague at the same address still signs in.
        assert attempt("recepcion", "conecta-demo", "192.0.2.50").status_code == 302
        attempt("otro.nombre", "mala", "192.0.2.50")
    assert "login.locked user=otro.nombre address=192.0.2.50" in caplog.text
    # Over it, nobody signs in from that address, whatever the username and password…
    assert attempt("terapeuta", "conecta-demo", "192.0.2.50").status_code == 429
    # …while the same people sign in from anywhere else, and no username got locked.
    assert attempt("terapeuta", "conecta-demo", "192.0.2.51").status_code == 302
    assert attempt("nadie1", "mala", "192.0.2.52").status_code == 200


def test_a_successful_login_does_not_clear_the_addresses_failures_on_other_usernames(role_users):
    """Someone with their own account cannot guess a colleague's password 4 at a time forever."""
    for _round in range(2):
        for _n in range(3):
            attempt("psicologa", "mala", "192.0.2.60")
        assert attempt("recepcion", "conecta-demo", "192.0.2.60").status_code == 302
    assert attempt("psicologa", "conecta-demo", "192.0.2.61").status_code == 429


def test_the_user_list_shows_a_username_locked_from_several_addresses(client_for, role_users):
    for n in range(5):
        attempt("psicologa", "mala", f"203.0.113.{n + 1}")
    html = client_for(role_users[p.MANAGER]).get(reverse("user_list")).content.decode()
    assert html.count("Bloqueada") == 1
    client_for(role_users[p.MANAGER]).post(reverse("user_unlock", args=[role_users[p.PSYCHOLOGIST].pk]))
    assert attempt("psicologa", "conecta-demo", "203.0.113.1").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(role_users, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        # The attacker writes its own X-Forwarded-For; nginx appends the real address.
        Client().post(reverse("login"), {"username": f"x{n}", "password": "mala"}, REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR=f"10.{n}.0.1, 198.51.100.23")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.23"}


@pytest.mark.parametrize("count,remote,header,expected", [
    (0, "198.51.100.1", "1.2.3.4", "198.51.100.1"),               # no proxy trusted: the header is ignored
    (1, "127.0.0.1", "1.2.3.4, 198.51.100.2", "198.51.100.2"),     # nginx appended the client
    (2, "127.0.0.1", "6.6.6.6, 198.51.100.3, 10.0.0.2", "198.51.100.3"),  # load balancer, then nginx
    (1, "127.0.0.1", "", "127.0.0.1"),                              # a local health check: no header
    (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
    (2, "127.0.0.1", "198.51.100.4", "198.51.100.4"),              # skipped the outer proxy
    (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
])
def test_client_address(settings, count, remote, header, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


def test_the_header_name_is_a_setting(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.9",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "198.51.100.9"


def test_unknown_usernames_lock_too(db):
    UserFactory(username="existe")
    for n in range(5):
        attempt("no.existe", "mala", f"203.0.113.{n + 1}")
    assert attempt("no.existe", "mala", "203.0.113.99").status_code == 429
    assert attempt("existe", "conecta-demo", "203.0.113.99").status_code == 302


def test_text_that_names_no_account_is_logged_as_a_digest_only(role_users, caplog):
    """A password or a RUT typed in the username box must not end up in the security log."""
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        attempt("Paseo-Secreto-2026", "mala", "203.0.113.40")
        attempt("Paseo-Secreto-2026", "mala", "203.0.113.41")
    assert "Paseo-Secreto-2026" not in caplog.text
    digests = [line.split("user=")[1].split()[0] for line in caplog.text.splitlines() if "login.failed" in line]
    assert len(digests) == 2 and digests[0] == digests[1] and digests[0].startswith("desconocido:")
