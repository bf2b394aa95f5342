"""Issue 9, point 17: the words on screen. Names instead of logins, plurals that agree with
their count, one phone format, the login error in the form's words, no «carácteres», no
Django «---------», and the menu marks the current section."""

import importlib
import pathlib
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from conecta import permissions as p
from conecta.phone import normalize
from participants import services
from participants.models import Case, Participant
from participants.tests.factories import CaseFactory, ParticipantFactory
from tests.test_access_matrix import ROWS, objects  # noqa: F401  (the matrix's standing objects)

ROOT = pathlib.Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def test_history_and_authors_show_full_names_not_logins(client_for, manager, psychologist):
    case = CaseFactory()
    case.psychologist = psychologist
    services.case_update(case=case, actor=psychologist, version=case.version)
    html = client_for(manager).get(reverse("participants:participant_history", args=[case.participant_id])).content.decode()
    assert psychologist.get_full_name() in html
    assert ">psicologa<" not in html and "→ psicologa" not in html
    assert str(psychologist) == psychologist.get_full_name()


# --- Plurals -------------------------------------------------------------------------------------

_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_COUNT_THEN_PLURAL = re.compile(r"\{\{\s*(\w+)\s*\}\}(?:</strong>)?\s+([a-záéíóúñ]+s)\b")
_COUNT_THEN_TRANS = re.compile(r"\{\{\s*[\w.|]+\s*\}\}(?:</strong>)?\s*\{%\s*trans\s+\"([a-záéíóúñ]+s)\b")
# A count that is never 1 (nobody in the program is one year old).
_NEVER_ONE = {("age", "años")}


def test_every_count_in_a_template_is_pluralised_with_its_number():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for match in _BLOCK.finditer(text):
            if re.search(r"\bcount\b", match.group(1)):
                continue
            found += [(path.name, var, word) for var, word in _COUNT_THEN_PLURAL.findall(match.group(2))
                      if (var, word) not in _NEVER_ONE]
        found += [(path.name, "trans", word) for word in _COUNT_THEN_TRANS.findall(text)]
    assert not found, f"counts without ngettext/blocktrans count: {found}"


def test_one_absence_reads_in_the_singular():
    html = render_to_string("interventions/panels/_agenda_reception.html", {"panel": {
        "expected": 1, "waiting": 0, "arrived": 1, "no_show": 1, "open_followups": 1}})
    assert "<strong>1</strong> inasistencia<" in html and "<strong>1</strong> llegada<" in html
    assert "inasistencias" not in html
    html = render_to_string("interventions/panels/_agenda_reception.html", {"panel": {
        "expected": 3, "waiting": 0, "arrived": 2, "no_show": 2, "open_followups": 0}})
    assert "<strong>2</strong> inasistencias" in html


# --- Phones --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,stored", [
    ("987654321", "+56 9 8765 4321"), ("+56987654321", "+56 9 8765 4321"), ("9 8765-4321", "+56 9 8765 4321"),
    ("223456789", "+56 2 2345 6789"), ("(33) 231 0450", "+56 33 231 0450"), ("+54 11 4321 5678", "+54 11 4321 5678"),
])
def test_phones_are_stored_in_one_format(typed, stored):
    assert ParticipantFactory(phone=typed).phone == stored
    assert normalize(stored) == stored


def test_a_phone_that_is_not_one_is_refused_next_to_the_field(client_for, receptionist):
    person = ParticipantFactory()
    url = reverse("participants:participant_update", args=[person.pk])
    form = client_for(receptionist).get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"rut": person.rut_display, "commune": person.commune_id, "phone": "12345"})
    response = client_for(receptionist).post(url, data)
    assert response.status_code == 200
    assert "Escriba un teléfono chileno de 9 dígitos" in str(response.context["form"].errors["phone"])


def test_the_data_migration_normalises_existing_phones():
    from django.apps import apps

    person = ParticipantFactory()
    Participant.objects.filter(pk=person.pk).update(phone="987654321")  # as stored before the change
    odd = ParticipantFactory()
    Participant.objects.filter(pk=odd.pk).update(phone="anexo 12")
    migration = importlib.import_module("participants.migrations.0007_phone_numbers_one_format")
    migration.normalise_phones(apps, None)
    person.refresh_from_db()
    odd.refresh_from_db()
    assert person.phone == "+56 9 8765 4321"
    assert odd.phone == "anexo 12"  # left for a person to correct


# --- Words ---------------------------------------------------------------------------------------

def test_the_login_error_says_contrasena_like_the_form(client, role_users):
    response = client.post(reverse("login"), {"username": "psicologa", "password": "no-es-esta"})
    html = response.content.decode()
    assert "Usuario o contraseña incorrectos" in html
    assert "clave" not in html.lower()


def test_no_caracteres_typo_in_the_project_or_on_the_user_form(client_for, manager):
    offenders = [str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
                 if path.suffix in {".py", ".html", ".txt", ".md", ".js", ".po"} and ".venv" not in path.parts
                 and path.name != "test_wording.py" and "carácteres" in path.read_text(errors="ignore")]
    assert not offenders
    html = client_for(manager).get(reverse("user_create")).content.decode()
    assert "carácteres" not in html and "Hasta 150 caracteres" in html
    assert "clave utilizada" not in client_for(manager).get(reverse("password_change")).content.decode()


def test_no_page_shows_djangos_dashes_as_the_empty_choice(client, objects):  # noqa: F811
    """Every page of the access matrix, as the first role that may open it."""
    shown, dashes = [], []
    for name, builder, expected, _anon in ROWS:
        role = next((r for r, status in expected.items() if status == 200), None)
        if role is None:
            continue
        client.force_login(objects["users"][role], backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(builder(objects))
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            shown.append(name)
            if "---------" in response.content.decode():
                dashes.append(name)
    assert not dashes
    assert "participant_create" in shown and "case_update" in shown
    client.force_login(objects["users"][p.PSYCHOLOGIST], backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("participants:case_update", args=[objects["case"].pk])).content.decode()
    assert "Seleccione…" in html


# --- Menu ----------------------------------------------------------------------------------------

def test_the_menu_marks_the_current_section(client_for, receptionist, manager):
    person = ParticipantFactory()
    current = re.compile(r'<a class="[^"]*active[^"]*" aria-current="page" href="([^"]+)"')
    client = client_for(receptionist)
    people = reverse("participants:participant_list")
    assert current.findall(client.get(people).content.decode()) == [people]
    assert current.findall(client.get(person.get_absolute_url()).content.decode()) == [people]
    html = client_for(manager).get(reverse("user_list")).content.decode()
    assert current.findall(html) == [reverse("user_list")]


def test_case_team_choices_read_by_name(client_for, psychologist):
    case = CaseFactory(category=Case.Category.JUSTICE)
    html = client_for(psychologist).get(reverse("participants:case_update", args=[case.pk])).content.decode()
    assert f">{psychologist.get_full_name()}</option>" in html
