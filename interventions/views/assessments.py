"""Instruments (list and detail for every professional, changes by the manager) and assessments of cases."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views import View

from conecta import permissions
from conecta.concurrency import StaleEditError, rebase, stale_summary
from conecta.generic import stale_context
from conecta.mixins import CapabilityRequiredMixin, id_param, paginate, querystring_without_page
from conecta.models import ProgramSettings
from conecta.pdf import pdf_response
from conecta.services import access_log_record
from interventions import charts
from interventions.forms.assessments import (
    AssessmentForm, ConfirmForm, DomainForm, InstrumentFilterForm, InstrumentForm, ItemForm,
    assessment_answers_rebase, cutoff_formset, option_formset,
)
from interventions.models import Assessment, Instrument, InstrumentDomain, Item
from interventions.selectors import assessments as selectors
from interventions.services import assessments as services
from interventions.services.assessments import AssessmentError
from participants.models import Case
from participants.services import DomainError, case_eligibility
from participants.views import refuse_if_restricted


class CaseworkMixin(CapabilityRequiredMixin):
    capability = staticmethod(permissions.can_work_cases)


class InstrumentManagerMixin(CapabilityRequiredMixin):
    capability = staticmethod(permissions.can_manage_instruments)


def _add_error(form, error):
    """A service refusal goes next to its field when it names one the form has, else on top of the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def _log(request, participant):
    access_log_record(user=request.user, subject=participant, sections={permissions.SECTION_ASSESSMENTS},
                      path=request.path)


def _rebased(form, error, build):
    """A refused stale form of the instrument editor: the form rebuilt by `build(data)` on the
    rebased data (the person's input kept), and what the notice shows."""
    data, changes = rebase(form, error)
    rebased = build(data)
    rebased.is_valid()
    return rebased, stale_context(error, changes)


def _instrument(pk):
    try:
        return selectors.instrument_detail(pk=pk)
    except Instrument.DoesNotExist:
        raise Http404


# --- Instruments --------------------------------------------------------------------------------


class InstrumentListView(CaseworkMixin, View):
    def get(self, request):
        form = InstrumentFilterForm(request.GET or None)
        status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
        page = paginate(request, selectors.instrument_list(status=status))
        return render(request, "interventions/instrument_list.html", {
            "form": form, "page": page, "querystring": querystring_without_page(request),
            "can_manage": permissions.can_manage_instruments(request.user),
        })


class InstrumentDetailView(CaseworkMixin, View):
    def get(self, request, pk):
        instrument = _instrument(pk)
        can_manage = permissions.can_manage_instruments(request.user)
        return render(request, "interventions/instrument_detail.html", {
            "instrument": instrument,
            "versions": selectors.instrument_versions(instrument=instrument),
            "can_manage": can_manage,
            "editable": can_manage and instrument.status == Instrument.Status.DRAFT and not instrument.assessment_count,
        })


class _NotEditable(Exception):
    def __init__(self, instrument):
        super().__init__()
        self.instrument = instrument


class StructureFormView(InstrumentManagerMixin, View):
    """Editors of an instrument and its domains and items: only drafts never applied are changed."""

    def check_editable(self, instrument):
        if not services.instrument_is_editable(instrument):
            raise _NotEditable(instrument)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except _NotEditable as refusal:
            messages.error(request, _("Este instrumento ya no se modifica: cree una nueva versión."))
            return redirect("interventions:instrument_detail", refusal.instrument.pk)


class InstrumentFormView(StructureFormView):
    template_name = "interventions/instrument_form.html"

    def get_instrument(self, pk):
        if pk is None:
            return None
        instrument = _instrument(pk)
        self.check_editable(instrument)
        return instrument

    def get(self, request, pk=None):
        instrument = self.get_instrument(pk)
        form = InstrumentForm(instance=instrument)
        cutoffs = cutoff_formset(cutoffs=instrument.total_cutoffs if instrument else ())
        return self.render(request, instrument, form, cutoffs)

    def post(self, request, pk=None):
        instrument = self.get_instrument(pk)
        form = InstrumentForm(request.POST, instance=instrument)
        cutoffs = cutoff_formset(data=request.POST)
        if form.is_valid() and cutoffs.is_valid():
            data = {name: form.cleaned_data[name] for name in InstrumentForm.Meta.fields}
            try:
                if instrument is None:
                    instrument = services.instrument_create(actor=request.user, data=data, cutoffs=cutoffs.rows())
                else:
                    services.instrument_update(instrument=instrument, actor=request.user, data=data,
                                               cutoffs=cutoffs.rows(), version=form.cleaned_data["version"])
            except StaleEditError as error:
                stored = self.get_instrument(pk)
                rebased, stale = _rebased(form, error, lambda data: InstrumentForm(data, instance=stored))
                return self.render(request, stored, rebased, cutoffs, stale=stale)
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Instrumento guardado."))
                return redirect("interventions:instrument_detail", instrument.pk)
        return self.render(request, instrument, form, cutoffs)

    def render(self, request, instrument, form, cutoffs, stale=None):
        return render(request, self.template_name, {
            "instrument": instrument, "form": form, "cutoffs": cutoffs,
            "cutoff_title": _("Puntos de corte del puntaje total"), "stale": stale,
        })


class InstrumentActionView(InstrumentManagerMixin, View):
    """Activate, retire, new version: GET asks for confirmation, POST does it."""

    template_name = "interventions/instrument_confirm.html"
    action = None
    title = ""
    explanation = ""
    success_message = ""

    def get(self, request, pk):
        instrument = _instrument(pk)
        return render(request, self.template_name, {
            "instrument": instrument, "form": ConfirmForm(record=instrument), "title": self.title,
            "explanation": self.explanation,
        })

    def post(self, request, pk):
        instrument = _instrument(pk)
        form = ConfirmForm(request.POST, record=instrument)
        try:
            if not form.is_valid():
                raise DomainError(" ".join(form.errors.get("version", [])))
            result = self.action(instrument=instrument, actor=request.user, version=form.cleaned_data["version"])
        except StaleEditError as error:
            messages.error(request, stale_summary(error))
            return redirect("interventions:instrument_detail", instrument.pk)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("interventions:instrument_detail", instrument.pk)
        messages.success(request, self.success_message)
        return redirect("interventions:instrument_detail", result.pk)


class InstrumentActivateView(InstrumentActionView):
    action = staticmethod(services.instrument_activate)
    title = _lazy("Activar instrumento")
    explanation = _lazy("Quedará disponible para aplicarlo a los casos. Si hay otra versión vigente del mismo "
                        "instrumento, se retirará; las evaluaciones ya hechas conservan su versión.")
    success_message = _lazy("Instrumento vigente.")


class InstrumentRetireView(InstrumentActionView):
    action = staticmethod(services.instrument_retire)
    title = _lazy("Retirar instrumento")
    explanation = _lazy("No podrá aplicarse a nuevos casos. Las evaluaciones ya hechas no cambian.")
    success_message = _lazy("Instrumento retirado.")


class InstrumentNewVersionView(InstrumentActionView):
    action = staticmethod(services.instrument_new_version)
    title = _lazy("Crear nueva versión")
    explanation = _lazy("Se copiarán dominios, preguntas, alternativas y puntos de corte en una versión nueva, "
                        "en preparación, que podrá modificar y luego activar.")
    success_message = _lazy("Nueva versión creada en preparación: modifíquela y actívela cuando esté lista.")


class DomainFormView(StructureFormView):
    template_name = "interventions/instrument_domain_form.html"

    def get_objects(self, instrument_pk=None, pk=None):
        if pk is not None:
            domain = get_object_or_404(InstrumentDomain.objects.select_related("instrument"), pk=pk)
        else:
            instrument = get_object_or_404(Instrument, pk=instrument_pk)
            domain = InstrumentDomain(instrument=instrument, order=instrument.domains.count())
        self.check_editable(domain.instrument)
        return domain

    def get(self, request, instrument_pk=None, pk=None):
        domain = self.get_objects(instrument_pk, pk)
        cutoffs = cutoff_formset(cutoffs=domain.cutoffs.order_by("min_score") if domain.pk else ())
        return self.render(request, domain, DomainForm(instance=domain), cutoffs)

    def post(self, request, instrument_pk=None, pk=None):
        domain = self.get_objects(instrument_pk, pk)
        form = DomainForm(request.POST, instance=domain)
        cutoffs = cutoff_formset(data=request.POST)
        if form.is_valid() and cutoffs.is_valid():
            try:
                services.domain_save(domain=form.save(commit=False), actor=request.user, cutoffs=cutoffs.rows(),
                                     version=form.cleaned_data["version"])
            except StaleEditError as error:
                stored = self.get_objects(instrument_pk, pk)
                rebased, stale = _rebased(form, error, lambda data: DomainForm(data, instance=stored))
                return self.render(request, stored, rebased, cutoffs, stale=stale)
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Dominio guardado."))
                return redirect(reverse("interventions:instrument_detail", args=[domain.instrument_id]) + f"#dominio-{domain.pk}")
        return self.render(request, domain, form, cutoffs)

    def render(self, request, domain, form, cutoffs, stale=None):
        return render(request, self.template_name, {
            "domain": domain, "instrument": domain.instrument, "form": form, "cutoffs": cutoffs,
            "cutoff_title": _("Puntos de corte del dominio"), "stale": stale,
        })


class ItemFormView(StructureFormView):
    template_name = "interventions/instrument_item_form.html"

    def get_objects(self, domain_pk=None, pk=None):
        if pk is not None:
            item = get_object_or_404(Item.objects.select_related("domain__instrument"), pk=pk)
        else:
            domain = get_object_or_404(InstrumentDomain.objects.select_related("instrument"), pk=domain_pk)
            item = Item(domain=domain, order=domain.items.count())
        self.check_editable(item.domain.instrument)
        return item

    def get(self, request, domain_pk=None, pk=None):
        item = self.get_objects(domain_pk, pk)
        options = option_formset(options=item.options.order_by("order") if item.pk else ())
        return self.render(request, item, ItemForm(instance=item), options)

    def post(self, request, domain_pk=None, pk=None):
        item = self.get_objects(domain_pk, pk)
        form = ItemForm(request.POST, instance=item)
        options = option_formset(data=request.POST)
        if form.is_valid() and options.is_valid():
            try:
                services.item_save(item=form.save(commit=False), actor=request.user, options=options.rows(),
                                   version=form.cleaned_data["version"])
            except StaleEditError as error:
                stored = self.get_objects(domain_pk, pk)
                rebased, stale = _rebased(form, error, lambda data: ItemForm(data, instance=stored))
                return self.render(request, stored, rebased, options, stale=stale)
            except AssessmentError as error:
                if error.field == "options":
                    options_error = str(error)
                    return self.render(request, item, form, options, options_error=options_error)
                _add_error(form, error)
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Pregunta guardada."))
                return redirect(reverse("interventions:instrument_detail", args=[item.domain.instrument_id])
                                + f"#dominio-{item.domain_id}")
        return self.render(request, item, form, options)

    def render(self, request, item, form, options, options_error="", stale=None):
        return render(request, self.template_name, {
            "item": item, "domain": item.domain, "instrument": item.domain.instrument, "form": form,
            "options": options, "options_error": options_error, "stale": stale,
        })


class StructureDeleteView(StructureFormView):
    """GET asks for confirmation; POST removes the domain or item of a draft."""

    template_name = "interventions/instrument_confirm.html"

    def get(self, request, pk):
        target, instrument = self.get_target(pk)
        return render(request, self.template_name, {
            "instrument": instrument, "form": ConfirmForm(), "title": self.title,
            "explanation": _("Se eliminará «%(name)s» de la versión en preparación.") % {"name": target},
        })

    def post(self, request, pk):
        target, instrument = self.get_target(pk)
        try:
            self.delete(target, request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Eliminado."))
        return redirect("interventions:instrument_detail", instrument.pk)


class DomainDeleteView(StructureDeleteView):
    title = _lazy("Eliminar dominio")

    def get_target(self, pk):
        domain = get_object_or_404(InstrumentDomain.objects.select_related("instrument"), pk=pk)
        self.check_editable(domain.instrument)
        return domain, domain.instrument

    def delete(self, target, actor):
        services.domain_delete(domain=target, actor=actor)


class ItemDeleteView(StructureDeleteView):
    title = _lazy("Eliminar pregunta")

    def get_target(self, pk):
        item = get_object_or_404(Item.objects.select_related("domain__instrument"), pk=pk)
        self.check_editable(item.domain.instrument)
        return item, item.domain.instrument

    def delete(self, target, actor):
        services.item_delete(item=target, actor=actor)


# --- Assessments --------------------------------------------------------------------------------


def _assessment(pk):
    try:
        return selectors.assessment_detail(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404


def _wants_completion(request):
    return "complete" in request.POST


class AssessmentCreateView(CaseworkMixin, View):
    """/casos/<case>/evaluaciones/nueva/?instrumento=<pk>: without a valid instrument in force, the chooser."""

    template_name = "interventions/assessment_form.html"

    def get_instrument(self, request):
        wanted = id_param(request.GET.get("instrumento"))
        if wanted is None:
            return None
        try:
            instrument = selectors.instrument_detail(pk=wanted)
        except Instrument.DoesNotExist:
            return None
        return instrument if instrument.status == Instrument.Status.ACTIVE else None

    def get_case(self, case_pk):
        return get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                 pk=case_pk)

    def chooser(self, request, case):
        if request.GET.get("instrumento"):
            messages.warning(request, _("Ese instrumento no está vigente. Elija uno de la lista."))
        return render(request, "interventions/assessment_choose.html", {
            "case": case, "instruments": selectors.active_instruments(),
            "assessable": case.status in services.ASSESSABLE_STATUSES,
        })

    def get(self, request, case_pk):
        case = self.get_case(case_pk)
        instrument = self.get_instrument(request)
        if instrument is None:
            return self.chooser(request, case)
        form = AssessmentForm(instrument=instrument, initial={"applied_on": datetime.date.today()})
        return self.render(request, case, instrument, form)

    def post(self, request, case_pk):
        case = self.get_case(case_pk)
        instrument = self.get_instrument(request)
        if instrument is None:
            return self.chooser(request, case)
        form = AssessmentForm(request.POST, instrument=instrument, complete=_wants_completion(request))
        if form.is_valid():
            try:
                assessment = services.assessment_create(case=case, instrument=instrument, actor=request.user,
                                                        **form.service_kwargs())
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Evaluación completada.") if form.complete else _("Borrador guardado."))
                return redirect("interventions:assessment_detail", assessment.pk)
        return self.render(request, case, instrument, form)

    def render(self, request, case, instrument, form, assessment=None, stale=None):
        return render(request, self.template_name, {
            "case": case, "instrument": instrument, "form": form, "assessment": assessment, "stale": stale,
        })


class AssessmentUpdateView(AssessmentCreateView):
    def get_assessment(self, request, pk):
        assessment = _assessment(pk)
        if not permissions.can_edit_assessment(request.user, assessment):
            raise PermissionDenied
        return assessment

    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        if assessment.status != Assessment.Status.DRAFT:
            messages.info(request, _("Una evaluación completada no se modifica."))
            return redirect("interventions:assessment_detail", assessment.pk)
        _log(request, assessment.case.participant)
        initial = AssessmentForm.initial_from(assessment, selectors.assessment_answers(assessment))
        form = AssessmentForm(instrument=assessment.instrument, initial=initial, record=assessment)
        return self.render(request, assessment.case, assessment.instrument, form, assessment)

    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        complete = _wants_completion(request)
        form = AssessmentForm(request.POST, instrument=assessment.instrument, complete=complete, record=assessment)
        if form.is_valid():
            try:
                services.assessment_update(assessment=assessment, actor=request.user,
                                           version=form.cleaned_data["version"], **form.service_kwargs())
            except StaleEditError as error:
                stored = self.get_assessment(request, pk)
                data, changes = rebase(form, error)
                data, answer_changes = assessment_answers_rebase(form=form, data=data, error=error,
                                                                 stored_answers=selectors.assessment_answers(stored))
                rebased = AssessmentForm(data, instrument=stored.instrument, complete=complete, record=stored)
                rebased.is_valid()
                return self.render(request, stored.case, stored.instrument, rebased, stored,
                                   stale=stale_context(error, changes + answer_changes))
            except DomainError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Evaluación completada.") if form.complete else _("Borrador guardado."))
                return redirect("interventions:assessment_detail", assessment.pk)
        return self.render(request, assessment.case, assessment.instrument, form, assessment)


class AssessmentDetailView(CaseworkMixin, View):
    def get(self, request, pk):
        assessment = _assessment(pk)
        _log(request, assessment.case.participant)
        chart = charts.domain_profile_svg(
            assessment.result_list, chart_id=f"perfil-{assessment.pk}",
            title=_("Perfil por dominio: %(name)s") % {"name": assessment.instrument.name},
        ) if assessment.result_list else ""
        return render(request, "interventions/assessment_detail.html", {
            "assessment": assessment, "case": assessment.case, "person": assessment.case.participant,
            "answer_rows": selectors.answer_rows(assessment), "chart": chart,
            "comparable": selectors.comparable_assessments(assessment=assessment)
            if assessment.status == Assessment.Status.COMPLETED else [],
            "can_edit": assessment.status == Assessment.Status.DRAFT
            and permissions.can_edit_assessment(request.user, assessment),
        })


class AssessmentCompareView(CaseworkMixin, View):
    """This application beside another of the same instrument code for the same case (?con=<pk>)."""

    def get(self, request, pk):
        assessment = _assessment(pk)
        candidates = list(selectors.comparable_assessments(assessment=assessment))
        raw = request.GET.get("con", "")
        other = next((c for c in candidates if str(c.pk) == raw), candidates[0] if candidates else None)
        _log(request, assessment.case.participant)
        context = {"assessment": assessment, "case": assessment.case, "person": assessment.case.participant,
                   "candidates": candidates, "other": None}
        if other is not None and assessment.status == Assessment.Status.COMPLETED:
            other = _assessment(other.pk)
            first, second = sorted([assessment, other], key=lambda a: (a.applied_on, a.pk))
            rows = selectors.assessment_comparison(first=first, second=second)
            first_label = _("Aplicación del %(date)s") % {"date": first.applied_on.strftime("%d-%m-%Y")}
            second_label = _("Aplicación del %(date)s") % {"date": second.applied_on.strftime("%d-%m-%Y")}
            context.update({
                "other": other, "first": first, "second": second, "rows": rows,
                "total_change": (second.total_score or 0) - (first.total_score or 0),
                "chart": charts.comparison_svg(
                    rows, chart_id=f"comparacion-{first.pk}-{second.pk}",
                    title=_("Cambio por dominio: %(name)s") % {"name": assessment.instrument.name},
                    first_label=first_label, second_label=second_label,
                ),
            })
        return render(request, "interventions/assessment_compare.html", context)


class DiagnosisPdfView(CaseworkMixin, View):
    """Informe diagnóstico of a case: identity, case and justice data, completed assessments. Never session notes."""

    def get(self, request, case_pk):
        try:
            case = selectors.diagnosis_report(case_pk=case_pk)
        except Case.DoesNotExist:
            raise Http404
        person = case.participant
        refused = refuse_if_restricted(request, person)
        if refused:
            return refused
        access_log_record(user=request.user, subject=person,
                          sections={permissions.SECTION_ASSESSMENTS, permissions.SECTION_JUSTICE,
                                    permissions.SECTION_IDENTITY},
                          path=request.path)
        assessments = [
            (assessment, charts.domain_profile_svg(
                assessment.result_list, chart_id=f"pdf-{assessment.pk}",
                title=_("Perfil por dominio: %(name)s") % {"name": assessment.instrument.name},
            ) if assessment.result_list else "")
            for assessment in case.completed_assessments
        ]
        return pdf_response(
            request=request, template="interventions/pdf/diagnosis.html",
            context={"case": case, "person": person, "assessments": assessments,
                     "eligibility": case_eligibility(case, program=ProgramSettings.for_request(request))},
            filename=f"informe-diagnostico-{person.rut}-ingreso-{case.number}",
        )


urlpatterns = [
    path("instrumentos/", InstrumentListView.as_view(), name="instrument_list"),
    path("instrumentos/nuevo/", InstrumentFormView.as_view(), name="instrument_create"),
    path("instrumentos/<int:pk>/", InstrumentDetailView.as_view(), name="instrument_detail"),
    path("instrumentos/<int:pk>/editar/", InstrumentFormView.as_view(), name="instrument_update"),
    path("instrumentos/<int:pk>/activar/", InstrumentActivateView.as_view(), name="instrument_activate"),
    path("instrumentos/<int:pk>/retirar/", InstrumentRetireView.as_view(), name="instrument_retire"),
    path("instrumentos/<int:pk>/nueva-version/", InstrumentNewVersionView.as_view(), name="instrument_new_version"),
    path("instrumentos/<int:instrument_pk>/dominios/nuevo/", DomainFormView.as_view(), name="instrument_domain_create"),
    path("instrumentos/dominios/<int:pk>/editar/", DomainFormView.as_view(), name="instrument_domain_update"),
    path("instrumentos/dominios/<int:pk>/eliminar/", DomainDeleteView.as_view(), name="instrument_domain_delete"),
    path("instrumentos/dominios/<int:domain_pk>/preguntas/nueva/", ItemFormView.as_view(), name="instrument_item_create"),
    path("instrumentos/preguntas/<int:pk>/editar/", ItemFormView.as_view(), name="instrument_item_update"),
    path("instrumentos/preguntas/<int:pk>/eliminar/", ItemDeleteView.as_view(), name="instrument_item_delete"),
    path("casos/<int:case_pk>/evaluaciones/nueva/", AssessmentCreateView.as_view(), name="assessment_create"),
    path("casos/<int:case_pk>/informe-diagnostico/", DiagnosisPdfView.as_view(), name="diagnosis_pdf"),
    path("evaluaciones/<int:pk>/", AssessmentDetailView.as_view(), name="assessment_detail"),
    path("evaluaciones/<int:pk>/editar/", AssessmentUpdateView.as_view(), name="assessment_update"),
    path("evaluaciones/<int:pk>/comparar/", AssessmentCompareView.as_view(), name="assessment_compare"),
]
