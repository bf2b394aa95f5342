"""Bad input answers with a 400 page or a field error, quickly: never a 500 or a hang (issue 8, point 7)."""

import time
import tracemalloc

import pytest
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog
from interventions.forms.plans import SECTION_MAX_OBJECTIVES
from interventions.services.plans import plan_create
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory
from workshops.forms.workshops import WorkshopUpdateForm
from workshops.tests.factories import make_workshop

pytestmark = pytest.mark.django_db

TOO_BIG_ID = str(2**64)


@pytest.fixture
def plan(role_users):
    case = CaseFactory(status=CaseStatus.INTERVENTION, psychologist=role_users[p.PSYCHOLOGIST])
    return plan_create(case=case, actor=role_users[p.MANAGER])


def section_post(plan, *, objectives, actions):
    section = plan.sections.get(area="psychological")
    data = {"revision": section.revision, "needs_summary": "Red de apoyo débil",
            "obj-TOTAL_FORMS": objectives, "obj-INITIAL_FORMS": 0,
            "act-TOTAL_FORMS": actions, "act-INITIAL_FORMS": 0}
    # As the page posts them: every row with its status, three of them filled in.
    for i in range(min(objectives, SECTION_MAX_OBJECTIVES)):
        data.update({f"obj-{i}-text": f"Objetivo {i}" if i < 3 else "", f"obj-{i}-status": "pending"})
    return data


def test_forged_row_count_on_a_plan_section_is_refused_fast_with_little_memory(client_for, manager, plan):
    """Before the cap, TOTAL_FORMS=99999 built thousands of rows (each action row listing every
    objective row) and ran for minutes in 1.3 GB."""
    client = client_for(manager)
    url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
    tracemalloc.start()
    started = time.perf_counter()
    response = client.post(url, section_post(plan, objectives=99999, actions=99999))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Se pueden guardar como máximo {SECTION_MAX_OBJECTIVES} filas." in page
    assert elapsed < 5
    assert peak < 60 * 1024 * 1024
    assert not plan.sections.get(area="psychological").objectives.exists()
    # The page shows no more rows than the cap.
    assert page.count('name="obj-') <= SECTION_MAX_OBJECTIVES * 5 + 4


def test_one_row_above_the_cap_is_refused_and_the_cap_itself_saves(client_for, manager, plan):
    client = client_for(manager)
    url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
    response = client.post(url, section_post(plan, objectives=SECTION_MAX_OBJECTIVES + 1, actions=0))
    assert response.status_code == 200
    assert f"Se pueden guardar como máximo {SECTION_MAX_OBJECTIVES} filas." in response.content.decode()
    response = client.post(url, section_post(plan, objectives=SECTION_MAX_OBJECTIVES, actions=0))
    assert response.status_code == 302
    assert plan.sections.get(area="psychological").objectives.count() == 3


@pytest.mark.parametrize("url_name,param", [
    ("workshops:workshop_certificate_verify", "codigo"),
    ("accesslog_list", "usuario"),
])
def test_nul_in_a_query_string_gets_the_spanish_400_page(client_for, manager, url_name, param):
    """On PostgreSQL these filters raised DataError (a 500); the guard answers before any query."""
    before = AccessLog.objects.count()
    response = client_for(manager).get(reverse(url_name), {param: "AB\x00CD"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Solicitud no válida" in page and "caracteres de control" in page
    assert "Traceback" not in page and "SuspiciousOperation" not in page
    assert '<html lang="es' in page
    assert AccessLog.objects.count() == before
    # The same filters without the NUL still work.
    assert client_for(manager).get(reverse(url_name), {param: "ABCD"}).status_code == 200


def test_control_characters_in_a_form_are_refused_and_nothing_is_saved(client_for, manager):
    response = client_for(manager).post(reverse("institution_create"), {"name": "Fundación\x0bNueva", "kind": "health"})
    assert response.status_code == 400
    assert "caracteres de control" in response.content.decode()
    from conecta.models import Institution
    assert not Institution.objects.filter(name__startswith="Fundación").exists()


def test_tab_and_line_breaks_are_ordinary_text(client_for, manager):
    response = client_for(manager).get(reverse("accesslog_list"), {"usuario": "a\tb\r\nc"})
    assert response.status_code == 200


def test_an_id_above_two_to_the_64_in_a_multi_select_is_a_field_error(role_users):
    workshop = make_workshop(actor=role_users[p.PSYCHOLOGIST])
    form = WorkshopUpdateForm(instance=workshop, data={
        "facilitators": [TOO_BIG_ID], "place": "Sala", "capacity": 10, "version": workshop.version,
    })
    assert not form.is_valid()
    assert "facilitators" in form.errors
    # Mixed with a valid id, the out-of-range one is still reported, not silently dropped.
    form = WorkshopUpdateForm(instance=workshop, data={
        "facilitators": [str(role_users[p.PSYCHOLOGIST].pk), TOO_BIG_ID], "place": "Sala", "capacity": 10,
        "version": workshop.version,
    })
    assert not form.is_valid()
    assert TOO_BIG_ID in str(form.errors["facilitators"])


def test_an_id_above_two_to_the_64_posted_to_a_page_is_shown_next_to_the_field(client_for, role_users):
    workshop = make_workshop(actor=role_users[p.PSYCHOLOGIST])
    response = client_for(role_users[p.PSYCHOLOGIST]).post(
        reverse("workshops:workshop_update", args=[workshop.pk]),
        {"facilitators": [TOO_BIG_ID, "-" + TOO_BIG_ID], "place": "Sala", "capacity": 10, "version": workshop.version})
    assert response.status_code == 200
    assert response.context["form"].errors["facilitators"]


def test_integer_in_lookup_ignores_ids_no_column_can_hold(role_users):
    from django.contrib.auth.models import User

    user = role_users[p.MANAGER]
    assert list(User.objects.filter(pk__in=[2**64, user.pk])) == [user]
    assert not User.objects.filter(pk__in=[2**64, -(2**64)]).exists()


def test_an_oversized_form_body_gets_the_spanish_400_page(client_for, manager, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client_for(manager).post(reverse("institution_create"), {"name": "x" * 20_000, "kind": "health"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Solicitud no válida" in page and "demasiado grande" in page


def test_too_many_fields_get_the_spanish_400_page(client_for, manager, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = client_for(manager).post(reverse("institution_create"), {f"f{i}": "x" for i in range(60)})
    assert response.status_code == 400
    assert "demasiados campos" in response.content.decode()


def test_a_body_above_the_request_limit_is_refused_before_it_is_read(client_for, manager, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    client = client_for(manager)
    response = client.generic("POST", reverse("institution_create"), b"a=" + b"x" * 2000,
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "demasiado grande" in response.content.decode()


def test_the_400_page_for_anonymous_visitors_too(client):
    response = client.get(reverse("login"), {"next": "/\x00"})
    assert response.status_code == 400
    assert "Solicitud no válida" in response.content.decode()


def test_a_stale_form_over_a_change_made_without_a_user_shows_the_notice(client_for, manager):
    """Found by tests/test_bad_input.py: the notice named the last change's user, and a change
    made by a command (no history user) turned the refusal into a 500."""
    from participants.tests.factories import InstitutionFactory

    institution = InstitutionFactory()
    loaded = institution.version
    institution.phone = "+56 2 2222 2222"
    institution.save()  # outside any request: its history row has no user
    response = client_for(manager).post(reverse("institution_update", args=[institution.pk]), {
        "name": institution.name, "kind": institution.kind, "level": institution.level, "active": "on",
        "version": loaded,
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="stale-notice"' in page and "Último cambio:" in page


@pytest.mark.parametrize("url_name,params", [
    ("interventions:agenda_day", {"profesional": "abc", "fecha": "2026-02-30"}),
    ("interventions:agenda_day", {"profesional": "99999999999999999999", "fecha": "99999-01-01"}),
    ("interventions:agenda_week", {"profesional": TOO_BIG_ID}),
    ("interventions:appointment_create", {"caso": TOO_BIG_ID, "profesional": "-" + TOO_BIG_ID}),
    ("interventions:referral_list", {"institution": TOO_BIG_ID, "professional": "abc"}),
    ("interventions:session_list", {"professional": TOO_BIG_ID, "date_from": "31-12-2026"}),
    ("accesslog_list", {"persona": "9" * 18, "seccion": "x"}),
])
def test_list_filters_with_unreadable_or_huge_ids_answer_the_page(client_for, manager, url_name, params):
    assert client_for(manager).get(reverse(url_name), params).status_code == 200
