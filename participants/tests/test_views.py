import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog, Commune
from participants.models import Case, CaseStatus, Participant, ReceivedDocument
from participants.tests.factories import CaseFactory, CohortFactory, InstitutionFactory, ParticipantFactory, search

pytestmark = pytest.mark.django_db

# Strings that reveal the justice situation or eligibility of the person below.
SECRET_OFFENCE = "Receptación de especies robadas"
SENSITIVE_MARKERS = [
    SECRET_OFFENCE,
    "Libertad vigilada",
    "Situación judicial",
    "Conflicto con la justicia",
    "Centro de Reinserción Social Oriente",
    "Vive con su abuela",
    "Sentencia o resolución judicial",
    "Es mayor de edad",
    "Reside en Las Condes",
]


@pytest.fixture
def justice_case(role_users):
    crs = InstitutionFactory(name="Centro de Reinserción Social Oriente")
    person = ParticipantFactory(given_names="José Ñandú", paternal_surname="Pérez", maternal_surname="Álvarez",
                                household_notes="Vive con su abuela")
    case = CaseFactory(participant=person, offences=SECRET_OFFENCE, supervising_institution=crs,
                       sentence_type=Case.SentenceType.LIBERTAD_VIGILADA)
    ReceivedDocument.objects.create(participant=person, document_type="sentence", received_on=datetime.date(2026, 3, 1),
                                    received_by=role_users[p.MANAGER])
    ReceivedDocument.objects.create(participant=person, document_type="id_card", received_on=datetime.date(2026, 3, 1),
                                    received_by=role_users[p.RECEPTIONIST])
    return case


def visible_text(html):
    return re.sub(r"<[^>]+>", " ", html)


def test_receptionist_case_file_never_contains_justice_data(client_for, receptionist, justice_case):
    person = justice_case.participant
    for url in [reverse("participants:participant_detail", args=[person.pk]),
                reverse("participants:participant_history", args=[person.pk]),
                reverse("participants:participant_list"),
                reverse("participants:participant_update", args=[person.pk])]:
        html = client_for(receptionist).get(url).content.decode()
        for marker in SENSITIVE_MARKERS:
            assert marker not in html, f"{marker!r} leaked into {url}"
    # She still sees identity, contact and the documents she receives.
    html = client_for(receptionist).get(reverse("participants:participant_detail", args=[person.pk])).content.decode()
    assert "José Ñandú" in html and person.rut_display in html and "+56 9 1234 5678" in html
    assert "Cédula de identidad" in visible_text(html)


def test_professional_case_file_shows_justice_data(client_for, psychologist, justice_case):
    html = client_for(psychologist).get(
        reverse("participants:participant_detail", args=[justice_case.participant.pk])).content.decode()
    for marker in [SECRET_OFFENCE, "Libertad vigilada", "Centro de Reinserción Social Oriente",
                   "Sentencia o resolución judicial", "Es mayor de edad"]:
        assert marker in html


def test_case_file_views_are_written_to_the_access_log(client_for, receptionist, psychologist, justice_case):
    person = justice_case.participant
    client_for(receptionist).get(reverse("participants:participant_detail", args=[person.pk]))
    client_for(psychologist).get(reverse("participants:participant_detail", args=[person.pk]))
    client_for(psychologist).get(reverse("participants:participant_history", args=[person.pk]))
    # One row per page view, listing every section the page showed.
    receptionist_row = AccessLog.objects.get(user=receptionist)
    # Plus the app tabs she may read (appointments, attendance), never the casework sections.
    assert set(receptionist_row.section_list) == {p.SECTION_IDENTITY, p.SECTION_CASES, p.SECTION_DOCUMENTS,
                                                  p.SECTION_APPOINTMENTS, p.SECTION_WORKSHOPS}
    detail, history = AccessLog.objects.filter(user=psychologist).order_by("id")
    assert {p.SECTION_JUSTICE, p.SECTION_FAMILY, p.SECTION_CONSENTS} <= set(detail.section_list)
    assert history.section_list == [p.SECTION_HISTORY]
    assert AccessLog.objects.filter(subject_id=person.pk).count() == 3


def test_manager_reads_the_access_log(client_for, manager, psychologist, justice_case):
    client_for(psychologist).get(reverse("participants:participant_detail", args=[justice_case.participant.pk]))
    html = client_for(manager).get(reverse("accesslog_list") + "?usuario=psicologa").content.decode()
    assert "Situación judicial y elegibilidad" in html
    assert justice_case.participant.full_name in html


@pytest.mark.parametrize("query", ["perez", "PÉREZ", "nandu", "jose alvarez", "Álvarez Ñandú"])
def test_search_by_name_ignores_accents_and_case(client_for, receptionist, justice_case, query):
    ParticipantFactory(given_names="María", paternal_surname="González", maternal_surname="Rojas")
    response = search(client_for(receptionist), query)
    assert response.status_code == 200
    people = list(response.context["page"])
    assert [x.pk for x in people] == [justice_case.participant.pk]


def test_search_by_rut(client_for, receptionist, justice_case):
    person = justice_case.participant
    client = client_for(receptionist)
    # A complete RUT, typed with dots, goes straight to the case file.
    response = search(client, person.rut_display, follow=False)
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    # Partial RUTs list the matches.
    response = search(client, person.rut[:5])
    assert [x.pk for x in response.context["page"]] == [person.pk]


def test_list_filters(client_for, manager):
    cohort = CohortFactory(name="2025-1", year=2025, semester=1, start_date=datetime.date(2025, 1, 1),
                           end_date=datetime.date(2025, 6, 30))
    in_cohort = CaseFactory(cohort=cohort, status=CaseStatus.INTERVENTION)
    CaseFactory(status=CaseStatus.INTERVENTION, category=Case.Category.VULNERABILITY, vulnerability_factors=["territory"])
    CaseFactory(status=CaseStatus.APPLICANT)
    client = client_for(manager)
    url = reverse("participants:participant_list")
    assert client.get(url, {"status": "intervention"}).context["page"].paginator.count == 2
    assert [x.pk for x in client.get(url, {"cohort": cohort.pk}).context["page"]] == [in_cohort.participant_id]
    assert client.get(url, {"category": "vulnerability"}).context["page"].paginator.count == 1


def person_post(**overrides):
    data = {
        "rut": "12.345.678-5", "given_names": "Ana María", "paternal_surname": "Soto", "maternal_surname": "Lagos",
        "birth_date": "1988-04-02", "nationality": "Chilena", "phone": "+56 9 8765 4321",
        "commune": Commune.objects.get(code="13114").pk, "sector": "Colón Oriente",
        "case-applied_on": datetime.date.today().isoformat(),
    }
    data.update(overrides)
    return data


def test_register_person_opens_an_applicant_case(client_for, receptionist):
    response = client_for(receptionist).post(reverse("participants:participant_create"), person_post())
    person = Participant.objects.get(rut="12345678-5")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    case = person.cases.get()
    assert case.status == CaseStatus.APPLICANT and case.status_changes.count() == 1
    assert person.history.first().history_user == receptionist


def test_invalid_rut_shows_spanish_error_and_keeps_input(client_for, receptionist):
    response = client_for(receptionist).post(reverse("participants:participant_create"),
                                             person_post(rut="12.345.678-9", given_names="Ana Lucía"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "El dígito verificador no corresponde a este RUT" in html
    assert 'value="Ana Lucía"' in html and 'value="12.345.678-9"' in html and 'value="Colón Oriente"' in html
    assert not Participant.objects.exists()


def test_duplicate_rut_is_refused_with_link(client_for, receptionist):
    existing = ParticipantFactory(rut="12345678-5")
    response = client_for(receptionist).post(reverse("participants:participant_create"), person_post())
    html = response.content.decode()
    assert "Ya existe una persona con este RUT" in html
    assert existing.get_absolute_url() in html
    assert Participant.objects.count() == 1


def test_same_name_and_birth_date_warns_then_accepts_confirmation(client_for, receptionist):
    ParticipantFactory(given_names="Ana María", paternal_surname="Soto", maternal_surname="Lagos",
                       birth_date=datetime.date(1988, 4, 2))
    client = client_for(receptionist)
    response = client.post(reverse("participants:participant_create"), person_post())
    assert response.status_code == 200
    assert "mismo nombre y fecha de nacimiento" in response.content.decode()
    assert Participant.objects.count() == 1
    response = client.post(reverse("participants:participant_create"),
                           person_post(confirm_homonym="on", confirm_homonym_shown="1"))
    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_receptionist_form_has_no_sensitive_fields(client_for, receptionist, psychologist):
    html = client_for(receptionist).get(reverse("participants:participant_create")).content.decode()
    assert 'name="household_notes"' not in html and 'name="education_level"' not in html
    html = client_for(psychologist).get(reverse("participants:participant_create")).content.decode()
    assert 'name="household_notes"' in html


def test_transition_view_refuses_illegal_move_with_message(client_for, psychologist):
    case = CaseFactory(participant=ParticipantFactory(commune=Commune.objects.get(code="13101")))
    response = client_for(psychologist).post(
        reverse("participants:case_transition", args=[case.pk, "admit"]),
        {"date": datetime.date.today().isoformat(), "reason": "Entrevista de ingreso", "version": case.version})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No cumple los requisitos de ingreso" in html
    assert "Entrevista de ingreso" in html  # what was typed is kept
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLICANT


def test_exit_form_requires_exit_type_next_to_field(client_for, psychologist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    response = client_for(psychologist).post(reverse("participants:case_transition", args=[case.pk, "exit"]),
                                             {"date": datetime.date.today().isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["exit_type"] == ["Este campo es obligatorio."]


def test_document_upload_checks_type_and_size(client_for, receptionist, settings):
    person = ParticipantFactory()
    url = reverse("participants:document_create", args=[person.pk])
    client = client_for(receptionist)
    fake_pdf = SimpleUploadedFile("cedula.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"document_type": "id_card", "received_on": "2026-03-01", "file": fake_pdf})
    assert "no corresponde a su extensión" in response.content.decode()
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"document_type": "id_card", "received_on": "2026-03-01", "file": exe})
    assert "Formato no permitido" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("cedula.pdf", b"%PDF-1.4" + b"0" * 100, content_type="application/pdf")
    response = client.post(url, {"document_type": "id_card", "received_on": "2026-03-01", "file": big})
    assert "el máximo es" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    good = SimpleUploadedFile("cedula.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    response = client.post(url, {"document_type": "id_card", "received_on": "2026-03-01", "file": good})
    assert response.status_code == 302
    assert person.documents.get().received_by == receptionist
    # The receptionist cannot record the sensitive kinds.
    response = client.post(url, {"document_type": "sentence", "received_on": "2026-03-01"})
    assert "document_type" in response.context["form"].errors


def test_role_homes_show_caseload_and_counts(client_for, role_users):
    mine = CaseFactory(status=CaseStatus.INTERVENTION, psychologist=role_users[p.PSYCHOLOGIST])
    CaseFactory(status=CaseStatus.INTERVENTION)
    html = client_for(role_users[p.PSYCHOLOGIST]).get(reverse("role_home", args=[p.PSYCHOLOGIST])).content.decode()
    assert mine.participant.display_name in html
    assert "Mis casos por estado" in html
    html = client_for(role_users[p.MANAGER]).get(reverse("role_home", args=[p.MANAGER])).content.decode()
    assert "Casos del programa por estado" in html
    html = client_for(role_users[p.RECEPTIONIST]).get(reverse("role_home", args=[p.RECEPTIONIST])).content.decode()
    assert "Registrar persona que postula" in html


def test_user_with_several_roles_sees_each_home(client_for):
    from participants.tests.factories import UserFactory

    both = UserFactory(username="doble", roles=[p.PSYCHOLOGIST, p.FOLLOWUP_PSYCHOLOGIST])
    client = client_for(both)
    assert client.get(reverse("home"))["Location"] == reverse("role_home", args=[p.PSYCHOLOGIST])
    assert client.get(reverse("role_home", args=[p.FOLLOWUP_PSYCHOLOGIST])).status_code == 200
    assert client.get(reverse("role_home", args=[p.MANAGER])).status_code == 403


def test_opening_sensitive_forms_is_logged(client_for, psychologist, justice_case):
    client = client_for(psychologist)
    client.get(reverse("participants:case_update", args=[justice_case.pk]))
    client.get(reverse("participants:case_transition", args=[justice_case.pk, "admit"]))
    rows = AccessLog.objects.filter(user=psychologist, subject_id=justice_case.participant_id)
    assert list(rows.order_by("id").values_list("sections", flat=True)) == [
        f"{p.SECTION_CASES},{p.SECTION_JUSTICE}", p.SECTION_JUSTICE]


def test_cohort_filter_finds_people_with_any_episode_in_the_cohort(client_for, manager):
    old = CohortFactory(name="2025-1", year=2025, semester=1, start_date=datetime.date(2025, 1, 1),
                        end_date=datetime.date(2025, 6, 30))
    first = CaseFactory(cohort=old, status=CaseStatus.CLOSED, applied_on=datetime.date(2025, 2, 1))
    CaseFactory(participant=first.participant, number=2, cohort=CohortFactory(), applied_on=datetime.date(2026, 8, 1))
    response = client_for(manager).get(reverse("participants:participant_list"), {"cohort": old.pk})
    assert [x.pk for x in response.context["page"]] == [first.participant_id]


def test_invalid_filter_shows_error_and_keeps_the_valid_ones(client_for, manager, justice_case):
    ParticipantFactory(given_names="Otra", paternal_surname="Persona", maternal_surname="Distinta")
    response = search(client_for(manager), "ñandu", cohort="abc")
    assert response.status_code == 200
    assert "cohort" in response.context["form"].errors
    assert [x.pk for x in response.context["page"]] == [justice_case.participant_id]


def test_access_log_filter_ignores_odd_digits(client_for, manager):
    assert client_for(manager).get(reverse("accesslog_list"), {"persona": "²"}).status_code == 200


def test_receptionist_sees_only_her_own_document_notes(client_for, receptionist, manager):
    person = ParticipantFactory()
    ReceivedDocument.objects.create(participant=person, document_type="id_card", received_on=datetime.date(2026, 3, 1),
                                    received_by=manager, notes="Nota de la gestora sobre el caso")
    ReceivedDocument.objects.create(participant=person, document_type="cv", received_on=datetime.date(2026, 3, 1),
                                    received_by=receptionist, notes="Trae copia legalizada")
    html = client_for(receptionist).get(reverse("participants:participant_detail", args=[person.pk])).content.decode()
    assert "Trae copia legalizada" in html
    assert "Nota de la gestora" not in html


def test_search_text_never_appears_in_a_url(client_for, receptionist, justice_case):
    """A RUT or a name typed in the search is personal data: it must stay out of
    URLs (and so out of proxy and server logs)."""
    person = justice_case.participant
    client = client_for(receptionist)
    for text in (person.rut_display, person.rut[:6], person.paternal_surname):
        response = client.post(reverse("participants:participant_search"), {"q": text, "status": "intervention"})
        location = response["Location"]
        assert text not in location and person.rut[:6] not in location
        assert "status=intervention" in location
        page = client.get(location, follow=True)
        assert page.status_code == 200
        for hop, _status in page.redirect_chain:
            assert person.rut[:6] not in hop
        for link in re.findall(r'href="([^"]+)"', page.content.decode()):
            assert person.rut[:6] not in link and person.paternal_surname not in link


def test_a_search_key_from_another_session_finds_nothing(client_for, client, receptionist, psychologist, justice_case):
    response = client_for(receptionist).post(reverse("participants:participant_search"),
                                             {"q": justice_case.participant.paternal_surname})
    location = response["Location"]
    client.logout()
    other = client_for(psychologist).get(location)
    assert other.context["search_query"] == ""


def test_no_result_offers_registration_with_the_typed_rut_without_putting_it_in_the_url(client_for, receptionist):
    client = client_for(receptionist)
    page = search(client, "12.345.678-5")
    link = re.search(r'href="([^"]*/participants/nuevo/\?busqueda=[^"]*)"', page.content.decode()).group(1)
    assert "12.345.678" not in link and "12345678" not in link
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["rut"] == "12.345.678-5"
