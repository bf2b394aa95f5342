from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from conecta import permissions
from conecta.concurrency import other_changes
from conecta.generic import ServiceFormView
from conecta.mixins import HISTORY_CAP, CapabilityRequiredMixin, id_param, paginate, querystring_without_page
from conecta.services import access_log_record, access_log_record_many
from interventions.forms.sessions import SessionFilterForm, SessionForm
from interventions.models import Appointment, Session
from interventions.selectors import sessions as selectors
from interventions.services import sessions as services
from participants.models import Case
from participants.views import RestrictedPersonMixin

# What the session form shows besides the session itself: the family's names and the plan's objectives.
FORM_SECTIONS = frozenset({permissions.SECTION_FAMILY, permissions.SECTION_PLAN})


def _payload(form):
    data = {name: form.cleaned_data[name] for name in services.FIELDS}
    return {"data": data, "family_members": form.cleaned_data["family_members"],
            "objectives": form.cleaned_data["objectives"]}


class SessionFormMixin:
    capability = staticmethod(permissions.can_work_cases)
    template_name = "interventions/session_form.html"
    form_class = SessionForm

    def get_context_data(self, **context):
        return super().get_context_data(case=self.case, person=self.case.participant, **context)


class SessionCreateView(RestrictedPersonMixin, SessionFormMixin, ServiceFormView):
    # A person whose data may not be processed gets the refusal page, not a form the service would refuse.
    def restricted_person(self):
        return self.case.participant

    success_message = gettext_lazy("Sesión registrada.")

    def get_object(self):
        self.case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                      pk=self.kwargs["case_pk"])
        self.appointment = None
        wanted = id_param(self.request.GET.get("cita"))
        if wanted is not None:
            self.appointment = (Appointment.objects.filter(pk=wanted, case=self.case)
                                .select_related("professional").first())
            if self.appointment is None:
                raise Http404
        return None

    def initial(self):
        areas = permissions.areas_of(self.request.user)
        initial = {"starts_at": timezone.localtime().replace(second=0, microsecond=0),
                   "professional": self.request.user.pk, "area": areas[0] if areas else ""}
        appointment = self.appointment
        if appointment is not None:
            initial.update(starts_at=timezone.localtime(appointment.starts_at), professional=appointment.professional_id,
                           area=appointment.area, duration_minutes=appointment.duration_minutes,
                           modality=appointment.modality)
        return initial

    def get_form_kwargs(self):
        return {"initial": self.initial(), "case": self.case, "user": self.request.user,
                "appointment": self.appointment}

    def get_context_data(self, **context):
        appointment = self.appointment
        already = appointment is not None and Session.objects.filter(appointment=appointment).first()
        return super().get_context_data(appointment=appointment, existing=already,
                                        cancel_url=self.case.get_absolute_url(), **context)

    def on_view(self, form):
        access_log_record(user=self.request.user, subject=self.case.participant, sections=FORM_SECTIONS,
                          path=self.request.path)

    def perform(self, form):
        return services.session_create(case=self.case, actor=self.request.user, appointment=self.appointment,
                                       appointment_version=form.cleaned_data.get("appointment_version"),
                                       **_payload(form))

    def get_success_url(self, saved):
        return reverse("interventions:session_detail", args=[saved.pk])

    def refresh_object(self, error):
        self.get_object()  # the appointment as stored now
        return None

    def rebase(self, form, error):
        """The desk marked the appointment meanwhile: nothing of the session form changes, the
        appointment's new state is shown and the form now carries its current version."""
        data = form.data.copy()
        data[form.add_prefix("appointment_version")] = str(error.stored.version)
        return data, other_changes(error)


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


class SessionUpdateView(SessionFormMixin, ServiceFormView):
    success_message = gettext_lazy("Sesión actualizada.")

    def get_object(self):
        session = get_object_or_404(Session.objects.select_related("case__participant", "appointment"),
                                    pk=self.kwargs["pk"])
        if not services.can_edit_session(self.request.user, session):
            raise PermissionDenied
        self.case = session.case
        return session

    def get_form_kwargs(self):
        return {"instance": self.object, "case": self.case, "user": self.request.user}

    def get_context_data(self, **context):
        return super().get_context_data(session=self.object, **context, cancel_url=reverse(
            "interventions:session_detail", args=[self.object.pk]))

    def on_view(self, form):
        access_log_record(user=self.request.user, subject=self.case.participant,
                          sections=FORM_SECTIONS | {permissions.SECTION_SESSIONS}, path=self.request.path)

    def perform(self, form):
        return services.session_update(session=form.instance, actor=self.request.user,
                                       version=form.cleaned_data["version"], **_payload(form))

    def get_success_url(self, saved):
        return reverse("interventions:session_detail", args=[saved.pk])


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
        page = paginate(request, sessions, cap=HISTORY_CAP)
        access_log_record_many(user=request.user, subjects=[session.case.participant for session in page],
                               sections={permissions.SECTION_SESSIONS}, path=request.path)
        return render(request, "interventions/session_list.html", {
            "form": form, "page": page, "querystring": querystring_without_page(request),
        })


urlpatterns = [
    path("sesiones/", SessionListView.as_view(), name="session_list"),
    path("casos/<int:case_pk>/sesiones/nueva/", SessionCreateView.as_view(), name="session_create"),
    path("sesiones/<int:pk>/", SessionDetailView.as_view(), name="session_detail"),
    path("sesiones/<int:pk>/editar/", SessionUpdateView.as_view(), name="session_update"),
]
