import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.models import AccessLog
from interventions.models import DomainResult, Plan, PlanAction, PlanObjective, PlanReview, PlanSection
from interventions.models.instruments import Assessment, Level
from interventions.selectors import plans as selectors
from interventions.services import plans as services
from interventions.tests.factories import AssessmentFactory, make_instrument
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory


def today():
    # Evaluated per call: a module constant goes stale when a run crosses midnight.
    return timezone.localdate()

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(role_users):
    return CaseFactory(status=CaseStatus.INTERVENTION, psychologist=role_users[p.PSYCHOLOGIST],
                       social_worker=role_users[p.SOCIAL_WORKER])


@pytest.fixture
def plan(case, manager):
    return services.plan_create(case=case, actor=manager)


def section(plan, area):
    return PlanSection.objects.get(plan=plan, area=area)


def save_section(sec, user, *, revision=None, text="Fortalecer red de apoyo", actions=(), needs="Necesidades"):
    return services.plan_section_save(
        section=sec, actor=user, revision=sec.revision if revision is None else revision, needs_summary=needs,
        objectives=[{"id": None, "text": text, "domain": None, "status": "pending"}], actions=list(actions),
    )


def formset_post(sec, *, revision, needs="", objectives=(), actions=()):
    """POST data of the section page: management forms plus the given rows."""
    data = {"revision": revision, "needs_summary": needs,
            "obj-TOTAL_FORMS": len(objectives), "obj-INITIAL_FORMS": 0, "obj-MIN_NUM_FORMS": 0, "obj-MAX_NUM_FORMS": 1000,
            "act-TOTAL_FORMS": len(actions), "act-INITIAL_FORMS": 0, "act-MIN_NUM_FORMS": 0, "act-MAX_NUM_FORMS": 1000}
    for i, row in enumerate(objectives):
        data.update({f"obj-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(actions):
        data.update({f"act-{i}-{k}": v for k, v in row.items()})
    return data


class TestPlanCreate:
    def test_creates_three_sections(self, plan):
        assert sorted(plan.sections.values_list("area", flat=True)) == ["occupational", "psychological", "social"]
        assert plan.history.count() == 1

    def test_refuses_applicant_and_duplicates(self, plan, manager):
        with pytest.raises(DomainError):
            services.plan_create(case=CaseFactory(status=CaseStatus.APPLICANT), actor=manager)
        with pytest.raises(DomainError, match="ya tiene"):
            services.plan_create(case=plan.case, actor=manager)

    def test_view_creates_and_redirects(self, client_for, role_users):
        case = CaseFactory(status=CaseStatus.DIAGNOSIS)
        response = client_for(role_users[p.SOCIAL_WORKER]).post(reverse("interventions:plan_create", args=[case.pk]))
        plan = Plan.objects.get(case=case)
        assert response.status_code == 302 and response["Location"] == reverse("interventions:plan_detail", args=[plan.pk])

    def test_view_refuses_closed_case_with_message(self, client_for, role_users):
        case = CaseFactory(status=CaseStatus.CLOSED)
        response = client_for(role_users[p.PSYCHOLOGIST]).post(reverse("interventions:plan_create", args=[case.pk]))
        assert response.status_code == 200
        assert "Solo se elabora un plan" in response.content.decode()
        assert not Plan.objects.filter(case=case).exists()


class TestSectionSave:
    def test_objectives_and_actions_saved_and_revision_increments(self, plan, psychologist):
        sec = section(plan, "psychological")
        save_section(sec, psychologist, actions=[{"id": None, "objective": 0, "description": "Sesiones semanales",
                                                  "responsible": psychologist, "due_on": today(), "status": "pending"}])
        sec.refresh_from_db()
        assert sec.revision == 1 and sec.updated_by == psychologist and sec.needs_summary == "Necesidades"
        objective = sec.objectives.get()
        assert objective.actions.get().description == "Sesiones semanales"

    def test_other_area_refused(self, plan, role_users):
        with pytest.raises(DomainError, match="Solo los profesionales del área"):
            save_section(section(plan, "psychological"), role_users[p.SOCIAL_WORKER])

    def test_action_needs_a_live_objective(self, plan, psychologist):
        sec = section(plan, "psychological")
        with pytest.raises(DomainError, match="debe pertenecer"):
            save_section(sec, psychologist, actions=[{"id": None, "objective": 5, "description": "Huérfana",
                                                      "responsible": psychologist, "due_on": today()}])
        assert not PlanObjective.objects.exists()  # the transaction rolled back

    def test_deleting_objective_removes_its_actions(self, plan, psychologist):
        sec = section(plan, "psychological")
        save_section(sec, psychologist, actions=[{"id": None, "objective": 0, "description": "A",
                                                  "responsible": psychologist, "due_on": today()}])
        sec.refresh_from_db()
        objective = sec.objectives.get()
        action = objective.actions.get()
        services.plan_section_save(
            section=sec, actor=psychologist, revision=sec.revision, needs_summary="",
            objectives=[{"id": objective.pk, "text": objective.text, "delete": True}],
            actions=[{"id": action.pk, "objective": 0, "description": "A", "responsible": psychologist,
                      "due_on": today()}],
        )
        assert not PlanObjective.objects.exists() and not PlanAction.objects.exists()

    def test_untouched_objective_leaves_no_history_row(self, plan, psychologist):
        sec = section(plan, "psychological")
        save_section(sec, psychologist)
        sec.refresh_from_db()
        objective = sec.objectives.get()
        services.plan_section_save(section=sec, actor=psychologist, revision=sec.revision, needs_summary="Otra",
                                   objectives=[{"id": objective.pk, "text": objective.text, "domain": None,
                                                "status": objective.status}], actions=[])
        assert objective.history.count() == 1


def agreed_plan(plan, users, state):
    """The plan with one objective and action per area, agreed, and then submitted or approved."""
    for area, role in (("psychological", p.PSYCHOLOGIST), ("social", p.SOCIAL_WORKER),
                       ("occupational", p.OCCUPATIONAL_THERAPIST)):
        user = users[role]
        save_section(section(plan, area), user, text=f"Objetivo {area}", actions=[
            {"id": None, "objective": 0, "description": f"Acción {area}", "responsible": user,
             "due_on": today() + datetime.timedelta(days=10), "status": "pending"}])
    plan.refresh_from_db()
    services.plan_agree(plan=plan, version=plan.version, actor=users[p.PSYCHOLOGIST], agreed_on=today(),
                        notes="Firmó en sesión")
    if state in ("submitted", "approved"):
        services.plan_submit(plan=plan, actor=users[p.PSYCHOLOGIST])
    if state == "approved":
        services.plan_approve(plan=plan, actor=users[p.MANAGER], approve=True)
    plan.refresh_from_db()
    return plan


def resave(sec, user, *, needs=None, objective=None, action=None, extra_objectives=(), extra_actions=(),
           drop_objective=False, drop_action=False):
    """Save the social section again as stored, with the given changes to its one objective and action."""
    sec = section(sec.plan, sec.area)
    stored_objective = sec.objectives.get()
    stored_action = stored_objective.actions.get()
    objectives = [{"id": stored_objective.pk, "text": stored_objective.text, "domain": stored_objective.domain,
                   "status": stored_objective.status, "delete": drop_objective, **(objective or {})},
                  *extra_objectives]
    actions = [{"id": stored_action.pk, "objective": 0, "description": stored_action.description,
                "responsible": stored_action.responsible, "due_on": stored_action.due_on,
                "status": stored_action.status, "done_on": stored_action.done_on, "delete": drop_action,
                **(action or {})}, *extra_actions]
    return services.plan_section_save(section=sec, actor=user, revision=sec.revision,
                                      needs_summary=sec.needs_summary if needs is None else needs,
                                      objectives=objectives, actions=actions)


def later():
    return today() + datetime.timedelta(days=30)


CONTENT_CHANGES = {
    "needs": lambda user: {"needs": "Necesidades revisadas"},
    "objective-text": lambda user: {"objective": {"text": "Objetivo reescrito"}},
    "objective-added": lambda user: {"extra_objectives": [{"id": None, "text": "Otro objetivo", "status": "pending"}]},
    "objective-deleted": lambda user: {"drop_objective": True},
    "action-description": lambda user: {"action": {"description": "Otra acción"}},
    "action-due": lambda user: {"action": {"due_on": later()}},
    "action-responsible": lambda user: {"action": {"responsible": user}},
    "action-added": lambda user: {"extra_actions": [{"id": None, "objective": 0, "description": "Acción nueva",
                                                     "responsible": user, "due_on": later()}]},
    "action-deleted": lambda user: {"drop_action": True},
    "action-cancelled": lambda user: {"action": {"status": "cancelled"}},
}


class TestAgreementVoiding:
    """Invariant: an agreement (and an approval) is void when what was agreed changes."""

    @pytest.mark.parametrize("state", ["agreed", "submitted", "approved"])
    @pytest.mark.parametrize("change", list(CONTENT_CHANGES))
    def test_any_change_of_agreed_content_voids_agreement_and_approval(self, plan, role_users, state, change):
        plan = agreed_plan(plan, role_users, state)
        agreed_on, approved_on = plan.agreed_on, plan.approved_on
        social = role_users[p.SOCIAL_WORKER]
        saved = resave(section(plan, "social"), social, **CONTENT_CHANGES[change](role_users[p.MANAGER]))
        plan.refresh_from_db()
        assert plan.agreed_on is None and plan.status == Plan.Status.DRAFT
        assert plan.approved_on is None and plan.approved_by is None and plan.submitted_at is None
        assert plan.voided_agreement_on == agreed_on and plan.voided_by_area == "social"
        assert plan.voided_approval_on == (approved_on if state == "approved" else None)
        assert saved.voided_plan is not None
        last = plan.history.first()
        assert last.history_user == social and "sin efecto" in last.history_change_reason
        assert plan.history.filter(agreed_on=agreed_on).exists(), "history keeps the voided agreement"

    @pytest.mark.parametrize("state", ["agreed", "approved"])
    def test_progress_and_untouched_saves_leave_the_agreement(self, plan, role_users, state):
        plan = agreed_plan(plan, role_users, state)
        social = role_users[p.SOCIAL_WORKER]
        resave(section(plan, "social"), social)  # nothing changed
        resave(section(plan, "social"), social, objective={"status": "achieved"},
               action={"status": "done", "done_on": today()})
        plan.refresh_from_db()
        assert plan.agreed_on == today()
        assert plan.status == {"agreed": Plan.Status.DRAFT, "approved": Plan.Status.APPROVED}[state]
        assert plan.voided_agreement_on is None

    def test_a_new_agreement_cannot_predate_the_change_and_the_page_says_why(self, plan, role_users, client_for):
        plan = agreed_plan(plan, role_users, "approved")
        social = role_users[p.SOCIAL_WORKER]
        client = client_for(social)
        url = reverse("interventions:plan_section_update", args=[plan.pk, "social"])
        form = client.get(url)
        assert "quedarán sin efecto" in form.content.decode()
        sec = section(plan, "social")
        objective = sec.objectives.get()
        action = objective.actions.get()
        data = formset_post(sec, revision=sec.revision, needs=sec.needs_summary,
                            objectives=[{"id": objective.pk, "text": "Postular al subsidio DS49", "status": "pending"}],
                            actions=[{"id": action.pk, "objective": 1, "description": action.description,
                                      "responsible": action.responsible_id, "due_on": action.due_on.isoformat(),
                                      "status": action.status}])
        data["obj-INITIAL_FORMS"] = data["act-INITIAL_FORMS"] = 1
        response = client.post(url, data, follow=True)
        body = response.content.decode()
        assert "el acuerdo y la aprobación quedaron sin efecto" in body
        assert 'id="acuerdo-sin-efecto"' in body and "Acordado el" not in body
        plan.refresh_from_db()
        with pytest.raises(DomainError, match="anterior al"):
            services.plan_agree(plan=plan, version=plan.version, actor=social,
                                agreed_on=today() - datetime.timedelta(days=1))
        services.plan_agree(plan=plan, version=plan.version, actor=social, agreed_on=today())
        plan.refresh_from_db()
        assert plan.agreed_on == today()


class TestEmptySections:
    def test_submit_with_empty_sections_names_them_and_needs_confirmation(self, plan, psychologist):
        save_section(section(plan, "psychological"), psychologist)
        services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today())
        with pytest.raises(services.EmptySectionsError) as refused:
            services.plan_submit(plan=plan, actor=psychologist)
        assert refused.value.areas == ["social", "occupational"]
        assert "social y ocupacional" in str(refused.value)
        plan.refresh_from_db()
        assert plan.status == Plan.Status.DRAFT
        plan = services.plan_submit(plan=plan, actor=psychologist, confirm_empty=True)
        assert plan.status == Plan.Status.SUBMITTED
        assert "sin objetivos en: social, ocupacional" in plan.history.first().history_change_reason

    def test_pages_warn_and_ask_before_sending(self, plan, client_for, psychologist, manager):
        save_section(section(plan, "psychological"), psychologist)
        services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today())
        plan.refresh_from_db()
        client = client_for(psychologist)
        detail = client.get(reverse("interventions:plan_detail", args=[plan.pk])).content.decode()
        assert "Secciones sin objetivos: social, ocupacional" in detail
        url = reverse("interventions:plan_submit", args=[plan.pk])
        response = client.post(url, {"version": plan.version})
        body = response.content.decode()
        assert response.status_code == 200 and "Enviar de todos modos" in body
        assert "Área social: sin objetivos." in body and "Área ocupacional: sin objetivos." in body
        plan.refresh_from_db()
        assert plan.status == Plan.Status.DRAFT
        assert client.post(url, {"version": plan.version, "confirmar_vacias": "1"}).status_code == 302
        plan.refresh_from_db()
        assert plan.status == Plan.Status.SUBMITTED
        approve = client_for(manager).get(reverse("interventions:plan_approve", args=[plan.pk])).content.decode()
        assert "secciones sin objetivos: social, ocupacional" in approve


class TestConcurrency:
    def test_two_stale_saves_are_refused(self, plan, role_users):
        sec = section(plan, "psychological")
        first, second = role_users[p.PSYCHOLOGIST], role_users[p.FOLLOWUP_PSYCHOLOGIST]
        loaded = sec.revision
        save_section(sec, first, revision=loaded, text="Versión de la psicóloga")
        with pytest.raises(services.StaleSectionError) as refused:
            save_section(sec, second, revision=loaded, text="Versión del monitoreo")
        assert refused.value.section.revision == loaded + 1
        with pytest.raises(services.StaleSectionError):
            save_section(sec, first, revision=loaded, text="Otra copia vieja")
        assert list(PlanObjective.objects.values_list("text", flat=True)) == ["Versión de la psicóloga"]

    def test_view_keeps_input_and_shows_what_changed(self, plan, role_users, client_for):
        sec = section(plan, "social")
        url = reverse("interventions:plan_section_update", args=[plan.pk, "social"])
        save_section(sec, role_users[p.MANAGER], text="Lo que guardó la gestora")
        client = client_for(role_users[p.SOCIAL_WORKER])
        stale = formset_post(sec, revision=0, needs="Mis necesidades",
                             objectives=[{"text": "Mi objetivo nuevo", "status": "pending"}])
        response = client.post(url, stale)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Otra persona guardó cambios" in body and 'id="stale-notice"' in body
        assert "Mi objetivo nuevo" in body and "Mis necesidades" in body  # the user's input is kept
        assert "Lo que guardó la gestora" in body  # and what the other person added is shown
        assert 'name="revision" value="1"' in body
        # Submitting the rebased form applies the change on top: nothing of the gestora's is lost.
        rebased = dict(response.context["section_form"].data.items())
        assert client.post(url, rebased).status_code == 302
        texts = set(PlanObjective.objects.filter(section=sec).values_list("text", flat=True))
        assert texts == {"Mi objetivo nuevo", "Lo que guardó la gestora"}

    def test_rows_only_the_other_person_changed_take_the_stored_value(self, plan, role_users, client_for):
        sec = section(plan, "social")
        url = reverse("interventions:plan_section_update", args=[plan.pk, "social"])
        save_section(sec, role_users[p.MANAGER], text="Postular al subsidio", needs="Vivienda")
        objective = PlanObjective.objects.get(section=sec)
        client = client_for(role_users[p.SOCIAL_WORKER])
        loaded = formset_post(section(plan, "social"), revision=1, needs="Vivienda", objectives=[
            {"id": objective.pk, "text": "Postular al subsidio", "status": "pending"}])
        loaded["obj-INITIAL_FORMS"] = 1
        # The gestora rewrites the objective; the social worker, from the copy loaded before, edits the needs.
        services.plan_section_save(section=section(plan, "social"), actor=role_users[p.MANAGER], revision=1,
                                   needs_summary="Vivienda",
                                   objectives=[{"id": objective.pk, "text": "Postular al subsidio DS49",
                                                "domain": None, "status": "in_progress"}], actions=[])
        response = client.post(url, {**loaded, "needs_summary": "Vivienda y empleo"})
        assert response.status_code == 200 and response.context["stale"]
        objective.refresh_from_db()
        assert objective.text == "Postular al subsidio DS49", "the stale copy did not overwrite it"
        data = response.context["section_form"].data
        assert data["obj-0-text"] == "Postular al subsidio DS49" and data["obj-0-status"] == "in_progress"
        assert data["needs_summary"] == "Vivienda y empleo"
        assert client.post(url, dict(data.items())).status_code == 302
        sec.refresh_from_db()
        objective.refresh_from_db()
        assert sec.needs_summary == "Vivienda y empleo" and objective.text == "Postular al subsidio DS49"


class TestSectionView:
    def test_form_round_trip_with_action(self, plan, client_for, psychologist):
        url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
        client = client_for(psychologist)
        assert client.get(url).status_code == 200
        data = formset_post(section(plan, "psychological"), revision=0, objectives=[
            {"text": "Reducir consumo de alcohol", "status": "in_progress"},
            {"text": "", "status": "pending"},  # an empty extra row is skipped
        ], actions=[{"objective": 1, "description": "Derivar a SENDA", "responsible": psychologist.pk,
                     "due_on": today().isoformat(), "status": "pending"}])
        assert client.post(url, data).status_code == 302
        action = PlanAction.objects.get()
        assert action.objective.text == "Reducir consumo de alcohol" and action.responsible == psychologist

    def test_bad_input_shows_errors_next_to_fields(self, plan, client_for, psychologist):
        url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
        data = formset_post(section(plan, "psychological"), revision=0, objectives=[{"text": "Objetivo", "status": "pending"}],
                            actions=[{"objective": 1, "description": "Sin plazo", "responsible": psychologist.pk,
                                      "due_on": "no-es-fecha", "status": "done", "done_on": "2999-01-01"}])
        response = client_for(psychologist).post(url, data)
        assert response.status_code == 200
        body = response.content.decode()
        assert "invalid-feedback" in body and "Sin plazo" in body
        assert not PlanObjective.objects.exists()

    def test_tampered_revision_or_ids_never_500(self, plan, client_for, psychologist):
        url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
        data = formset_post(section(plan, "psychological"), revision="x", objectives=[{"id": "999", "text": "T",
                                                                                      "status": "zz"}])
        assert client_for(psychologist).post(url, data).status_code == 200
        data = formset_post(section(plan, "psychological"), revision=0, objectives=[{"id": "999", "text": "T",
                                                                                    "status": "pending"}])
        response = client_for(psychologist).post(url, data)
        assert response.status_code == 200 and "ya no existe" in response.content.decode()


class TestSuggestions:
    def make_result(self, case, domain, level, days_ago):
        assessment = AssessmentFactory(case=case, instrument=domain.instrument, status=Assessment.Status.COMPLETED,
                                       applied_on=today() - datetime.timedelta(days=days_ago))
        return DomainResult.objects.create(assessment=assessment, domain=domain, score=4, max_score=4, level=level)

    def test_latest_high_need_of_the_area_is_suggested(self, plan, client_for, psychologist):
        instrument = make_instrument(code="rnr", domains=3)
        first, second, third = instrument.domains.order_by("order")
        self.make_result(plan.case, first, Level.HIGH, 30)
        self.make_result(plan.case, second, Level.VERY_HIGH, 30)
        self.make_result(plan.case, second, Level.LOW, 5)  # a later re-assessment lowered it
        third.plan_area = "social"
        third.save()
        self.make_result(plan.case, third, Level.HIGH, 30)
        suggested = selectors.objective_suggestions(case=plan.case, area="psychological")
        assert [r.domain for r in suggested] == [first]
        assert [r.domain for r in selectors.objective_suggestions(case=plan.case, area="social")] == [third]

        url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
        page = client_for(psychologist).get(url).content.decode()
        assert f'name="sugerencia" value="{first.pk}"' in page
        # Once an objective covers the domain it is no longer suggested.
        save = {"id": None, "text": first.suggested_objective, "domain": first, "status": "pending"}
        sec = section(plan, "psychological")
        services.plan_section_save(section=sec, actor=psychologist, revision=0, needs_summary="", objectives=[save],
                                   actions=[])
        assert 'name="sugerencia"' not in client_for(psychologist).get(url).content.decode()

    def three_needs(self, plan):
        instrument = make_instrument(code="rnr", domains=3)
        domains = list(instrument.domains.order_by("order"))
        for domain in domains:
            self.make_result(plan.case, domain, Level.HIGH, 10)
        return domains

    def test_several_suggestions_are_added_keeping_what_was_typed(self, plan, client_for, psychologist):
        first, second, third = self.three_needs(plan)
        url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
        client = client_for(psychologist)
        typed = formset_post(section(plan, "psychological"), revision=0, needs="Lo que escribí de necesidades",
                             objectives=[{"text": "Mi objetivo escrito a mano", "status": "pending"},
                                         {"text": "", "status": "pending"}],
                             actions=[{"objective": 1, "description": "Mi acción escrita", "responsible": psychologist.pk,
                                       "due_on": today().isoformat(), "status": "pending"}])
        response = client.post(url, {**typed, "sugerencia": [first.pk, third.pk], "agregar_sugerencias": "1"})
        assert response.status_code == 200
        assert not PlanObjective.objects.exists(), "adding suggestions saves nothing yet"
        body = response.content.decode()
        assert "Lo que escribí de necesidades" in body and "Mi objetivo escrito a mano" in body
        assert "Mi acción escrita" in body
        rows = [(f["text"].value(), f["domain"].value()) for f in response.context["objective_set"]]
        assert rows == [("Mi objetivo escrito a mano", None), (first.suggested_objective, str(first.pk)),
                        (third.suggested_objective, str(third.pk))]
        assert "Se agregaron 2 objetivos sugeridos" in body
        assert [s.domain for s in response.context["suggestions"]] == [second]
        # Saving the page as shown keeps all of it.
        assert client.post(url, dict(response.context["section_form"].data.lists()) | {"agregar_sugerencias": []}) \
            .status_code == 302
        saved = list(PlanObjective.objects.order_by("order").values_list("text", "domain_id"))
        assert saved == [("Mi objetivo escrito a mano", None), (first.suggested_objective, first.pk),
                         (third.suggested_objective, third.pk)]
        assert PlanAction.objects.get().objective.text == "Mi objetivo escrito a mano"

    def test_ticked_suggestions_are_saved_with_the_section(self, plan, client_for, psychologist):
        first, second, _third = self.three_needs(plan)
        url = reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
        data = formset_post(section(plan, "psychological"), revision=0, objectives=[
            {"text": "Objetivo propio", "status": "pending"}])
        response = client_for(psychologist).post(url, {**data, "sugerencia": [first.pk, second.pk, "x", 999999]})
        assert response.status_code == 302
        assert set(PlanObjective.objects.values_list("domain_id", flat=True)) == {None, first.pk, second.pk}

    def test_page_works_with_the_script_and_without_it(self, plan, client_for, psychologist):
        self.three_needs(plan)
        page = client_for(psychologist).get(
            reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])).content.decode()
        assert "js/plan_suggestions.js" in page and 'name="agregar_sugerencias"' in page
        # Enter in a field submits the form's first button: it must be the one that saves.
        form = page[page.index("data-plan-section"):]
        assert form.index("Guardar sección") < form.index('name="agregar_sugerencias"')


class TestWorkflow:
    def test_submit_needs_objectives_and_agreement(self, plan, psychologist):
        with pytest.raises(DomainError, match="no tiene objetivos"):
            services.plan_submit(plan=plan, actor=psychologist)
        save_section(section(plan, "psychological"), psychologist)
        with pytest.raises(DomainError, match="fecha de acuerdo"):
            services.plan_submit(plan=plan, actor=psychologist)
        services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today(), notes="Firmó en sesión")
        plan = services.plan_submit(plan=plan, actor=psychologist, confirm_empty=True)
        assert plan.status == Plan.Status.SUBMITTED and plan.submitted_at

    def test_agreement_date_rules(self, plan, psychologist):
        with pytest.raises(DomainError, match="futuro"):
            services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today() + datetime.timedelta(days=1))

    def test_approve_and_return(self, plan, psychologist, manager):
        save_section(section(plan, "psychological"), psychologist)
        services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today())
        services.plan_submit(plan=plan, actor=psychologist, confirm_empty=True)
        with pytest.raises(DomainError, match="gestora"):
            services.plan_approve(plan=plan, actor=psychologist, approve=True)
        with pytest.raises(DomainError, match="corregirse"):
            services.plan_approve(plan=plan, actor=manager, approve=False, notes=" ")
        returned = services.plan_approve(plan=plan, actor=manager, approve=False, notes="Falta el área social")
        assert returned.status == Plan.Status.DRAFT and returned.approval_notes == "Falta el área social"
        services.plan_submit(plan=plan, actor=psychologist, confirm_empty=True)
        approved = services.plan_approve(plan=plan, actor=manager, approve=True)
        assert approved.status == Plan.Status.APPROVED and approved.approved_by == manager
        assert approved.approved_on == timezone.localdate()
        with pytest.raises(DomainError):
            services.plan_approve(plan=plan, actor=manager, approve=True)

    def test_views_submit_and_approve(self, plan, client_for, psychologist, manager):
        save_section(section(plan, "psychological"), psychologist)
        client = client_for(psychologist)
        response = client.post(reverse("interventions:plan_submit", args=[plan.pk]), {"version": plan.version},
                               follow=True)
        assert "Registre la fecha de acuerdo" in response.content.decode()
        client.post(reverse("interventions:plan_agree", args=[plan.pk]),
                    {"agreed_on": today().isoformat(), "agreement_notes": "Acordado", "version": plan.version})
        plan.refresh_from_db()
        client.post(reverse("interventions:plan_submit", args=[plan.pk]), {"version": plan.version,
                                                                          "confirmar_vacias": "1"})
        plan.refresh_from_db()
        client = client_for(manager)
        url = reverse("interventions:plan_approve", args=[plan.pk])
        response = client.post(url, {"decision": "return", "notes": "", "version": plan.version})
        assert response.status_code == 200 and "corregirse" in response.content.decode()
        assert client.post(url, {"decision": "approve", "notes": "", "version": plan.version}).status_code == 302
        plan.refresh_from_db()
        assert plan.status == Plan.Status.APPROVED

    def test_review_rules_and_view(self, plan, client_for, role_users):
        social = role_users[p.SOCIAL_WORKER]
        sec = section(plan, "social")
        with pytest.raises(DomainError, match="posterior"):
            services.plan_review_add(section=sec, actor=social, reviewed_on=today(), progress="x", next_review_on=today())
        with pytest.raises(DomainError):
            services.plan_review_add(section=sec, actor=role_users[p.PSYCHOLOGIST], reviewed_on=today(), progress="x")
        url = reverse("interventions:plan_review_create", args=[plan.pk, "social"])
        response = client_for(social).post(url, {"reviewed_on": today().isoformat(), "progress": "Postuló al subsidio",
                                                 "next_review_on": (today() + datetime.timedelta(days=30)).isoformat()})
        assert response.status_code == 302
        assert PlanReview.objects.get().author == social


class TestPages:
    def test_detail_logs_access_and_marks_editable_sections(self, plan, client_for, role_users):
        response = client_for(role_users[p.SOCIAL_WORKER]).get(reverse("interventions:plan_detail", args=[plan.pk]))
        editable = {s.area: s.editable for s in response.context["plan"].section_list}
        assert editable == {"psychological": False, "social": True, "occupational": False}
        assert AccessLog.objects.with_section(p.SECTION_PLAN).filter(subject_id=plan.case.participant_id).exists()

    def test_case_file_tab_shows_plan_or_create_button(self, plan, client_for, role_users):
        person = plan.case.participant
        response = client_for(role_users[p.PSYCHOLOGIST]).get(reverse("participants:participant_detail", args=[person.pk]))
        assert reverse("interventions:plan_detail", args=[plan.pk]) in response.content.decode()
        other = CaseFactory(status=CaseStatus.DIAGNOSIS)
        response = client_for(role_users[p.PSYCHOLOGIST]).get(
            reverse("participants:participant_detail", args=[other.participant_id]))
        assert reverse("interventions:plan_create", args=[other.pk]) in response.content.decode()
        response = client_for(role_users[p.RECEPTIONIST]).get(reverse("participants:participant_detail", args=[person.pk]))
        assert reverse("interventions:plan_detail", args=[plan.pk]) not in response.content.decode()

    def test_panels(self, plan, client_for, role_users, psychologist, manager):
        save_section(section(plan, "psychological"), psychologist, actions=[
            {"id": None, "objective": 0, "description": "Acción atrasada", "responsible": psychologist,
             "due_on": today() - datetime.timedelta(days=3)},
            {"id": None, "objective": 0, "description": "Acción de la semana", "responsible": psychologist,
             "due_on": today() + datetime.timedelta(days=4)},
            {"id": None, "objective": 0, "description": "Acción lejana", "responsible": psychologist,
             "due_on": today() + datetime.timedelta(days=40)},
            {"id": None, "objective": 0, "description": "Acción hecha", "responsible": psychologist,
             "due_on": today() - datetime.timedelta(days=3), "status": "done"},
        ])
        sec = section(plan, "psychological")
        services.plan_review_add(section=sec, actor=psychologist, reviewed_on=today() - datetime.timedelta(days=30),
                                 progress="Primera", next_review_on=today() - datetime.timedelta(days=1))
        body = client_for(psychologist).get(reverse("role_home", args=[p.PSYCHOLOGIST])).content.decode()
        assert "Acción atrasada" in body and "Acción de la semana" in body
        assert "Acción lejana" not in body and "Acción hecha" not in body
        assert "Revisiones pendientes" in body and reverse("interventions:plan_detail", args=[plan.pk]) in body
        # A newer review without a near next date takes the section off the list.
        services.plan_review_add(section=sec, actor=psychologist, reviewed_on=today(), progress="Segunda",
                                 next_review_on=today() + datetime.timedelta(days=60))
        assert not selectors.reviews_due_for(cases=plan.case.__class__.objects.all(), areas=["psychological"]).exists()

        services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today())
        services.plan_submit(plan=plan, actor=psychologist, confirm_empty=True)
        body = client_for(manager).get(reverse("role_home", args=[p.MANAGER])).content.decode()
        assert "Planes por aprobar" in body and reverse("interventions:plan_approve", args=[plan.pk]) in body

    def test_pdf_renders(self, plan, client_for, psychologist):
        save_section(section(plan, "psychological"), psychologist, text="Objetivo impreso")
        response = client_for(psychologist).get(reverse("interventions:plan_pdf", args=[plan.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
