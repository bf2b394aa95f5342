from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from conecta import permissions
from conecta.concurrency import StaleEditError, stale_summary
from conecta.generic import ServiceFormView, stale_context
from conecta.mixins import CapabilityRequiredMixin, id_param
from conecta.pdf import pdf_response
from conecta.services import access_log_record
from interventions.forms.plans import (
    AgreementForm, ApprovalForm, PlanActionForm, ReviewForm, posted_domain_ids, section_forms, section_payload,
    section_rebase, with_suggested_objectives,
)
from interventions.models import Area, Plan, PlanSection
from interventions.selectors import plans as selectors
from interventions.selectors.sessions import sessions_for_plan_pdf
from interventions.services import plans as services
from participants.models import Case
from participants.services import DomainError
from participants.views import refuse_if_restricted


def plan_url(plan):
    return reverse("interventions:plan_detail", args=[plan.pk])


def _log(request, plan, sections=frozenset({permissions.SECTION_PLAN})):
    access_log_record(user=request.user, subject=plan.case.participant, sections=sections, path=request.path)


def _load_plan(pk):
    try:
        return selectors.plan_detail(pk=pk)
    except Plan.DoesNotExist:
        raise Http404


def _area_or_404(area):
    if area not in Area.values:
        raise Http404
    return area


class PlanCreateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "interventions/plan_create.html"

    def get(self, request, case_pk):
        case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                 pk=case_pk)
        existing = Plan.objects.filter(case=case).first()
        if existing:
            return redirect(plan_url(existing))
        return render(request, self.template_name, {"case": case, "allowed": case.status in services.PLAN_CASE_STATUSES})

    def post(self, request, case_pk):
        case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                 pk=case_pk)
        try:
            plan = services.plan_create(case=case, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return render(request, self.template_name, {"case": case, "allowed": False})
        messages.success(request, _("Plan creado. Cada área completa ahora su sección."))
        return redirect(plan_url(plan))


class PlanDetailView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        plan = _load_plan(pk)
        for section in plan.section_list:
            section.editable = permissions.can_write_area(request.user, section.area)
        _log(request, plan)
        return render(request, "interventions/plan_detail.html", {
            "plan": plan, "case": plan.case, "person": plan.case.participant,
            "can_approve": permissions.can_approve_plans(request.user) and plan.status == Plan.Status.SUBMITTED,
            "empty_areas": _area_labels(services.empty_areas(plan.section_list)),
        })


def _area_labels(areas):
    return [Area(area).label.lower() for area in areas]


class PlanSectionUpdateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "interventions/plan_section_form.html"

    def load(self, request, pk, area):
        plan = get_object_or_404(Plan.objects.select_related("case__participant"), pk=pk)
        try:
            section = selectors.section_for_edit(plan=plan, area=_area_or_404(area))
        except PlanSection.DoesNotExist:
            raise Http404
        if not permissions.can_write_area(request.user, section.area):
            raise PermissionDenied
        return plan, section

    def suggestions(self, plan, section, data=None):
        linked = {o.domain_id for o in section.objective_list if o.domain_id}
        if data is not None:
            linked |= posted_domain_ids(data)
        return selectors.objective_suggestions(case=plan.case, area=section.area, exclude_domain_ids=linked)

    def render_page(self, request, plan, section, forms, suggestions, stale=None, added=None):
        section_form, objective_set, action_set = forms
        return render(request, self.template_name, {
            "plan": plan, "section": section, "person": plan.case.participant,
            "section_form": section_form, "objective_set": objective_set, "action_set": action_set,
            "suggestions": suggestions, "stale": stale, "added": added,
        })

    def get(self, request, pk, area):
        plan, section = self.load(request, pk, area)
        _log(request, plan)
        return self.render_page(request, plan, section, section_forms(section=section), self.suggestions(plan, section))

    def post(self, request, pk, area):
        plan, section = self.load(request, pk, area)
        # Ticked suggestions become objective rows of the posted form: "Agregar" shows them for
        # editing (nothing is saved yet), "Guardar" saves them with the rest.
        wanted = {id_param(value) for value in request.POST.getlist("sugerencia")}
        chosen = [s for s in self.suggestions(plan, section, data=request.POST) if s.domain_id in wanted]
        data = with_suggested_objectives(request.POST, chosen)
        forms = section_forms(section=section, data=data)
        section_form, objective_set, action_set = forms
        if "agregar_sugerencias" in request.POST:
            return self.render_page(request, plan, section, forms, self.suggestions(plan, section, data=data),
                                    added=len(chosen))
        if section_form.is_valid() and objective_set.is_valid() and action_set.is_valid():
            objectives, actions = section_payload(objective_set, action_set)
            try:
                saved = services.plan_section_save(
                    section=section, actor=request.user, revision=section_form.cleaned_data["revision"],
                    needs_summary=section_form.cleaned_data["needs_summary"],
                    objectives=objectives, actions=actions,
                )
            except services.StaleSectionError as error:
                # Same refusal as every stale form: what changed is shown, the editor's input is
                # kept and rebased on the stored section, so a second submit applies it on top.
                stored = selectors.section_for_edit(plan=plan, area=section.area)
                data, changes = section_rebase(data=data, error=error, stored=stored)
                forms = section_forms(section=stored, data=data)
                for form in forms:
                    form.is_valid()
                return self.render_page(request, plan, stored, forms, self.suggestions(plan, stored, data=data),
                                        stale=stale_context(error, changes))
            except DomainError as error:
                section_form.add_error(None, str(error))
            else:
                messages.success(request, _("Sección %(area)s guardada.") % {"area": section.get_area_display().lower()})
                if saved.voided_plan is not None:
                    messages.warning(request, _voided_message(saved.voided_plan))
                return redirect(plan_url(plan) + f"#seccion-{section.area}")
        return self.render_page(request, plan, section, forms, self.suggestions(plan, section, data=data))


def _voided_message(plan):
    when = plan.voided_agreement_on.strftime("%d-%m-%Y") if plan.voided_agreement_on else ""
    if plan.voided_approval_on:
        return _("El plan cambió después del acuerdo del %(date)s: el acuerdo y la aprobación quedaron sin efecto. "
                 "Registre un nuevo acuerdo con la persona y vuelva a enviar el plan a aprobación.") % {"date": when}
    return _("El plan cambió después del acuerdo del %(date)s: el acuerdo quedó sin efecto. "
             "Registre un nuevo acuerdo con la persona antes de enviar el plan.") % {"date": when}


class PlanReviewCreateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "interventions/plan_review_form.html"

    def load(self, request, pk, area):
        section = get_object_or_404(PlanSection.objects.select_related("plan__case__participant"),
                                    plan_id=pk, area=_area_or_404(area))
        if not permissions.can_write_area(request.user, section.area):
            raise PermissionDenied
        return section

    def get(self, request, pk, area):
        section = self.load(request, pk, area)
        return render(request, self.template_name, {"section": section, "plan": section.plan, "form": ReviewForm()})

    def post(self, request, pk, area):
        section = self.load(request, pk, area)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.plan_review_add(section=section, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Revisión de avances registrada."))
                return redirect(plan_url(section.plan) + f"#seccion-{section.area}")
        return render(request, self.template_name, {"section": section, "plan": section.plan, "form": form})


class PlanFormView(ServiceFormView):
    capability = staticmethod(permissions.can_work_cases)

    def get_object(self):
        return get_object_or_404(Plan.objects.select_related("case__participant"), pk=self.kwargs["pk"])

    def get_context_data(self, **context):
        return super().get_context_data(plan=self.object, **context)

    def get_success_url(self, saved):
        return plan_url(saved)


class PlanAgreeView(PlanFormView):
    template_name = "interventions/plan_agree_form.html"
    form_class = AgreementForm
    success_message = gettext_lazy("Acuerdo con la persona registrado.")

    def perform(self, form):
        data = form.cleaned_data
        try:
            return services.plan_agree(plan=self.object, actor=self.request.user, agreed_on=data["agreed_on"],
                                       notes=data["agreement_notes"], version=data["version"])
        except DomainError as error:
            if not isinstance(error, StaleEditError):
                error.field = "agreed_on"  # the agreement's rules are about its date
            raise


class PlanSubmitView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def post(self, request, pk):
        plan = get_object_or_404(Plan.objects.select_related("case__participant"), pk=pk)
        form = PlanActionForm(request.POST, record=plan)
        try:
            if not form.is_valid():
                raise DomainError(" ".join(form.errors.get("version", [])))
            services.plan_submit(plan=plan, actor=request.user, version=form.cleaned_data["version"],
                                 confirm_empty=request.POST.get("confirmar_vacias") == "1")
        except StaleEditError as error:
            messages.error(request, stale_summary(error))
        except services.EmptySectionsError as error:
            # Not refused outright: a section may rightly stay empty, but the sender says so knowingly.
            return render(request, "interventions/plan_submit_confirm.html", {
                "plan": plan, "person": plan.case.participant, "message": str(error),
                "empty_areas": _area_labels(error.areas), "version": form.cleaned_data["version"],
            })
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Plan enviado a aprobación."))
        return redirect(plan_url(plan))


class PlanApproveView(PlanFormView):
    capability = staticmethod(permissions.can_approve_plans)
    template_name = "interventions/plan_approve_form.html"
    form_class = ApprovalForm

    def get_form_kwargs(self):
        return {"record": self.object}

    def get_context_data(self, **context):
        sections = selectors.plan_detail(pk=self.object.pk).section_list
        return super().get_context_data(empty_areas=_area_labels(services.empty_areas(sections)), **context)

    def perform(self, form):
        data = form.cleaned_data
        return services.plan_approve(plan=self.object, actor=self.request.user, approve=data["decision"] == "approve",
                                     notes=data["notes"], version=data["version"])

    def get_success_message(self, saved):
        return _("Plan aprobado.") if saved.status == Plan.Status.APPROVED else _("Plan devuelto con observaciones.")


class PlanPdfView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        plan = _load_plan(pk)
        refused = refuse_if_restricted(request, plan.case.participant)
        if refused:
            return refused
        sessions = sessions_for_plan_pdf(plan=plan)
        for session in sessions:
            session.readable = permissions.can_read_session_content(request.user, session)
        # The PDF prints the sessions of the plan too.
        _log(request, plan, sections={permissions.SECTION_PLAN, permissions.SECTION_SESSIONS})
        return pdf_response(request=request, template="interventions/pdf/plan.html",
                            context={"plan": plan, "case": plan.case, "person": plan.case.participant,
                                     "sessions": sessions},
                            filename=f"plan-{plan.case.participant.rut}-{plan.case.number}")


urlpatterns = [
    path("casos/<int:case_pk>/plan/nuevo/", PlanCreateView.as_view(), name="plan_create"),
    path("planes/<int:pk>/", PlanDetailView.as_view(), name="plan_detail"),
    path("planes/<int:pk>/secciones/<slug:area>/editar/", PlanSectionUpdateView.as_view(), name="plan_section_update"),
    path("planes/<int:pk>/secciones/<slug:area>/revision/", PlanReviewCreateView.as_view(), name="plan_review_create"),
    path("planes/<int:pk>/acuerdo/", PlanAgreeView.as_view(), name="plan_agree"),
    path("planes/<int:pk>/enviar/", PlanSubmitView.as_view(), name="plan_submit"),
    path("planes/<int:pk>/aprobar/", PlanApproveView.as_view(), name="plan_approve"),
    path("planes/<int:pk>/pdf/", PlanPdfView.as_view(), name="plan_pdf"),
]
