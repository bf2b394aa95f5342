from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from conecta import permissions
from conecta.mixins import CapabilityRequiredMixin, id_param, paginate, querystring_without_page
from conecta.services import access_log_record
from interventions.forms.sessions import SessionFilterForm, SessionForm
from interventions.models import Appointment, Session
from interventions.selectors import sessions as selectors
from interventions.services import sessions as services
from participants.models import Case
from participants.services import DomainError

def _payload(form):
    data = {name: form.cleaned_data[name] for name in services.FIELDS}
    return {"data": data, "family_members": form.cleaned_data["family_members"],
            "objectives": form.cleaned_data["objectives"]}


class SessionCreateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "interventions/session_form.html"

    def load(self, request, case_pk):
        case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                 pk=case_pk)
        appointment = None
        wanted = id_param(request.GET.get("cita"))
        if wanted is not None:
            appointment = (Appointment.objects.filter(pk=wanted, case=case)
                           .select_related("professional").first())
            if appointment is None:
                raise Http404
        return case, appointment

    def initial(self, request, appointment):
        areas = permissions.areas_of(request.user)
        initial = {"starts_at": timezone.localtime().replace(second=0, microsecond=0),
                   "professional": request.user.pk, "area": areas[0] if areas else ""}
        if appointment is not None:
            initial.update(starts_at=timezone.localtime(appointment.starts_at), professional=appointment.professional_id,
                           area=appointment.area, duration_minutes=appointment.duration_minutes,
                           modality=appointment.modality)
        return initial

    def render_page(self, request, case, appointment, form):
        already = appointment is not None and Session.objects.filter(appointment=appointment).first()
        return render(request, self.template_name, {
            "case": case, "person": case.participant, "appointment": appointment, "existing": already, "form": form,
            "cancel_url": case.get_absolute_url(),
        })

    def get(self, request, case_pk):
        case, appointment = self.load(request, case_pk)
        form = SessionForm(initial=self.initial(request, appointment), case=case, user=request.user)
        return self.render_page(request, case, appointment, form)

    def post(self, request, case_pk):
        case, appointment = self.load(request, case_pk)
        form = SessionForm(request.POST, case=case, user=request.user)
        if form.is_valid():
            try:
                session = services.session_create(case=case, actor=request.user, appointment=appointment,
                                                  **_payload(form))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Sesión registrada."))
                return redirect("interventions:session_detail", pk=session.pk)
        return self.render_page(request, case, appointment, form)


class SessionDetailView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        try:
            session = selectors.session_detail(pk=pk)
        except Session.DoesNotExist:
            raise Http404
        access_log_record(user=request.user, subject=session.case.participant,
                          sections={permissions.SECTION_SESSIONS}, path=request.path)
        return render(request, "interventions/session_detail.html", {
            "session": session, "case": session.case, "person": session.case.participant,
            "readable": permissions.can_read_session_content(request.user, session),
            "can_edit": services.can_edit_session(request.user, session),
        })


class SessionUpdateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "interventions/session_form.html"

    def load(self, request, pk):
        session = get_object_or_404(Session.objects.select_related("case__participant", "appointment"), pk=pk)
        if not services.can_edit_session(request.user, session):
            raise PermissionDenied
        return session

    def render_page(self, request, session, form):
        return render(request, self.template_name, {
            "session": session, "case": session.case, "person": session.case.participant, "form": form,
            "cancel_url": reverse("interventions:session_detail", args=[session.pk]),
        })

    def get(self, request, pk):
        session = self.load(request, pk)
        access_log_record(user=request.user, subject=session.case.participant,
                          sections={permissions.SECTION_SESSIONS}, path=request.path)
        form = SessionForm(instance=session, case=session.case, user=request.user)
        return self.render_page(request, session, form)

    def post(self, request, pk):
        session = self.load(request, pk)
        form = SessionForm(request.POST, instance=session, case=session.case, user=request.user)
        if form.is_valid():
            try:
                services.session_update(session=form.instance, actor=request.user, **_payload(form))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Sesión actualizada."))
                return redirect("interventions:session_detail", pk=session.pk)
        return self.render_page(request, session, form)


class SessionListView(CapabilityRequiredMixin, View):
    """«Mis sesiones»: the sessions the user recorded as professional."""

    capability = staticmethod(permissions.can_work_cases)

    def get(self, request):
        form = SessionFilterForm(request.GET or None)
        filters = {}
        if form.is_bound and form.is_valid():
            filters = form.cleaned_data
        sessions = selectors.my_sessions(user=request.user, date_from=filters.get("date_from"),
                                         date_to=filters.get("date_to"), area=filters.get("area", ""))
        page = paginate(request, sessions)
        return render(request, "interventions/session_list.html", {
            "form": form, "page": page, "querystring": querystring_without_page(request),
        })


urlpatterns = [
    path("sesiones/", SessionListView.as_view(), name="session_list"),
    path("casos/<int:case_pk>/sesiones/nueva/", SessionCreateView.as_view(), name="session_create"),
    path("sesiones/<int:pk>/", SessionDetailView.as_view(), name="session_detail"),
    path("sesiones/<int:pk>/editar/", SessionUpdateView.as_view(), name="session_update"),
]
