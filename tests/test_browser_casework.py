"""Casework journey in real Chromium: the psychologist applies the screening and writes the plan."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from conecta import permissions as p
from interventions.models import Assessment, DomainResult, Plan, PlanAction, PlanObjective
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, ParticipantFactory
from tests.browser import BROWSER_MARKS, assert_accessible, log_in

pytestmark = BROWSER_MARKS
# The plan page, with or without the #section anchor the redirect adds.
PLAN_PAGE = re.compile(r"/planes/\d+/(#.*)?$")


@pytest.fixture
def instruments(reference_data):
    """Transactional tests flush the built-in instruments: load them again from their data migration."""
    importlib.import_module("interventions.migrations.0002_assessments_load_instruments").load_instruments(apps, None)


def test_psychologist_applies_the_screening_and_writes_the_plan(browser, live_server, role_users, instruments):
    person = ParticipantFactory(given_names="Matías Ignacio", paternal_surname="Carrasco", maternal_surname="")
    case = CaseFactory(participant=person, status=CaseStatus.DIAGNOSIS, psychologist=role_users[p.PSYCHOLOGIST])
    page = browser.new_page()
    log_in(page, live_server, "psicologa")
    page.wait_for_url("**/inicio/psychologist/")

    # Screening from the case file.
    page.goto(f"{live_server.url}/participants/{person.pk}/")
    page.get_by_role("tab", name="Evaluaciones").click()
    page.get_by_role("link", name="Nueva evaluación").click()
    page.get_by_role("link", name="Tamizaje de riesgo y necesidades").click()
    form = page.locator("form.assessment-form")
    form.get_by_label("Fecha de aplicación").fill(datetime.date.today().isoformat())
    # Answer every scored item with its highest-scoring (last) option: every domain reads as a high need.
    for group in form.locator("fieldset").all():
        radios = group.locator("input[type=radio]")
        names = sorted({radios.nth(i).get_attribute("name") for i in range(radios.count())})
        for name in names:
            group.locator(f"input[name='{name}']").last.check()
    form.get_by_label("Conclusiones").fill("Necesidades altas en todos los dominios; se prioriza consumo y pares.")
    form.get_by_role("button", name="Completar evaluación").click()
    page.wait_for_url("**/evaluaciones/*/")
    expect(page.locator("svg.assessment-chart").first).to_be_visible()
    assessment = Assessment.objects.get(case=case)
    assert assessment.status == Assessment.Status.COMPLETED
    assert DomainResult.objects.filter(assessment=assessment, level__in=["high", "very_high"]).count() == 8
    assert_accessible(page)

    # The plan: create it, then the psychological section takes a suggested objective.
    page.goto(f"{live_server.url}/participants/{person.pk}/")
    page.get_by_role("tab", name="Plan").click()
    page.get_by_role("link", name="Crear plan del ingreso 1").click()
    page.get_by_role("button", name="Crear plan").click()
    page.wait_for_url(PLAN_PAGE)
    page.get_by_role("link", name="Editar sección").first.click()
    suggestions = page.locator("#sugerencias-objetivos")
    expect(suggestions).to_be_visible()
    # Typed text stays and several suggestions go in at once, without reloading the page.
    page.get_by_label("Necesidades identificadas en el diagnóstico").fill("Consumo y pares, según el tamizaje")
    page.evaluate("window.sameDocument = true")
    boxes = suggestions.get_by_role("checkbox")
    boxes.nth(0).check()
    boxes.nth(1).check()
    suggestions.get_by_role("button", name="Agregar los marcados como objetivos").click()
    assert page.evaluate("window.sameDocument === true")
    objective_rows = page.locator("tr[data-objective-row]")
    first_objective = objective_rows.nth(0).locator("textarea").first
    expect(first_objective).not_to_have_value("")
    expect(objective_rows.nth(1).locator("textarea").first).not_to_have_value("")
    expect(page.get_by_label("Necesidades identificadas en el diagnóstico")).to_have_value(
        "Consumo y pares, según el tamizaje")
    expect(page.locator("#aviso-sugerencias")).to_contain_text("aún no se han guardado")
    actions = page.locator("table").nth(1).locator("tbody tr").first
    actions.locator("select").first.select_option("1")
    actions.locator("input[type=text], textarea").first.fill("Derivar a evaluación en SENDA Previene")
    actions.locator("select[name$=responsible]").select_option(label=role_users[p.PSYCHOLOGIST].get_full_name())
    actions.locator("input[type=date]").first.fill((datetime.date.today() + datetime.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Guardar sección").last.click()
    page.wait_for_url(PLAN_PAGE)
    expect(page.get_by_text("Sección psicológica guardada")).to_be_visible()

    plan = Plan.objects.get(case=case)
    objectives = PlanObjective.objects.filter(section__plan=plan, section__area="psychological").order_by("order")
    assert objectives.count() == 2 and all(o.domain_id for o in objectives)
    objective = objectives.first()
    assert PlanAction.objects.get(objective=objective).description == "Derivar a evaluación en SENDA Previene"
    expect(page.get_by_text(objective.text).first).to_be_visible()
    assert_accessible(page)
    page.close()
