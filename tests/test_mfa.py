"""Second factor: required for the manager and admin accounts, optional for the others,
tested through the real sign-in flow (no force_login shortcut here)."""

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conecta import permissions as p
from participants.tests.factories import UserFactory
from tests import test_access_matrix as matrix
from tests.otp import next_code, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

objects = matrix.objects  # the access matrix's standing objects, to build every URL

# Pages a signed-in session may open before its second factor, and where they lead.
# The privacy notice is public: anyone, with or without an account, may read it.
OPEN_BEFORE_SECOND_FACTOR = {"healthz": 200, "login": 302, "privacynotice_detail": 200, "privacynotice_version": 200}


def password_login(username, client=None, address="10.0.0.1"):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": "conecta-demo"})
    assert response.status_code == 302, "the password step itself must succeed"
    return client


def password_login_refused(username):
    return Client(REMOTE_ADDR="10.9.9.9").post(
        reverse("login"), {"username": username, "password": "conecta-demo"}).status_code == 429


def let_throttle_pass(device):
    """After a wrong code a device waits 1, 2, 4… seconds before it checks another one: pretend
    the person took that long to type the next code."""
    from django.utils import timezone

    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(hours=1))


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Aplicación de autenticación", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Códigos de recuperación", confirmed=True)
    static.token_set.create(token="abcd2345")
    return device


@pytest.mark.parametrize("has_device,step_url", [(True, "otp_verify"), (False, "mfa_setup")])
def test_manager_reaches_no_page_without_the_second_factor(objects, has_device, step_url):
    manager = objects["users"][p.MANAGER]
    if has_device:
        enrolled(manager)
    client = password_login(manager.username)
    urls = [(name, builder(objects)) for name, builder, _expected, _anon in matrix.ROWS]
    urls += [("admin", reverse("admin:index"))]
    assert len(urls) > 60
    for name, url in urls:
        response = client.get(url)
        if name in OPEN_BEFORE_SECOND_FACTOR:
            assert response.status_code == OPEN_BEFORE_SECOND_FACTOR[name], name
            continue
        if name == step_url:
            assert response.status_code == 200, name
            continue
        assert response.status_code == 302, f"{name} ({url}) answered {response.status_code}"
        assert response["Location"].startswith(reverse(step_url)), f"{name} ({url}) → {response['Location']}"
    # Writes are refused too, not only pages.
    response = client.post(reverse("user_create"), {"username": "intrusa", "first_name": "X", "password": "Paseo-Tranquilo-77"})
    assert response["Location"].startswith(reverse(step_url))
    assert not User.objects.filter(username="intrusa").exists()


def test_login_then_code_then_home(role_users, caplog):
    device = enrolled(role_users[p.MANAGER])
    client = password_login("gestora", address="10.0.0.5")
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("otp_verify") + "?next=%2F"
    page = client.get(response["Location"])
    assert "código de 6 dígitos" in page.content.decode()
    code = totp_code(device)
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        response = client.post(reverse("otp_verify"), {"code": code, "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("role_home", args=[p.MANAGER])
    assert response.status_code == 200
    assert "mfa.verified user=gestora address=10.0.0.5" in caplog.text
    assert code not in caplog.text
    # The verified session now reaches the manager's pages.
    assert client.get(reverse("user_list")).status_code == 200


def test_a_code_is_accepted_once(role_users):
    device = enrolled(role_users[p.MANAGER])
    first = password_login("gestora")
    code = totp_code(device)
    assert first.post(reverse("otp_verify"), {"code": code})["Location"] == reverse("home")
    second = password_login("gestora")
    response = second.post(reverse("otp_verify"), {"code": code})
    assert response.status_code == 200
    assert "El código no es válido o ya se usó" in response.content.decode()


def test_unsafe_next_is_ignored(role_users):
    device = enrolled(role_users[p.MANAGER])
    client = password_login("gestora")
    response = client.post(reverse("otp_verify"), {"code": totp_code(device), "next": "https://example.com/"})
    assert response["Location"] == reverse("home")


def test_wrong_codes_are_logged_without_the_code_and_end_the_session(role_users, caplog, settings):
    from axes.models import AccessAttempt

    device = enrolled(role_users[p.MANAGER])
    client = password_login("gestora", address="10.0.0.6")
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        for attempt in range(settings.MFA_FAILURE_LIMIT - 1):
            response = client.post(reverse("otp_verify"), {"code": "000000"})
            assert response.status_code == 200
            assert "El código no es válido" in response.context["form"].errors["code"][0]
            # Right away, the device does not even look at the next code, and does not count it.
            response = client.post(reverse("otp_verify"), {"code": "000000"})
            assert "espere unos segundos" in response.context["form"].errors["code"][0]
            let_throttle_pass(device)
        response = client.post(reverse("otp_verify"), {"code": "000000"})
    # The fifth wrong code is also the username's fifth failure: the session ends on the lockout page.
    assert response.status_code == 429
    assert "Ingreso bloqueado temporalmente" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert password_login_refused("gestora")
    assert "mfa.failed user=gestora address=10.0.0.6 failures=1" in caplog.text
    assert "000000" not in caplog.text
    # Each wrong code counted as a failed login toward the username's lockout.
    assert sum(AccessAttempt.objects.filter(username="gestora").values_list("failures_since_start", flat=True)) == 5


def test_recovery_code_works_once_and_is_logged(role_users, caplog):
    enrolled(role_users[p.MANAGER])
    client = password_login("gestora", address="10.0.0.7")
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        response = client.post(reverse("otp_verify"), {"code": "ABCD-2345"})
    assert response["Location"] == reverse("home")
    assert "mfa.recovery_code_used user=gestora address=10.0.0.7 left=0" in caplog.text
    assert "abcd2345" not in caplog.text.lower()
    again = password_login("gestora")
    assert again.post(reverse("otp_verify"), {"code": "abcd2345"}).status_code == 200


def test_manager_enrols_right_after_the_password(role_users, caplog):
    client = password_login("gestora", address="10.0.0.8")
    response = client.get(reverse("participants:participant_list"))
    assert response["Location"].startswith(reverse("mfa_setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and "qr-code" in html            # drawn here, inline
    assert "otpauth" not in html and "chart" not in html    # no outside QR service, no URI in an <img>
    pending = TOTPDevice.objects.get(user=role_users[p.MANAGER], confirmed=False)
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert 'href="/participants/"' not in html              # no menu until enrolled
    # A wrong code leaves the device unconfirmed.
    response = client.post(reverse("mfa_setup"), {"code": "123456", "next": "/participants/"})
    assert response.context["form"].errors["code"]
    pending.refresh_from_db()
    assert not pending.confirmed
    let_throttle_pass(pending)
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        response = client.post(reverse("mfa_setup"), {"code": totp_code(pending), "next": "/participants/"})
    assert response["Location"] == reverse("mfa_recovery_codes") + "?next=%2Fparticipants%2F"
    pending.refresh_from_db()
    assert pending.confirmed
    assert "mfa.enrolled user=gestora address=10.0.0.8" in caplog.text
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert codes[0] in codes_page.content.decode()
    assert codes_page["Cache-Control"].startswith("max-age=0") or "no-store" in codes_page["Cache-Control"]
    # Shown once only.
    assert codes[0] not in client.get(reverse("mfa_recovery_codes")).content.decode()
    assert client.get("/participants/").status_code == 200
    # A recovery code from the list signs in later.
    later = password_login("gestora")
    assert later.post(reverse("otp_verify"), {"code": codes[3]})["Location"] == reverse("home")


def test_reloading_the_enrolment_page_keeps_the_same_secret(role_users):
    client = password_login("gestora")
    first = client.get(reverse("mfa_setup")).context["secret"]
    assert client.get(reverse("mfa_setup")).context["secret"] == first


def test_other_roles_may_enrol_and_are_then_asked(role_users):
    client = password_login("psicologa")
    assert client.get(reverse("home"))["Location"] == reverse("role_home", args=[p.PSYCHOLOGIST])
    setup = client.get(reverse("mfa_setup"))
    assert "Opcional para su rol" in setup.content.decode()
    pending = TOTPDevice.objects.get(user=role_users[p.PSYCHOLOGIST])
    client.post(reverse("mfa_setup"), {"code": totp_code(pending)})
    later = password_login("psicologa")
    assert later.get(reverse("home"))["Location"].startswith(reverse("otp_verify"))
    assert later.post(reverse("otp_verify"), {"code": next_code(pending)})["Location"] == reverse("home")


def test_regenerated_recovery_codes_replace_the_old_ones(role_users):
    device = enrolled(role_users[p.MANAGER])
    client = password_login("gestora")
    client.post(reverse("otp_verify"), {"code": totp_code(device)})
    response = client.post(reverse("mfa_recovery_codes"))
    assert response["Location"] == reverse("mfa_recovery_codes")
    codes = client.get(reverse("mfa_recovery_codes")).context["codes"]
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert StaticToken.objects.filter(device__user=role_users[p.MANAGER]).count() == 10


def test_staff_accounts_need_the_second_factor_too():
    staff = UserFactory(username="soporte", is_staff=True)
    client = password_login(staff.username)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa_setup"))


def test_manager_resets_a_lost_phone(role_users, caplog):
    other_manager = UserFactory(username="gestora2", roles=[p.MANAGER])
    device = enrolled(other_manager)
    their_session = password_login("gestora2")
    their_session.post(reverse("otp_verify"), {"code": totp_code(device)})
    assert their_session.get(reverse("user_list")).status_code == 200

    manager_device = enrolled(role_users[p.MANAGER])
    manager = password_login("gestora", address="10.0.0.9")
    manager.post(reverse("otp_verify"), {"code": totp_code(manager_device)})
    url = reverse("user_mfa_reset", args=[other_manager.pk])
    assert url in manager.get(reverse("user_list")).content.decode()
    confirm = manager.get(url)
    assert "Sí, restablecer" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=other_manager).exists(), "a GET changes nothing"
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        response = manager.post(url)
    assert response["Location"] == reverse("user_list")
    assert not TOTPDevice.objects.filter(user=other_manager).exists()
    assert not StaticDevice.objects.filter(user=other_manager).exists()
    assert "mfa.reset user=gestora2 by=gestora address=10.0.0.9" in caplog.text
    assert other_manager.history.first().history_change_reason == "Verificación en dos pasos restablecida"
    # Their open session must enrol again before anything else.
    assert their_session.get(reverse("user_list"))["Location"].startswith(reverse("mfa_setup"))


def test_only_the_manager_resets_a_second_factor(role_users):
    enrolled(role_users[p.PSYCHOLOGIST])
    client = password_login("trabajador.social")
    assert client.post(reverse("user_mfa_reset", args=[role_users[p.PSYCHOLOGIST].pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=role_users[p.PSYCHOLOGIST]).exists()
