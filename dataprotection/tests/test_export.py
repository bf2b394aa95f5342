"""The access request answered in one click: every registered section, filled, in the PDF,
the JSON and the XLSX; nobody else's data; psychological notes only when the setting says
the law requires them; each export in the access log."""

import datetime
import io
import json
import re
import shutil
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog, Commune
from conecta.personal_data import sections
from conecta.services import access_log_record
from dataprotection.export import sheet_title
from dataprotection.models import RightsRequest
from dataprotection.tests.factories import days_ago, make_request
from interventions.models import Answer, PlanAction, PlanObjective, PlanReview
from interventions.tests.factories import (
    AppointmentFactory, AssessmentFactory, PlanFactory, ReferralFactory, SessionFactory,
)
from participants import services as participant_services
from participants.models import Case, CaseStatus, Consent, FamilyMember, Participant, ReceivedDocument
from participants.tests.factories import CaseFactory, InstitutionFactory
from workshops.tests.factories import enrol, make_workshop
from workshops.tests.factories_courses import CourseEnrolmentFactory

pytestmark = pytest.mark.django_db

CLINICAL_NOTE = "NOTA-CLINICA-DE-AURORA"
SOCIAL_NOTE = "NOTA-SOCIAL-DE-AURORA"
OTHER_SECRETS = ["Otrapersona", "SECRETO-DE-OTRA-PERSONA", "Institución de la otra persona"]


def person_with_data_in_every_section(users):
    desk, psychologist, manager = users[p.RECEPTIONIST], users[p.PSYCHOLOGIST], users[p.MANAGER]
    person = participant_services.participant_create(actor=desk, data={
        "rut": "16543210-9", "given_names": "Aurora Ignacia", "paternal_surname": "Valdivieso",
        "maternal_surname": "Pinto", "birth_date": datetime.date(1991, 3, 2), "phone": "+56 9 5555 1234",
        "commune": Commune.objects.get(code="13114"), "address": "Av. Cristóbal Colón 5000",
    }, application={"applied_on": days_ago(100), "category": Case.Category.JUSTICE,
                    "sentence_type": Case.SentenceType.LIBERTAD_VIGILADA, "offences": "Hurto simple",
                    "referral_source": InstitutionFactory(name="Centro de Reinserción Social Oriente")})
    case = person.cases.get()
    participant_services.consent_record(actor=psychologist, consent=Consent(
        participant=person, case=case, kind=Consent.Kind.DATA_PROTECTION, version="2026.1", signed_on=days_ago(95)))
    participant_services.case_transition(case=case, to_status=CaseStatus.DIAGNOSIS, actor=psychologist,
                                         date=days_ago(90))
    participant_services.case_transition(case=case, to_status=CaseStatus.INTERVENTION, actor=psychologist,
                                         date=days_ago(80))
    case.refresh_from_db()
    participant_services.family_member_save(actor=psychologist, member=FamilyMember(
        participant=person, name="Rosa Pinto", relationship="mother", phone="+56 9 4444 0000"))
    participant_services.document_receive(actor=desk, document=ReceivedDocument(
        participant=person, document_type="id_card", received_on=days_ago(100)))
    assessment = AssessmentFactory(case=case, professional=psychologist)
    item = assessment.instrument.domains.first().items.first()
    Answer.objects.create(assessment=assessment, item=item, option=item.options.last())
    plan = PlanFactory(case=case, created_by=psychologist)
    section = plan.sections.get(area="psychological")
    objective = PlanObjective.objects.create(section=section, text="Fortalecer el control de impulsos")
    PlanAction.objects.create(objective=objective, description="Sesiones quincenales", responsible=psychologist,
                              due_on=days_ago(-30))
    PlanReview.objects.create(section=section, reviewed_on=days_ago(10), author=psychologist,
                              progress="Asiste con regularidad.")
    SessionFactory(case=case, professional=psychologist, area="psychological", notes=CLINICAL_NOTE)
    SessionFactory(case=case, professional=users[p.SOCIAL_WORKER], area="social", notes=SOCIAL_NOTE)
    AppointmentFactory(case=case, professional=psychologist)
    ReferralFactory(case=case, institution=InstitutionFactory(name="CESFAM Apoquindo Prueba"),
                    created_by=users[p.SOCIAL_WORKER])
    enrol(make_workshop(actor=users[p.OCCUPATIONAL_THERAPIST]), case=case, actor=users[p.OCCUPATIONAL_THERAPIST])
    CourseEnrolmentFactory(case=case)
    access_log_record(user=psychologist, subject=person, sections={p.SECTION_IDENTITY}, path="/ficha/")
    make_request(manager, participant=person, verified=True)
    return person


def someone_else(users):
    case = CaseFactory(status=CaseStatus.INTERVENTION, participant__given_names="Zacarías",
                       participant__paternal_surname="Otrapersona")
    SessionFactory(case=case, professional=users[p.SOCIAL_WORKER], area="social", notes="SECRETO-DE-OTRA-PERSONA")
    ReferralFactory(case=case, institution=InstitutionFactory(name="Institución de la otra persona"),
                    created_by=users[p.SOCIAL_WORKER])
    access_log_record(user=users[p.PSYCHOLOGIST], subject=case.participant, sections={p.SECTION_IDENTITY},
                      path="/otra/")
    make_request(users[p.MANAGER], participant=case.participant)
    return case.participant


@pytest.fixture
def people(role_users):
    other = someone_else(role_users)
    return person_with_data_in_every_section(role_users), other


def download(client, users, name, person, query=""):
    client.force_login(users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse(f"dataprotection:{name}", args=[person.pk]) + query)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response


def assert_no_other_person(text, other):
    for secret in OTHER_SECRETS + [other.rut, other.rut_display]:
        assert secret not in text, f"{secret!r} belongs to someone else"


def test_json_has_every_section_filled_and_nobody_elses_data(client, role_users, people):
    person, other = people
    response = download(client, role_users, "personaldata_json", person)
    data = json.loads(response.content)
    assert set(data["secciones"]) == {section.key for section in sections()}
    empty = [key for key, section in data["secciones"].items() if not section["filas"]]
    assert not empty, f"sections without rows: {empty}"
    info = data["informacion"]
    assert info["origen_de_los_datos"] and info["finalidades"] and info["plazo_de_conservacion"]
    assert {r["nombre"] for r in info["destinatarios_de_sus_datos"]} >= {"CESFAM Apoquindo Prueba"}
    text = response.content.decode()
    assert "Aurora Ignacia" in text and SOCIAL_NOTE in text
    assert_no_other_person(text, other)


def test_clinical_notes_only_when_the_setting_says_so(client, role_users, people, settings):
    person, _other = people
    text = download(client, role_users, "personaldata_json", person).content.decode()
    assert CLINICAL_NOTE not in text and SOCIAL_NOTE in text
    assert "registro clínico" in text
    settings.DATA_PROTECTION_EXPORT_CLINICAL_NOTES = True
    assert CLINICAL_NOTE in download(client, role_users, "personaldata_json", person).content.decode()


def test_relatives_contact_details_stay_out_of_what_the_person_receives(role_users, people):
    from dataprotection.personal_data import family

    person, _other = people
    assert "Teléfono" not in family(person, for_person=True)[0]
    assert family(person, for_person=False)[0]["Teléfono"] == "+56 9 4444 0000"


def test_xlsx_has_one_sheet_per_section_and_nobody_elses_data(client, role_users, people):
    from openpyxl import load_workbook

    person, other = people
    book = load_workbook(io.BytesIO(download(client, role_users, "personaldata_xlsx", person).content))
    taken = {"información"}
    expected = ["Información"] + [sheet_title(section.title, taken) for section in sections()]
    assert book.sheetnames == expected
    for name in expected[1:]:
        assert book[name].max_row >= 2, f"sheet {name} has no rows"
    cells = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value)
    assert "Valdivieso" in cells
    assert_no_other_person(cells, other)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext no está instalado")
def test_pdf_carries_every_section_title_and_nobody_elses_data(client, role_users, people):
    person, other = people
    request = RightsRequest.objects.get(participant=person)
    response = download(client, role_users, "personaldata_pdf", person, f"?solicitud={request.pk}")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    flat = re.sub(r"\s+", " ", text)
    for section in sections():
        assert str(section.title) in flat, f"section «{section.title}» missing from the PDF"
    for heading in ["Origen de sus datos", "Para qué se usan", "A quién se comunicaron sus datos",
                    "Cuánto tiempo se conservan", f"N.º {request.pk}"]:
        assert heading in flat
    assert "Página 1 de" in flat
    assert_no_other_person(flat, other)


def test_a_request_of_someone_else_is_not_named_on_the_export(client, role_users, people):
    person, other = people
    theirs = RightsRequest.objects.get(participant=other)
    data = json.loads(download(client, role_users, "personaldata_json", person, f"?solicitud={theirs.pk}").content)
    assert data["solicitud"] is None


def test_each_export_is_written_to_the_access_log(client, role_users, people):
    person, _other = people
    subject = {"subject_type": ContentType.objects.get_for_model(Participant), "subject_id": person.pk}
    before = AccessLog.objects.filter(**subject).count()
    url = reverse("dataprotection:personaldata_xlsx", args=[person.pk])
    download(client, role_users, "personaldata_xlsx", person)
    logged = AccessLog.objects.filter(**subject, path=url, user=role_users[p.MANAGER])
    assert AccessLog.objects.filter(**subject).count() > before
    assert {p.SECTION_IDENTITY, p.SECTION_JUSTICE, p.SECTION_SESSIONS, p.SECTION_REFERRALS,
            p.SECTION_HISTORY} <= {code for entry in logged for code in entry.section_list}


def test_access_log_section_lists_who_saw_this_person_only(client, role_users, people):
    person, _other = people
    data = json.loads(download(client, role_users, "personaldata_json", person).content)
    rows = data["secciones"]["access_log"]["filas"]
    psychologist = role_users[p.PSYCHOLOGIST]
    # The fixture's one visit; the other person's visit is not theirs to see.
    assert [row["Usuario/a"] for row in rows] == [psychologist.get_full_name()]
