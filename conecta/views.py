import re

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, TemplateView, UpdateView

from conecta import permissions
from conecta.forms import InstitutionFilterForm, InstitutionForm, ProgramSettingsForm
from conecta.home import panels_for
from conecta.mixins import CapabilityRequiredMixin, ReferenceFormMixin, paginate, querystring_without_page
from conecta.models import AccessLog, Institution, ProgramSettings


@login_not_required
@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    roles = permissions.user_roles(request.user)
    if not roles:
        raise PermissionDenied
    return redirect("role_home", role=roles[0])


def role_home(request, role):
    if role not in permissions.ROLES:
        raise Http404
    if not permissions.has_role(request.user, role):
        raise PermissionDenied
    return render(
        request,
        "conecta/home.html",
        {"role": role, "role_label": permissions.ROLES[role],
         "panels": panels_for(request=request, role=role)},
    )


class AccessLogListView(CapabilityRequiredMixin, TemplateView):
    capability = staticmethod(permissions.can_manage_program)
    template_name = "conecta/accesslog_list.html"

    def get_context_data(self, **kwargs):
        entries = AccessLog.objects.select_related("user").order_by("-at", "-id")
        user_filter = self.request.GET.get("usuario", "").strip()
        subject_filter = self.request.GET.get("persona", "").strip()
        if user_filter:
            entries = entries.filter(user__username__icontains=user_filter)
        if re.fullmatch(r"[0-9]{1,18}", subject_filter):
            entries = entries.filter(subject_id=int(subject_filter))
        elif subject_filter:
            entries = entries.filter(subject_label__icontains=subject_filter)
        return super().get_context_data(
            page=paginate(self.request, entries, per_page=50),
            querystring=querystring_without_page(self.request),
            user_filter=user_filter,
            subject_filter=subject_filter,
            **kwargs,
        )


class InstitutionListView(CapabilityRequiredMixin, TemplateView):
    """The local network catalogue with filters; one query for the rows whatever their number."""

    capability = staticmethod(permissions.can_see_sensitive)
    template_name = "conecta/institution_list.html"

    def get_context_data(self, **kwargs):
        form = InstitutionFilterForm(self.request.GET or None)
        filters = {}
        if form.is_bound:
            form.is_valid()  # an invalid field shows its error; the valid ones still filter
            filters = form.cleaned_data
        today = timezone.localdate()
        institutions = Institution.objects.order_by("name")
        if filters.get("q"):
            institutions = institutions.filter(name__icontains=filters["q"].strip())
        if filters.get("kind"):
            institutions = institutions.filter(kind=filters["kind"])
        if filters.get("level"):
            institutions = institutions.filter(level=filters["level"])
        agreement = filters.get("agreement")
        if agreement == "yes":
            institutions = institutions.filter(has_agreement=True)
        elif agreement == "current":
            institutions = institutions.filter(has_agreement=True).exclude(agreement_end__lt=today).exclude(
                agreement_start__gt=today)
        elif agreement == "no":
            institutions = institutions.filter(has_agreement=False)
        if filters.get("active") in ("yes", "no"):
            institutions = institutions.filter(active=filters["active"] == "yes")
        return super().get_context_data(
            form=form, page=paginate(self.request, institutions), today=today,
            querystring=querystring_without_page(self.request), **kwargs,
        )


class InstitutionDetailView(CapabilityRequiredMixin, TemplateView):
    """An institution and the referrals the program has made to it (interventions' reverse relation)."""

    capability = staticmethod(permissions.can_see_sensitive)
    template_name = "conecta/institution_detail.html"

    def get_context_data(self, pk, **kwargs):
        institution = get_object_or_404(Institution, pk=pk)
        referrals = (institution.referrals.select_related("case__participant", "created_by")
                     .order_by("-sent_on", "-id"))
        if not permissions.can_see_blocked_people(self.request.user):
            # Blocked people (Ley 21.719) are out of every list but the manager's (participants.querysets).
            referrals = referrals.filter(case__participant__blocked_on__isnull=True)
        return super().get_context_data(
            institution=institution, today=timezone.localdate(),
            page=paginate(self.request, referrals), querystring=querystring_without_page(self.request), **kwargs,
        )


class InstitutionFormMixin(ReferenceFormMixin):
    capability = staticmethod(permissions.can_see_sensitive)
    model = Institution
    form_class = InstitutionForm
    template_name = "conecta/institution_form.html"
    success_url = reverse_lazy("institution_list")
    change_reason = _lazy("Catastro de redes")
    success_message = _lazy("Institución guardada.")


class InstitutionCreateView(InstitutionFormMixin, CreateView):
    pass


class InstitutionUpdateView(InstitutionFormMixin, UpdateView):
    pass


class ProgramSettingsView(ReferenceFormMixin, UpdateView):
    capability = staticmethod(permissions.can_manage_program)
    form_class = ProgramSettingsForm
    template_name = "conecta/programsettings_form.html"
    success_url = reverse_lazy("program_settings")
    change_reason = _lazy("Configuración del programa")
    success_message = _lazy("Configuración guardada.")

    def get_object(self, queryset=None):
        return ProgramSettings.load()
