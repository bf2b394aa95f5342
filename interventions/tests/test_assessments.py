"""Services of the assessment area: built-in instruments, scoring, overrides, versions, retirement."""

import datetime

import pytest

from interventions.models import Assessment, Cutoff, DomainResult, Instrument, InstrumentDomain, Item, ItemOption, Level
from interventions.services import assessments as services
from interventions.services.assessments import AssessmentError
from interventions.tests.factories import make_instrument
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SCREENING_DOMAINS = ["historial_delictual", "educacion_empleo", "familia_pareja", "tiempo_libre", "pares",
                     "alcohol_drogas", "actitudes", "patron_antisocial"]


def option(instrument, domain_order, item_order, score):
    return ItemOption.objects.get(item__domain__instrument=instrument, item__domain__order=domain_order,
                                  item__order=item_order, score=score)


def answers_for(instrument, scores):
    """scores: {(domain_order, item_order): score}"""
    return {option(instrument, d, i, s).item_id: option(instrument, d, i, s) for (d, i), s in scores.items()}


def apply(instrument, case, actor, scores, **kwargs):
    return services.assessment_create(case=case, instrument=instrument, actor=actor,
                                      applied_on=datetime.date.today(), answers=answers_for(instrument, scores),
                                      **kwargs)


@pytest.fixture
def case():
    return CaseFactory(status=CaseStatus.DIAGNOSIS)


@pytest.fixture
def instrument():
    # 2 domains × 2 items, options 0/1/2: domain max 4 (Bajo from 0, Alto from 2); total max 8
    # (low 0, moderate 2, high 4, very high 6).
    return make_instrument(code="prueba")


ALL_ONES = {(0, 0): 1, (0, 1): 1, (1, 0): 1, (1, 1): 1}


# --- Built-in instruments (data migration) -------------------------------------------------------


def test_builtin_screening_has_the_eight_domains_in_order_with_cutoffs_and_objectives():
    screening = Instrument.objects.get(code="tamizaje-riesgo-necesidades", version=1)
    assert screening.built_in and screening.is_screening
    assert screening.status == Instrument.Status.ACTIVE
    assert screening.kind == Instrument.Kind.RISK_NEED and screening.area == "psychological"
    assert "no un instrumento validado" in screening.description
    domains = list(screening.domains.order_by("order"))
    assert [d.code for d in domains] == SCREENING_DOMAINS
    for domain in domains:
        items = list(domain.items.all())
        assert 3 <= len(items) <= 5
        assert all(item.kind == Item.Kind.CHOICE and item.options.count() >= 2 for item in items)
        assert {c.level for c in domain.cutoffs.all()} == {Level.LOW, Level.MODERATE, Level.HIGH, Level.VERY_HIGH}
        assert domain.plan_area and domain.suggested_objective
    assert screening.cutoffs.filter(domain__isnull=True).count() == 4


def test_builtin_motivation_uses_the_stages_of_change():
    motivation = Instrument.objects.get(code="motivacion-cambio", version=1)
    labels = list(motivation.cutoffs.filter(domain__isnull=True).order_by("min_score").values_list("label", flat=True))
    assert labels == ["Precontemplación", "Contemplación", "Preparación", "Acción", "Mantención"]
    assert motivation.cutoffs.get(domain__isnull=True, min_score=0).level == Level.VERY_HIGH


def test_builtin_social_and_occupational_instruments_exist_with_text_items():
    kinds = dict(Instrument.objects.filter(built_in=True).values_list("code", "kind"))
    assert kinds["evaluacion-sociofamiliar"] == Instrument.Kind.SOCIO_FAMILY
    assert kinds["diagnostico-redes"] == Instrument.Kind.NETWORK
    occupational = Instrument.objects.get(code="perfil-ocupacional")
    kinds_of_items = set(Item.objects.filter(domain__instrument=occupational).values_list("kind", flat=True))
    assert kinds_of_items == {Item.Kind.CHOICE, Item.Kind.TEXT}


# --- Scoring -----------------------------------------------------------------------------------


def test_cutoff_for_picks_the_highest_cutoff_not_above_the_score():
    cutoffs = [Cutoff(min_score=0, label="Bajo"), Cutoff(min_score=5, label="Alto"), Cutoff(min_score=3, label="Moderado")]
    assert services.cutoff_for(0, cutoffs).label == "Bajo"
    assert services.cutoff_for(2, cutoffs).label == "Bajo"
    assert services.cutoff_for(3, cutoffs).label == "Moderado"  # the boundary belongs to the upper band
    assert services.cutoff_for(4, cutoffs).label == "Moderado"
    assert services.cutoff_for(99, cutoffs).label == "Alto"
    assert services.cutoff_for(-1, cutoffs) is None


def test_score_computes_domain_subtotals_maxima_levels_and_total(instrument, case, psychologist):
    assessment = apply(instrument, case, psychologist, {(0, 0): 1, (0, 1): 1, (1, 0): 0, (1, 1): 1}, complete=True)
    results = {r.domain.code: r for r in DomainResult.objects.filter(assessment=assessment).select_related("domain")}
    assert (results["d0"].score, results["d0"].max_score, results["d0"].level, results["d0"].label) == (2, 4, Level.HIGH, "Alto")
    assert (results["d1"].score, results["d1"].max_score, results["d1"].level) == (1, 4, Level.LOW)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.total_score == 3
    assert (assessment.computed_level, assessment.computed_label) == (Level.MODERATE, "Moderado")


@pytest.mark.parametrize("scores,level", [
    ({(0, 0): 0, (0, 1): 0, (1, 0): 0, (1, 1): 1}, Level.LOW),        # 1: just below moderate (2)
    ({(0, 0): 2, (0, 1): 2, (1, 0): 0, (1, 1): 0}, Level.HIGH),       # 4: exactly the high cut-off
    ({(0, 0): 2, (0, 1): 2, (1, 0): 1, (1, 1): 0}, Level.HIGH),       # 5: just below very high (6)
    ({(0, 0): 2, (0, 1): 2, (1, 0): 2, (1, 1): 0}, Level.VERY_HIGH),  # 6: exactly very high
])
def test_total_cutoff_boundaries(instrument, case, psychologist, scores, level):
    assessment = apply(instrument, case, psychologist, scores, complete=True)
    assert assessment.computed_level == level


def test_domains_without_scored_items_get_no_result(instrument, case, psychologist):
    open_domain = InstrumentDomain.objects.create(instrument=instrument, order=5, code="abierto", name="Abierto")
    open_item = Item.objects.create(domain=open_domain, text="Cuéntenos", kind=Item.Kind.TEXT, required=False)
    answers = answers_for(instrument, ALL_ONES)
    answers[open_item.pk] = "Vive con su madre"
    assessment = services.assessment_create(case=case, instrument=instrument, actor=psychologist,
                                            applied_on=datetime.date.today(), answers=answers, complete=True)
    assert set(assessment.domain_results.values_list("domain__code", flat=True)) == {"d0", "d1"}
    assert assessment.answers.get(item=open_item).text == "Vive con su madre"


def test_override_needs_a_written_reason(instrument, case, psychologist):
    with pytest.raises(AssessmentError) as error:
        apply(instrument, case, psychologist, ALL_ONES, complete=True, override_label="Alto", override_reason="  ")
    assert error.value.field == "override_reason"
    assert not Assessment.objects.exists()
    assessment = apply(instrument, case, psychologist, ALL_ONES, complete=True, override_label="Muy alto",
                       override_reason="Consumo activo informado por la familia.")
    assert assessment.computed_level == Level.HIGH  # total 4
    assert assessment.final_level == Level.VERY_HIGH
    assert assessment.override_reason == "Consumo activo informado por la familia."


BUILT_IN_CODES = ["tamizaje-riesgo-necesidades", "motivacion-cambio", "evaluacion-sociofamiliar", "perfil-ocupacional",
                  "diagnostico-redes"]


@pytest.mark.parametrize("code", BUILT_IN_CODES)
def test_every_instruments_override_offers_its_own_results_only(code, case, psychologist):
    """The class of snag: an override offering Bajo…Muy alto on a scale of stages, or on a scale that stops at Alto."""
    from interventions.forms.assessments import AssessmentForm
    from interventions.selectors.assessments import instrument_detail

    instrument = instrument_detail(pk=Instrument.objects.get(code=code, version=1).pk)
    own = [c.label for c in instrument.total_cutoffs]
    form = AssessmentForm(instrument=instrument)
    offered = [value for value, _label in form.fields["override_label"].choices if value]
    assert offered == list(dict.fromkeys(own))
    foreign = next(label for label in ["Muy alto", "Acción"] if label not in own)
    with pytest.raises(AssessmentError) as error:
        services.assessment_create(case=case, instrument=instrument, actor=psychologist, applied_on=datetime.date.today(),
                                   answers={}, override_label=foreign, override_reason="Juicio profesional")
    assert error.value.field == "override_label"


def test_motivation_override_is_a_stage_and_keeps_its_level(case, psychologist):
    motivation = Instrument.objects.get(code="motivacion-cambio", version=1)
    assessment = services.assessment_create(
        case=case, instrument=motivation, actor=psychologist, applied_on=datetime.date.today(), answers={},
        override_label="Preparación", override_reason="Ya pidió hora en SENDA: está preparando el cambio.")
    assert (assessment.override_label, assessment.override_level) == ("Preparación", Level.MODERATE)
    assert assessment.get_final_level_display() == "Preparación"
    # Two stages share the low need level; each keeps its own name.
    assessment = services.assessment_create(
        case=case, instrument=motivation, actor=psychologist, applied_on=datetime.date.today(), answers={},
        override_label="Mantención", override_reason="Sostiene el cambio hace más de seis meses.")
    assert assessment.final_level == Level.LOW and assessment.get_final_level_display() == "Mantención"


def test_computed_result_reads_in_the_instruments_words(case, psychologist):
    motivation = Instrument.objects.get(code="motivacion-cambio", version=1)
    assessment = services.assessment_create(case=case, instrument=motivation, actor=psychologist,
                                            applied_on=datetime.date.today(), answers={})
    assessment.computed_level, assessment.computed_label = Level.LOW, "Acción"
    assert assessment.get_final_level_display() == "Acción"


def test_completing_needs_every_required_item_but_a_draft_does_not(instrument, case, psychologist):
    partial = {(0, 0): 1, (0, 1): 1, (1, 0): 1}
    with pytest.raises(AssessmentError) as error:
        apply(instrument, case, psychologist, partial, complete=True)
    missing = Item.objects.get(domain__instrument=instrument, domain__order=1, order=1)
    assert error.value.field == f"item_{missing.pk}"
    draft = apply(instrument, case, psychologist, partial)
    assert draft.status == Assessment.Status.DRAFT and draft.total_score is None
    assert draft.answers.count() == 3
    completed = services.assessment_update(assessment=draft, version=draft.version, actor=psychologist, applied_on=draft.applied_on,
                                           answers=answers_for(instrument, ALL_ONES), complete=True)
    assert completed.status == Assessment.Status.COMPLETED and completed.total_score == 4


def test_an_option_of_another_item_is_refused(instrument, case, psychologist):
    item = Item.objects.get(domain__instrument=instrument, domain__order=0, order=0)
    foreign = option(instrument, 1, 1, 2)
    with pytest.raises(AssessmentError):
        services.assessment_create(case=case, instrument=instrument, actor=psychologist,
                                   applied_on=datetime.date.today(), answers={item.pk: foreign})


def test_a_completed_assessment_is_not_changed(instrument, case, psychologist):
    assessment = apply(instrument, case, psychologist, ALL_ONES, complete=True)
    with pytest.raises(DomainError):
        services.assessment_update(assessment=assessment, version=assessment.version, actor=psychologist, applied_on=assessment.applied_on,
                                   answers={}, conclusions="Otra cosa")


def test_applicants_and_closed_cases_are_not_assessed(instrument, psychologist):
    for status in (CaseStatus.APPLICANT, CaseStatus.CLOSED, CaseStatus.NOT_ADMITTED):
        with pytest.raises(DomainError):
            apply(instrument, CaseFactory(status=status), psychologist, ALL_ONES)


def test_history_records_actor_and_reason(instrument, case, psychologist):
    assessment = apply(instrument, case, psychologist, ALL_ONES, complete=True)
    latest = assessment.history.first()
    assert latest.history_user == psychologist
    assert latest.history_change_reason == "Evaluación completada"


# --- Instrument versions and lifecycle -----------------------------------------------------------


def test_new_version_copies_everything_and_keeps_old_assessments_on_the_old_version(instrument, case, psychologist, manager):
    old_assessment = apply(instrument, case, psychologist, ALL_ONES, complete=True)
    copy = services.instrument_new_version(instrument=instrument, actor=manager)
    assert (copy.code, copy.version, copy.status) == (instrument.code, 2, Instrument.Status.DRAFT)
    assert copy.domains.count() == 2
    assert Item.objects.filter(domain__instrument=copy).count() == 4
    assert ItemOption.objects.filter(item__domain__instrument=copy).count() == 12
    assert copy.cutoffs.count() == instrument.cutoffs.count()
    assert copy.cutoffs.filter(domain__isnull=True).count() == 4
    # Changing the copy leaves the applied version and its results alone.
    domain = copy.domains.get(code="d0")
    domain.name = "Dominio renombrado"
    services.domain_save(domain=domain, actor=manager, version=domain.version,
                         cutoffs=[{"min_score": 0, "level": Level.LOW, "label": "Bajo"}])
    services.instrument_activate(instrument=copy, actor=manager)
    instrument.refresh_from_db()
    old_assessment.refresh_from_db()
    assert instrument.status == Instrument.Status.RETIRED
    assert old_assessment.instrument_id == instrument.pk
    assert old_assessment.domain_results.get(domain__code="d0").label == "Alto"
    assert instrument.domains.get(code="d0").name == "Dominio 1"
    assert copy.history.first().history_change_reason == "Instrumento activado"


def test_only_one_draft_version_at_a_time(instrument, manager):
    services.instrument_new_version(instrument=instrument, actor=manager)
    with pytest.raises(DomainError):
        services.instrument_new_version(instrument=instrument, actor=manager)


def test_an_instrument_in_force_or_applied_is_not_edited_in_place(instrument, manager):
    domain = instrument.domains.first()
    with pytest.raises(DomainError):
        services.domain_save(domain=domain, actor=manager, cutoffs=[], version=domain.version)
    with pytest.raises(DomainError):
        services.item_delete(item=domain.items.first(), actor=manager)
    with pytest.raises(DomainError):
        services.instrument_update(instrument=instrument, version=instrument.edit_version, actor=manager, data={"name": "Otro"}, cutoffs=[])


def test_retire_stops_new_applications(instrument, case, psychologist, manager):
    services.instrument_retire(instrument=instrument, actor=manager)
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.RETIRED
    with pytest.raises(DomainError):
        apply(instrument, case, psychologist, ALL_ONES)
    with pytest.raises(DomainError):
        services.instrument_retire(instrument=instrument, actor=manager)


def test_draft_editor_flow_create_domain_item_activate(manager):
    draft = services.instrument_create(
        actor=manager, data={"code": "nuevo", "name": "Pauta nueva", "kind": Instrument.Kind.OTHER,
                             "area": "social", "description": "", "is_screening": False},
        cutoffs=[{"min_score": 3, "level": Level.HIGH, "label": "Alto"}, {"min_score": 0, "level": Level.LOW, "label": "Bajo"}],
    )
    assert draft.status == Instrument.Status.DRAFT
    with pytest.raises(DomainError):
        services.instrument_activate(instrument=draft, actor=manager)  # no items yet
    domain = services.domain_save(domain=InstrumentDomain(instrument=draft, code="uno", name="Uno"), actor=manager,
                                  cutoffs=[])
    with pytest.raises(AssessmentError) as error:
        services.item_save(item=Item(domain=domain, text="¿Una sola alternativa?"), actor=manager,
                           options=[{"label": "Sí", "score": 1}])
    assert error.value.field == "options"
    services.item_save(item=Item(domain=domain, text="¿Pregunta?"), actor=manager,
                       options=[{"label": "No", "score": 0}, {"label": "Sí", "score": 3}])
    services.instrument_activate(instrument=draft, actor=manager)
    draft.refresh_from_db()
    assert draft.status == Instrument.Status.ACTIVE
    assert list(draft.cutoffs.order_by("min_score").values_list("label", flat=True)) == ["Bajo", "Alto"]
    reasons = list(draft.history.values_list("history_change_reason", flat=True))
    assert "Dominio agregado: Uno" in reasons and "Pregunta agregada en Uno" in reasons


def test_duplicate_code_and_duplicate_cutoff_scores_are_refused(instrument, manager):
    data = {"code": instrument.code, "name": "X", "kind": Instrument.Kind.OTHER, "area": "social"}
    with pytest.raises(AssessmentError) as error:
        services.instrument_create(actor=manager, data=data)
    assert error.value.field == "code"
    data["code"] = "otro"
    with pytest.raises(AssessmentError) as error:
        services.instrument_create(actor=manager, data=data, cutoffs=[{"min_score": 1, "label": "A"},
                                                                     {"min_score": 1, "label": "B"}])
    assert error.value.field == "cutoffs"


def test_a_new_version_keeps_the_code_that_links_the_versions(instrument, manager):
    copy = services.instrument_new_version(instrument=instrument, actor=manager)
    with pytest.raises(AssessmentError) as error:
        services.instrument_update(instrument=copy, version=copy.edit_version, actor=manager, data={"code": "otro-codigo"}, cutoffs=[])
    assert error.value.field == "code"
    services.instrument_update(instrument=copy, version=copy.edit_version, actor=manager, data={"code": copy.code, "name": "Nombre nuevo"},
                               cutoffs=[{"min_score": 0, "level": Level.LOW, "label": "Bajo"}])
    copy.refresh_from_db()
    assert copy.name == "Nombre nuevo" and copy.cutoffs.filter(domain__isnull=True).count() == 1
