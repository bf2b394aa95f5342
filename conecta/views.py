import re

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from conecta import permissions
from conecta.forms import InstitutionForm, ProgramSettingsForm
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


class InstitutionListView(CapabilityRequiredMixin, ListView):
    capability = staticmethod(permissions.can_see_sensitive)
    model = Institution
    paginate_by = 25
    template_name = "conecta/institution_list.html"


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
