from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from conecta import permissions
from conecta.generic import ServiceFormView
from conecta.mixins import HISTORY_CAP, CapabilityRequiredMixin, paginate, querystring_without_page
from conecta.pdf import pdf_response
from conecta.services import access_log_record, access_log_record_many
from interventions.forms.referrals import ReferralFilterForm, ReferralFollowupForm, ReferralForm, ReferralMoveForm
from interventions.models import Referral
from interventions.selectors import referrals as selectors
from interventions.services import referrals as services
from participants.models import Case
from participants.views import RestrictedPersonMixin, refuse_if_restricted


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
        page = paginate(request, referrals, cap=HISTORY_CAP)
        selectors.annotate_waiting(page.object_list)
        access_log_record_many(user=request.user, subjects=[r.case.participant for r in page],
                               sections={permissions.SECTION_REFERRALS}, path=request.path)
        return render(request, self.template_name, {
            "form": form, "page": page, "status": status, "querystring": querystring_without_page(request),
        })


class ReferralCreateView(RestrictedPersonMixin, NetworkMixin, ServiceFormView):
    # A person whose data may not be processed gets the refusal page, not a form the service would refuse.
    def restricted_person(self):
        return self.case.participant

    template_name = "interventions/referral_form.html"
    form_class = ReferralForm
    success_message = gettext_lazy("Derivación registrada.")

    def get_object(self):
        self.case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                      pk=self.kwargs["case_pk"])
        return None

    def get_context_data(self, **context):
        return super().get_context_data(case=self.case, **context)

    def perform(self, form):
        return services.referral_create(case=self.case, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, saved):
        return reverse("interventions:referral_detail", args=[saved.pk])


class ReferralDetailView(NetworkMixin, ServiceFormView):
    """The referral, and the form that moves it one step (status, date, note, outcome) on the same page."""

    template_name = "interventions/referral_detail.html"
    form_class = ReferralMoveForm
    success_message = gettext_lazy("Estado de la derivación actualizado.")

    def get_object(self):
        referral = _get_referral(self.kwargs["pk"])
        selectors.annotate_waiting([referral])
        return referral

    def get_form_kwargs(self):
        return {"referral": self.object, "moves": services.available_moves(self.object)}

    def get_context_data(self, **context):
        return super().get_context_data(referral=self.object, moves=services.available_moves(self.object), **context)

    def on_view(self, form):
        _log(self.request, self.object.case.participant)

    def perform(self, form):
        data = form.cleaned_data
        return services.referral_transition(referral=self.object, to_status=data["move"], actor=self.request.user,
                                            date=data["date"], note=data["note"], outcome=data["outcome"],
                                            version=data["version"])

    def get_success_url(self, saved):
        return reverse("interventions:referral_detail", args=[saved.pk])


class ReferralFormView(NetworkMixin, ServiceFormView):
    """A form about one referral (its follow-up, a status move): it shows the referral, so it is logged."""

    def get_object(self):
        return _get_referral(self.kwargs["pk"])

    def get_context_data(self, **context):
        return super().get_context_data(referral=self.object, **context)

    def on_view(self, form):
        _log(self.request, self.object.case.participant)

    def get_success_url(self, saved):
        return reverse("interventions:referral_detail", args=[saved.pk])


class ReferralUpdateView(ReferralFormView):
    template_name = "interventions/referral_update_form.html"
    form_class = ReferralFollowupForm
    success_message = gettext_lazy("Seguimiento actualizado.")

    def perform(self, form):
        data = form.cleaned_data
        return services.referral_update(referral=self.object, actor=self.request.user, outcome=data["outcome"],
                                        next_followup_on=data["next_followup_on"], version=data["version"])


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
    path("casos/<int:case_pk>/informe-sociofamiliar.pdf", SocioFamilyPdfView.as_view(), name="socio_family_pdf"),
]
