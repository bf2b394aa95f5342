"""Passwords: the manager's form checks them against the account being written, program words
are refused, a manager-set password must be changed at first login, and wrong current passwords
on the change page end the session."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conecta import permissions as p
from conecta.accounts.passwords import ProgramWordsValidator
from conecta.models import AccountSecurity, Commune, ProgramSettings

pytestmark = pytest.mark.django_db


def create_user(client, **fields):
    data = {"username": "maria.gonzalez", "first_name": "María", "last_name": "González",
            "email": "mgonzalez@muni.example", "is_active": "on", "roles": [p.SOCIAL_WORKER],
            "password": "Paseo-Tranquilo-77"}
    data.update(fields)
    return client.post(reverse("user_create"), data)


@pytest.mark.parametrize("password,message", [
    ("maria.gonzalez", "La contraseña es demasiado similar a la de nombre de usuario."),
    ("MariaGonzalez1", "La contraseña es demasiado similar"),
    ("mgonzalez@muni", "La contraseña es demasiado similar"),
    ("Conecta2026!", "no puede contener palabras del programa ni de la comuna (conecta)"),
    ("C0n3ct@-segura", "no puede contener palabras del programa ni de la comuna (conecta)"),
    ("LasCondes-2026", "(condes, lascondes)"),
    ("reinicia-tu-vida", "(reinicia)"),
    ("x" * 100 + "Qz9!" * 8, "como máximo 128 caracteres"),
])
def test_manager_form_refuses_weak_passwords_next_to_the_field(client_for, manager, password, message):
    response = create_user(client_for(manager), password=password)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["password"]
    assert any(message in error for error in errors["password"]), errors["password"]
    html = response.content.decode()
    assert 'value="maria.gonzalez"' in html and 'value="González"' in html  # what was typed is kept
    assert not User.objects.filter(username="maria.gonzalez").exists()


def test_a_long_passphrase_up_to_the_maximum_is_accepted(client_for, manager):
    passphrase = ("Paseo tranquilo junto al río Mapocho " * 4)[:128]
    assert create_user(client_for(manager), password=passphrase).status_code == 302


def test_program_words_follow_the_program_settings(settings):
    from django.core.exceptions import ValidationError

    program = ProgramSettings.load()
    program.name = "Programa Reinserción"
    program.municipality = "Municipalidad de Peñalolén"
    program.commune = Commune.objects.get(name="Peñalolén")
    program.save()
    with pytest.raises(ValidationError, match="penalolen"):
        ProgramWordsValidator().validate("PeÑaLoLen#2026")
    # Another commune's name is just a word…
    ProgramWordsValidator().validate("LasCondes-Paseo-77")
    # …unless the list in settings names it.
    settings.PASSWORD_PROGRAM_WORDS = ["condes"]
    with pytest.raises(ValidationError, match="condes"):
        ProgramWordsValidator().validate("LasCondes-Paseo-77")


def test_a_created_account_must_change_its_password_before_any_page(client_for, manager):
    assert create_user(client_for(manager)).status_code == 302
    assert AccountSecurity.objects.get(user__username="maria.gonzalez").must_change_password
    person = Client()
    assert person.post(reverse("login"), {"username": "maria.gonzalez", "password": "Paseo-Tranquilo-77"}).status_code == 302
    for url in [reverse("home"), reverse("participants:participant_list"), reverse("institution_list"),
                reverse("role_home", args=[p.SOCIAL_WORKER])]:
        response = person.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    page = person.get(reverse("password_change"))
    assert "La contraseña de su cuenta la fijó la gestora" in page.content.decode()
    same = person.post(reverse("password_change"), {
        "old_password": "Paseo-Tranquilo-77", "new_password1": "Paseo-Tranquilo-77", "new_password2": "Paseo-Tranquilo-77"})
    assert "debe ser distinta de la actual" in str(same.context["form"].errors["new_password2"])
    weak = person.post(reverse("password_change"), {
        "old_password": "Paseo-Tranquilo-77", "new_password1": "conecta-maria", "new_password2": "conecta-maria"})
    assert weak.context["form"].errors["new_password2"]
    done = person.post(reverse("password_change"), {
        "old_password": "Paseo-Tranquilo-77", "new_password1": "Cerro-San-Cristobal-9", "new_password2": "Cerro-San-Cristobal-9"})
    assert done["Location"] == reverse("password_change_done")
    assert person.get(reverse("participants:participant_list")).status_code == 200
    assert not AccountSecurity.objects.get(user__username="maria.gonzalez").must_change_password


def test_editing_an_account_without_a_password_forces_nothing(client_for, manager, role_users):
    account = role_users[p.PSYCHOLOGIST]
    response = client_for(manager).post(reverse("user_update", args=[account.pk]), {
        "username": account.username, "first_name": "Daniela", "last_name": "Fuentes", "email": "",
        "is_active": "on", "roles": [p.PSYCHOLOGIST], "password": ""})
    assert response.status_code == 302
    assert not AccountSecurity.objects.filter(user=account, must_change_password=True).exists()


def test_a_password_the_manager_sets_on_an_existing_account_must_be_changed(client_for, manager, role_users):
    account = role_users[p.PSYCHOLOGIST]
    client_for(manager).post(reverse("user_update", args=[account.pk]), {
        "username": account.username, "first_name": "Daniela", "last_name": "Fuentes", "email": "",
        "is_active": "on", "roles": [p.PSYCHOLOGIST], "password": "Paseo-Tranquilo-77"})
    person = Client()
    person.post(reverse("login"), {"username": account.username, "password": "Paseo-Tranquilo-77"})
    assert person.get(reverse("home"))["Location"] == reverse("password_change")


def test_wrong_current_passwords_end_the_session(client_for, role_users, settings, caplog):
    person = Client(REMOTE_ADDR="10.2.2.2")
    person.post(reverse("login"), {"username": "psicologa", "password": "conecta-demo"})
    wrong = {"old_password": "adivina", "new_password1": "Cerro-San-Cristobal-9", "new_password2": "Cerro-San-Cristobal-9"}
    with caplog.at_level(logging.INFO, logger="conecta.security"):
        for _n in range(settings.PASSWORD_CHANGE_FAILURE_LIMIT - 1):
            response = person.post(reverse("password_change"), wrong)
            assert response.status_code == 200
            assert response.context["form"].errors["old_password"]
        response = person.post(reverse("password_change"), wrong)
    assert response["Location"] == reverse("login")
    assert person.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert "password.change_refused user=psicologa address=10.2.2.2 failures=3" in caplog.text
    assert "adivina" not in caplog.text
    # Each one counted toward the username's lockout: two more wrong logins lock it.
    assert sum(AccessAttempt.objects.filter(username="psicologa").values_list("failures_since_start", flat=True)) == 3
    User.objects.get(username="psicologa")
    assert User.objects.get(username="psicologa").check_password("conecta-demo")
