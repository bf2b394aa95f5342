from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from conecta import permissions
from conecta.mixins import CapabilityRequiredMixin, paginate, querystring_without_page
from conecta.pdf import pdf_response
from conecta.services import access_log_record
from interventions.forms.referrals import ReferralFilterForm, ReferralFollowupForm, ReferralForm, ReferralMoveForm
from interventions.models import Referral
from interventions.selectors import referrals as selectors
from interventions.services import referrals as services
from participants.models import Case
from participants.services import DomainError
from participants.views import refuse_if_restricted


class NetworkMixin(CapabilityRequiredMixin):
    capability = staticmethod(permissions.can_manage_network)


def _log(request, participant):
    access_log_record(user=request.user, subject=participant, sections={permissions.SECTION_REFERRALS},
                      path=request.path)


def _get_referral(pk):
    try:
        return selectors.referral_detail(pk=pk)
    except Referral.DoesNotExist:
        raise Http404


class ReferralListView(NetworkMixin, View):
    template_name = "interventions/referral_list.html"

    def get(self, request):
        form = ReferralFilterForm(request.GET or None)
        filters = {}
        if form.is_bound:
            form.is_valid()  # an invalid field shows its error; the valid ones still filter
            filters = form.cleaned_data
        status = filters.get("status") or Referral.Status.SENT
        referrals = selectors.referral_list(
            viewer=request.user, status=status, institution=filters.get("institution"), need=filters.get("need", ""),
            professional=filters.get("professional"),
        )
        page = paginate(request, referrals)
        selectors.annotate_waiting(page.object_list)
        return render(request, self.template_name, {
            "form": form, "page": page, "status": status, "querystring": querystring_without_page(request),
        })


class ReferralCreateView(NetworkMixin, View):
    template_name = "interventions/referral_form.html"

    def get_case(self, pk):
        return get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                 pk=pk)

    def get(self, request, case_pk):
        case = self.get_case(case_pk)
        return render(request, self.template_name, {"case": case, "form": ReferralForm()})

    def post(self, request, case_pk):
        case = self.get_case(case_pk)
        form = ReferralForm(request.POST)
        if form.is_valid():
            try:
                referral = services.referral_create(case=case, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Derivación registrada."))
                return redirect("interventions:referral_detail", pk=referral.pk)
        return render(request, self.template_name, {"case": case, "form": form})


class ReferralDetailView(NetworkMixin, View):
    def get(self, request, pk):
        referral = _get_referral(pk)
        selectors.annotate_waiting([referral])
        _log(request, referral.case.participant)
        return render(request, "interventions/referral_detail.html", {
            "referral": referral, "moves": services.available_moves(referral),
        })


class ReferralUpdateView(NetworkMixin, View):
    template_name = "interventions/referral_update_form.html"

    def get(self, request, pk):
        referral = _get_referral(pk)
        return render(request, self.template_name, {"referral": referral,
                                                    "form": ReferralFollowupForm(instance=referral)})

    def post(self, request, pk):
        referral = _get_referral(pk)
        form = ReferralFollowupForm(request.POST, instance=referral)
        if form.is_valid():
            try:
                services.referral_update(referral=referral, actor=request.user,
                                         outcome=form.cleaned_data["outcome"],
                                         next_followup_on=form.cleaned_data["next_followup_on"])
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Seguimiento actualizado."))
                return redirect("interventions:referral_detail", pk=referral.pk)
        return render(request, self.template_name, {"referral": referral, "form": form})


class ReferralMoveView(NetworkMixin, View):
    template_name = "interventions/referral_move_form.html"

    def setup_move(self, pk, status):
        if status not in Referral.Status.values:
            raise Http404
        referral = _get_referral(pk)
        labels = dict(services.MOVE_LABELS)
        return referral, labels.get(status, Referral.Status(status).label)

    def form_for(self, status, data=None):
        with_outcome = status in (Referral.Status.COMPLETED, Referral.Status.REJECTED, Referral.Status.ATTENDED)
        return ReferralMoveForm(data, with_outcome=with_outcome)

    def render_form(self, request, referral, status, label, form):
        allowed = status in dict(services.available_moves(referral))
        return render(request, self.template_name, {"referral": referral, "form": form, "label": label,
                                                    "allowed": allowed})

    def get(self, request, pk, status):
        referral, label = self.setup_move(pk, status)
        return self.render_form(request, referral, status, label, self.form_for(status))

    def post(self, request, pk, status):
        referral, label = self.setup_move(pk, status)
        form = self.form_for(status, request.POST)
        if form.is_valid():
            try:
                services.referral_transition(referral=referral, to_status=status, actor=request.user,
                                             date=form.cleaned_data["date"], note=form.cleaned_data["note"],
                                             outcome=form.cleaned_data.get("outcome", ""))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Estado de la derivación actualizado."))
                return redirect("interventions:referral_detail", pk=referral.pk)
        return self.render_form(request, referral, status, label, form)


class SocioFamilyPdfView(CapabilityRequiredMixin, View):
    """Informe sociofamiliar: identification, household, family, social assessment, network, referrals."""

    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, case_pk):
        case = get_object_or_404(Case.objects.visible_to(request.user)
                                 .select_related("participant__commune", "social_worker", "cohort"), pk=case_pk)
        refused = refuse_if_restricted(request, case.participant)
        if refused:
            return refused
        context = selectors.socio_family_report(case=case)
        access_log_record(user=request.user, subject=case.participant,
                          sections={permissions.SECTION_REFERRALS, permissions.SECTION_FAMILY,
                                    permissions.SECTION_ASSESSMENTS},
                          path=request.path)
        context["today"] = timezone.localdate()
        return pdf_response(request=request, template="interventions/pdf/socio_family.html", context=context,
                            filename=f"informe-sociofamiliar-{case.participant.rut}")


urlpatterns = [
    path("derivaciones/", ReferralListView.as_view(), name="referral_list"),
    path("casos/<int:case_pk>/derivaciones/nueva/", ReferralCreateView.as_view(), name="referral_create"),
    path("derivaciones/<int:pk>/", ReferralDetailView.as_view(), name="referral_detail"),
    path("derivaciones/<int:pk>/seguimiento/", ReferralUpdateView.as_view(), name="referral_update"),
    path("derivaciones/<int:pk>/estado/<slug:status>/", ReferralMoveView.as_view(), name="referral_move"),
    path("casos/<int:case_pk>/informe-sociofamiliar.pdf", SocioFamilyPdfView.as_view(), name="socio_family_pdf"),
]
