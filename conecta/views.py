import logging
import re

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import TemplateView

from conecta import permissions
from conecta.forms import InstitutionFilterForm, InstitutionForm, ProgramSettingsForm
from conecta.home import panels_for
from conecta.generic import ServiceFormView
from conecta.mixins import CapabilityRequiredMixin, paginate, querystring_without_page
from conecta.models import AccessLog, Institution, ProgramSettings
from conecta.services import access_log_record_many, reference_save

logger = logging.getLogger("conecta")


@login_not_required
@never_cache
def healthz(request):
    """`ok` only if a page can be served: a database round trip and the login page
    rendered through the whole template stack (base layout, static manifest,
    context processors). 503 otherwise, so the proxy or monitor notices."""
    from django.template.loader import render_to_string

    from conecta.accounts.forms import LoginForm

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        render_to_string("registration/login.html", {"form": LoginForm(request)}, request=request)
    except Exception as error:  # any failure means the application cannot serve pages
        logger.exception("Health check failed")
        return HttpResponse(f"error: {type(error).__name__}", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@requires_csrf_token
def server_error(request):
    """The 500 page: no database, no context processors; it says what is true:
    the error was logged under this request's id."""
    from conecta.logs import current_request_id

    html = loader.get_template("500.html").render({"request_id": getattr(request, "id", current_request_id.get())})
    return HttpResponseServerError(html)


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
        section_filter = self.request.GET.get("seccion", "")
        if section_filter in dict(permissions.SECTION_CHOICES):
            entries = entries.with_section(section_filter)
        else:
            section_filter = ""
        return super().get_context_data(
            section_choices=permissions.SECTION_CHOICES, section_filter=section_filter,
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
        page = paginate(self.request, referrals)
        # The page lists who was referred here and for what: each person shown is in the access log.
        access_log_record_many(user=self.request.user, subjects=[r.case.participant for r in page],
                               sections={permissions.SECTION_REFERRALS}, path=self.request.path)
        return super().get_context_data(
            institution=institution, today=timezone.localdate(),
            page=page, querystring=querystring_without_page(self.request), **kwargs,
        )


class InstitutionFormView(ServiceFormView):
    """New institution (no pk) or edit of one in the catalogue."""

    capability = staticmethod(permissions.can_see_sensitive)
    form_class = InstitutionForm
    template_name = "conecta/institution_form.html"
    success_message = _lazy("Institución guardada.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Institution, pk=pk) if pk else Institution()

    def get_context_data(self, **context):
        return super().get_context_data(**{**context, "object": self.object if self.object.pk else None})

    def perform(self, form):
        return reference_save(instance=form.save(commit=False), actor=self.request.user,
                              reason=_lazy("Catastro de redes"), version=form.cleaned_data["version"])

    def get_success_url(self, saved):
        return reverse("institution_list")


class ProgramSettingsView(ServiceFormView):
    capability = staticmethod(permissions.can_manage_program)
    form_class = ProgramSettingsForm
    template_name = "conecta/programsettings_form.html"
    success_message = _lazy("Configuración guardada.")

    def get_object(self):
        return ProgramSettings.load()

    def perform(self, form):
        return reference_save(instance=form.save(commit=False), actor=self.request.user,
                              reason=_lazy("Configuración del programa"), version=form.cleaned_data["version"])

    def get_success_url(self, saved):
        return reverse("program_settings")
