"""Pages of the assessment area: applying an instrument, validation, comparison, PDF, instrument editor."""

import datetime

import pytest
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog
from interventions.models import Assessment, Instrument, InstrumentDomain, Item, Level
from interventions.services import assessments as services
from interventions.tests.factories import SessionFactory, make_instrument
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory(status=CaseStatus.INTERVENTION)


@pytest.fixture
def instrument():
    return make_instrument(code="vista")


def items_of(instrument):
    return list(Item.objects.filter(domain__instrument=instrument).prefetch_related("options").order_by("domain__order", "order"))


def post_data(instrument, score=1, skip=(), **extra):
    data = {"applied_on": datetime.date.today().isoformat(), "strengths": "Apoyo de su madre",
            "conclusions": "Necesidades moderadas"}
    for index, item in enumerate(items_of(instrument)):
        if index not in skip:
            data[f"item_{item.pk}"] = str(next(o.pk for o in item.options.all() if o.score == score))
    data.update(extra)
    return data


def create_url(case, instrument=None):
    url = reverse("interventions:assessment_create", args=[case.pk])
    return f"{url}?instrumento={instrument.pk}" if instrument else url


def test_apply_and_complete_shows_results_and_an_accessible_chart(client_for, psychologist, case, instrument):
    client = client_for(psychologist)
    page = client.get(create_url(case, instrument))
    assert page.status_code == 200
    assert 'type="radio"' in page.content.decode()
    response = client.post(create_url(case, instrument), post_data(instrument, score=2, complete="1"))
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("interventions:assessment_detail", args=[assessment.pk])
    assert assessment.status == Assessment.Status.COMPLETED and assessment.total_score == 8
    assert assessment.professional == psychologist
    detail = client.get(response["Location"]).content.decode()
    assert "<svg" in detail and "<title" in detail and "<desc" in detail
    assert "4 de 4 · Alto" in detail  # the level is written, not only coloured
    assert AccessLog.objects.with_section(p.SECTION_ASSESSMENTS).filter(user=psychologist).exists()


def test_completing_with_a_missing_answer_shows_the_error_next_to_the_item(client_for, psychologist, case, instrument):
    client = client_for(psychologist)
    response = client.post(create_url(case, instrument), post_data(instrument, skip=(3,), complete="1"))
    assert response.status_code == 200
    missing = items_of(instrument)[3]
    assert f"item_{missing.pk}" in response.context["form"].errors
    assert "Responda esta pregunta" in response.content.decode()
    # The answers given are kept on the page.
    first = items_of(instrument)[0]
    assert response.context["form"][f"item_{first.pk}"].value() == post_data(instrument)[f"item_{first.pk}"]
    assert not Assessment.objects.exists()


def test_a_draft_may_be_incomplete_and_is_finished_later(client_for, psychologist, case, instrument):
    client = client_for(psychologist)
    client.post(create_url(case, instrument), post_data(instrument, skip=(3,), draft="1"))
    draft = Assessment.objects.get()
    assert draft.status == Assessment.Status.DRAFT
    url = reverse("interventions:assessment_update", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**post_data(instrument, complete="1"), "version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED
    # Completed: the edit page sends back to the detail.
    assert client.get(url)["Location"] == reverse("interventions:assessment_detail", args=[draft.pk])


def test_override_without_reason_is_an_error_on_the_reason_field(client_for, psychologist, case, instrument):
    client = client_for(psychologist)
    response = client.post(create_url(case, instrument),
                           post_data(instrument, complete="1", override_label="Muy alto", override_reason=""))
    assert response.status_code == 200
    assert "override_reason" in response.context["form"].errors
    response = client.post(create_url(case, instrument),
                           post_data(instrument, complete="1", override_label="Muy alto",
                                     override_reason="Antecedentes recientes del tribunal."))
    assert response.status_code == 302
    assert Assessment.objects.get().final_level == Level.VERY_HIGH


def test_motivation_page_offers_stages_and_shows_the_chosen_one(client_for, psychologist, case):
    motivation = Instrument.objects.get(code="motivacion-cambio", version=1)
    client = client_for(psychologist)
    page = client.get(create_url(case, motivation)).content.decode()
    assert '<option value="Preparación">Preparación</option>' in page
    assert ">Muy alto<" not in page and ">Bajo<" not in page
    data = {"applied_on": datetime.date.today().isoformat(), "complete": "1", "override_label": "Acción",
            "override_reason": "Asiste a SENDA hace dos meses por iniciativa propia."}
    for item in items_of(motivation):
        options = list(item.options.all())
        data[f"item_{item.pk}"] = str(options[0].pk) if options else "Respuesta abierta"
    response = client.post(create_url(case, motivation), data)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Acción (asignado por el profesional)" in detail
    bad = client.post(create_url(case, motivation), {**data, "override_label": "Muy alto"})
    assert bad.status_code == 200 and "override_label" in bad.context["form"].errors


def test_invalid_option_and_weird_parameters_never_fail(client_for, psychologist, case, instrument):
    client = client_for(psychologist)
    for query in ("?instrumento=abc", "?instrumento=999999", "?instrumento=", "?instrumento=1%00"):
        response = client.get(reverse("interventions:assessment_create", args=[case.pk]) + query)
        assert response.status_code == 200
    data = post_data(instrument, complete="1")
    data[f"item_{items_of(instrument)[0].pk}"] = "no-es-un-numero"
    response = client.post(create_url(case, instrument), data)
    assert response.status_code == 200 and response.context["form"].errors
    data = post_data(instrument, complete="1", applied_on="2999-01-01")
    assert "applied_on" in client.post(create_url(case, instrument), data).context["form"].errors
    for query in ("?status=zzz", "?page=abc", "?page=999"):
        assert client.get(reverse("interventions:instrument_list") + query).status_code == 200
    assert client.get(reverse("interventions:assessment_create", args=[999999])).status_code == 404


def test_a_retired_instrument_is_not_offered(client_for, psychologist, manager, case, instrument):
    services.instrument_retire(instrument=instrument, actor=manager)
    response = client_for(psychologist).get(create_url(case, instrument))
    assert response.status_code == 200
    assert "assessment_choose" in response.templates[0].name


def test_comparison_of_intake_and_exit(client_for, psychologist, case, instrument):
    client = client_for(psychologist)
    client.post(create_url(case, instrument), post_data(instrument, score=2, complete="1",
                                                        applied_on=(datetime.date.today() - datetime.timedelta(days=120)).isoformat()))
    client.post(create_url(case, instrument), post_data(instrument, score=0, complete="1"))
    intake, exit_ = Assessment.objects.order_by("applied_on")
    response = client.get(reverse("interventions:assessment_compare", args=[exit_.pk]) + f"?con={intake.pk}")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["change"] for row in rows] == [-4, -4]
    assert response.context["total_change"] == -8
    assert response.context["first"] == intake
    assert "<svg" in response.content.decode()
    assert client.get(reverse("interventions:assessment_compare", args=[exit_.pk]) + "?con=xyz").status_code == 200


def test_case_file_tab_lists_assessments_for_professionals_only(client_for, psychologist, receptionist, case, instrument):
    services.assessment_create(case=case, instrument=instrument, actor=psychologist, applied_on=datetime.date.today(),
                               answers={})
    url = reverse("participants:participant_detail", args=[case.participant_id])
    page = client_for(psychologist).get(url).content.decode()
    assert 'id="tab-evaluaciones"' in page and instrument.name in page
    assert reverse("interventions:assessment_create", args=[case.pk]) in page
    page = client_for(receptionist).get(url).content.decode()
    assert 'id="tab-evaluaciones"' not in page and instrument.name not in page


def test_receptionist_never_reaches_an_assessment_page_or_the_pdf(client_for, psychologist, receptionist, case, instrument):
    assessment = services.assessment_create(case=case, instrument=instrument, actor=psychologist,
                                            applied_on=datetime.date.today(), answers={})
    client = client_for(receptionist)
    for url in [
        create_url(case, instrument),
        reverse("interventions:assessment_detail", args=[assessment.pk]),
        reverse("interventions:assessment_update", args=[assessment.pk]),
        reverse("interventions:assessment_compare", args=[assessment.pk]),
        reverse("interventions:diagnosis_pdf", args=[case.pk]),
        reverse("interventions:instrument_list"),
        reverse("interventions:instrument_detail", args=[instrument.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(create_url(case, instrument), post_data(instrument, complete="1")).status_code == 403
    assert Assessment.objects.count() == 1


def test_only_the_author_or_the_manager_finish_a_draft(client_for, psychologist, role_users, case, instrument):
    draft = services.assessment_create(case=case, instrument=instrument, actor=psychologist,
                                       applied_on=datetime.date.today(), answers={})
    other = client_for(role_users[p.SOCIAL_WORKER])
    url = reverse("interventions:assessment_update", args=[draft.pk])
    assert other.post(url, post_data(instrument, complete="1")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_diagnosis_pdf_has_results_and_never_session_notes(client_for, psychologist, case, instrument, monkeypatch):
    answers = {item.pk: item.options.get(score=2) for item in items_of(instrument)}
    services.assessment_create(case=case, instrument=instrument, actor=psychologist, applied_on=datetime.date.today(),
                               answers=answers, conclusions="Conclusión del diagnóstico", complete=True)
    SessionFactory(case=case, notes="Relato clínico confidencial", next_steps="Paso clínico reservado")
    rendered = {}

    def capture(*, request, template, context, filename):
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        rendered["html"] = render_to_string(template, {"program": None, **context}, request=request)
        return HttpResponse(b"%PDF", content_type="application/pdf")

    monkeypatch.setattr("interventions.views.assessments.pdf_response", capture)
    response = client_for(psychologist).get(reverse("interventions:diagnosis_pdf", args=[case.pk]))
    assert response.status_code == 200
    html = rendered["html"]
    assert "Conclusión del diagnóstico" in html and instrument.name in html and "<svg" in html
    assert case.offences in html  # justice situation, for professionals
    assert "Relato clínico confidencial" not in html and "Paso clínico reservado" not in html
    assert AccessLog.objects.with_section(p.SECTION_ASSESSMENTS).filter(
        user=psychologist, path__contains="informe").exists()


def test_diagnosis_pdf_renders_a_real_pdf(client_for, psychologist, case, instrument):
    answers = {item.pk: item.options.get(score=1) for item in items_of(instrument)}
    services.assessment_create(case=case, instrument=instrument, actor=psychologist, applied_on=datetime.date.today(),
                               answers=answers, complete=True)
    response = client_for(psychologist).get(reverse("interventions:diagnosis_pdf", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


# --- Instrument management by the manager ------------------------------------------------------


def test_manager_builds_activates_versions_and_retires_an_instrument(client_for, manager):
    client = client_for(manager)
    response = client.post(reverse("interventions:instrument_create"), {
        "name": "Pauta de prueba", "code": "pauta-prueba", "kind": "other", "area": "social", "description": "",
        "cutoffs-TOTAL_FORMS": "3", "cutoffs-INITIAL_FORMS": "0",
        "cutoffs-0-min_score": "0", "cutoffs-0-level": "low", "cutoffs-0-label": "Bajo",
        "cutoffs-1-min_score": "2", "cutoffs-1-level": "high", "cutoffs-1-label": "Alto",
        "cutoffs-2-min_score": "", "cutoffs-2-level": "", "cutoffs-2-label": "",
    })
    instrument = Instrument.objects.get(code="pauta-prueba")
    assert response.status_code == 302 and instrument.status == Instrument.Status.DRAFT
    assert instrument.cutoffs.count() == 2
    client.post(reverse("interventions:instrument_domain_create", args=[instrument.pk]), {
        "name": "Vivienda", "code": "vivienda", "order": "0", "plan_area": "social", "suggested_objective": "",
        "description": "", "cutoffs-TOTAL_FORMS": "1", "cutoffs-INITIAL_FORMS": "0",
        "cutoffs-0-min_score": "", "cutoffs-0-level": "", "cutoffs-0-label": "",
    })
    domain = InstrumentDomain.objects.get(instrument=instrument)
    item_url = reverse("interventions:instrument_item_create", args=[domain.pk])
    one_option = {"text": "¿Hacinamiento?", "help_text": "", "kind": "choice", "order": "0", "required": "on",
                  "options-TOTAL_FORMS": "2", "options-INITIAL_FORMS": "0",
                  "options-0-label": "No", "options-0-score": "0", "options-1-label": "", "options-1-score": ""}
    response = client.post(item_url, one_option)
    assert response.status_code == 200 and "al menos dos alternativas" in response.content.decode()
    response = client.post(item_url, {**one_option, "options-1-label": "Sí", "options-1-score": "2"})
    assert response.status_code == 302
    assert list(Item.objects.get(domain=domain).options.values_list("score", flat=True)) == [0, 2]
    instrument.refresh_from_db()
    client.post(reverse("interventions:instrument_activate", args=[instrument.pk]), {"version": instrument.edit_version})
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.ACTIVE
    # In force: editing is refused and the manager is pointed to a new version.
    response = client.get(reverse("interventions:instrument_update", args=[instrument.pk]))
    assert response.status_code == 302
    response = client.post(reverse("interventions:instrument_new_version", args=[instrument.pk]),
                           {"version": instrument.edit_version})
    copy = Instrument.objects.get(code="pauta-prueba", version=2)
    assert response["Location"] == reverse("interventions:instrument_detail", args=[copy.pk])
    client.post(reverse("interventions:instrument_retire", args=[instrument.pk]), {"version": instrument.edit_version})
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.RETIRED


def test_instrument_form_errors_are_shown_next_to_the_fields(client_for, manager, instrument):
    response = client_for(manager).post(reverse("interventions:instrument_create"), {
        "name": "", "code": instrument.code, "kind": "other", "area": "social",
        "cutoffs-TOTAL_FORMS": "2", "cutoffs-INITIAL_FORMS": "0",
        "cutoffs-0-min_score": "", "cutoffs-0-level": "low", "cutoffs-0-label": "Bajo",
        "cutoffs-1-min_score": "", "cutoffs-1-level": "", "cutoffs-1-label": "",
    })
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "min_score" in response.context["cutoffs"].forms[0].errors
    # A bad management form is a form error, not a crash.
    response = client_for(manager).post(reverse("interventions:instrument_create"), {"name": "x"})
    assert response.status_code == 200


def test_professionals_read_instruments_but_do_not_change_them(client_for, psychologist, instrument):
    client = client_for(psychologist)
    page = client.get(reverse("interventions:instrument_detail", args=[instrument.pk])).content.decode()
    assert instrument.name in page and reverse("interventions:instrument_retire", args=[instrument.pk]) not in page
    assert client.post(reverse("interventions:instrument_retire", args=[instrument.pk])).status_code == 403
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.ACTIVE
