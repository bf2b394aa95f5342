"""Pages that show sensitive data write the access log: one row per page view listing
the sections it showed (one row per person shown, for pages that list people)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog
from interventions.tests.factories import PlanFactory, ReferralFactory, SessionFactory
from participants.models import CaseStatus, FamilyMember
from participants.tests.factories import CaseFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def rows_after(client, url):
    before = set(AccessLog.objects.values_list("id", flat=True))
    response = client.get(url)
    assert response.status_code == 200
    return list(AccessLog.objects.exclude(id__in=before).order_by("id"))


@pytest.fixture
def case():
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    FamilyMember.objects.create(participant=case.participant, name="Rosa Pérez",
                                relationship=FamilyMember.Relationship.MOTHER)
    PlanFactory(case=case)
    return case


def test_new_session_form_logs_family_and_plan_once(client_for, psychologist, case):
    rows = rows_after(client_for(psychologist), reverse("interventions:session_create", args=[case.pk]))
    assert len(rows) == 1
    assert rows[0].subject_id == case.participant_id
    assert set(rows[0].section_list) == {p.SECTION_FAMILY, p.SECTION_PLAN}


def test_session_edit_form_logs_the_session_family_and_plan_once(client_for, psychologist, case):
    session = SessionFactory(case=case, professional=psychologist)
    rows = rows_after(client_for(psychologist), reverse("interventions:session_update", args=[session.pk]))
    assert [set(r.section_list) for r in rows] == [{p.SECTION_SESSIONS, p.SECTION_FAMILY, p.SECTION_PLAN}]


def test_referral_followup_and_move_forms_log_the_referral(client_for, role_users):
    referral = ReferralFactory()
    client = client_for(role_users[p.SOCIAL_WORKER])
    for url in [reverse("interventions:referral_update", args=[referral.pk]),
                reverse("interventions:referral_detail", args=[referral.pk])]:
        rows = rows_after(client, url)
        assert [(r.subject_id, r.sections) for r in rows] == [(referral.case.participant_id, p.SECTION_REFERRALS)]


def test_participant_edit_form_logs_identity(client_for, receptionist, case):
    rows = rows_after(client_for(receptionist), reverse("participants:participant_update", args=[case.participant_id]))
    assert [(r.subject_id, r.sections) for r in rows] == [(case.participant_id, p.SECTION_IDENTITY)]


def test_case_file_writes_one_row_with_every_section_shown(client_for, psychologist, case):
    rows = rows_after(client_for(psychologist), reverse("participants:participant_detail", args=[case.participant_id]))
    assert len(rows) == 1
    assert {p.SECTION_IDENTITY, p.SECTION_FAMILY, p.SECTION_PLAN, p.SECTION_SESSIONS} <= set(rows[0].section_list)


def test_institution_page_logs_each_person_it_lists(client_for, role_users):
    institution = InstitutionFactory(name="CESFAM Apoquindo")
    first, second = CaseFactory(status=CaseStatus.INTERVENTION), CaseFactory(status=CaseStatus.INTERVENTION)
    ReferralFactory(institution=institution, case=first)
    ReferralFactory(institution=institution, case=first)  # the same person twice: one row
    ReferralFactory(institution=institution, case=second)
    ReferralFactory(case=CaseFactory(status=CaseStatus.INTERVENTION))  # another institution: not shown
    rows = rows_after(client_for(role_users[p.SOCIAL_WORKER]), reverse("institution_detail", args=[institution.pk]))
    assert sorted(r.subject_id for r in rows) == sorted([first.participant_id, second.participant_id])
    assert {r.sections for r in rows} == {p.SECTION_REFERRALS}
    assert {r.path for r in rows} == {reverse("institution_detail", args=[institution.pk])}


def test_session_and_referral_lists_log_each_person_shown(client_for, psychologist, case):
    SessionFactory(case=case, professional=psychologist)
    SessionFactory(case=case, professional=psychologist)
    other = SessionFactory(professional=psychologist)
    SessionFactory()  # someone else's session: not on «Mis sesiones»
    rows = rows_after(client_for(psychologist), reverse("interventions:session_list"))
    assert sorted(r.subject_id for r in rows) == sorted([case.participant_id, other.case.participant_id])
    assert {r.sections for r in rows} == {p.SECTION_SESSIONS}

    referral = ReferralFactory(case=case)
    rows = rows_after(client_for(psychologist), reverse("interventions:referral_list"))
    assert [(r.subject_id, r.sections) for r in rows] == [(referral.case.participant_id, p.SECTION_REFERRALS)]


def test_an_empty_list_logs_nothing(client_for, psychologist):
    assert rows_after(client_for(psychologist), reverse("interventions:session_list")) == []


def test_logging_a_list_costs_one_insert_whatever_its_length(client_for, role_users):
    institution = InstitutionFactory(name="OMIL")
    client = client_for(role_users[p.SOCIAL_WORKER])
    url = reverse("institution_detail", args=[institution.pk])

    def inserts():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return [q for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "conecta_accesslog"')]

    ReferralFactory(institution=institution)
    client.get(url)  # content types cached
    assert len(inserts()) == 1
    for _i in range(20):
        ReferralFactory(institution=institution)
    assert len(inserts()) == 1


def test_access_log_page_shows_the_sections_and_filters_by_section(client_for, manager, psychologist, case):
    client_for(psychologist).get(reverse("interventions:session_create", args=[case.pk]))
    client_for(psychologist).get(reverse("participants:participant_update", args=[case.participant_id]))
    page = client_for(manager).get(reverse("accesslog_list") + "?usuario=psicologa")
    html = page.content.decode()
    assert "Familia, Plan de intervención" in html
    filtered = client_for(manager).get(reverse("accesslog_list") + f"?seccion={p.SECTION_PLAN}")
    assert [entry.path for entry in filtered.context["page"]] == [
        reverse("interventions:session_create", args=[case.pk])]
    by_person = client_for(manager).get(reverse("accesslog_list") + f"?persona={case.participant_id}")
    assert len(by_person.context["page"]) == 2
    assert client_for(manager).get(reverse("accesslog_list") + "?seccion=nada").status_code == 200
