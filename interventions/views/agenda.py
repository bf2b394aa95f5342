"""Agenda, reception desk, arrival notices and the phone follow-up list."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from conecta import permissions
from conecta.concurrency import StaleEditError, stale_summary
from conecta.generic import ServiceFormView
from conecta.mixins import HISTORY_CAP, CapabilityRequiredMixin, id_param, paginate, querystring_without_page
from conecta.services import access_log_record
from interventions.forms.agenda import (
    AgendaFilterForm, AppointmentForm, CancelForm, DeskActionForm, FollowUpFilterForm, PhoneCallForm,
    RescheduleForm,
)
from interventions.models import Appointment
from interventions.selectors import agenda as selectors
from interventions.services import agenda as services
from interventions.services import sessions as session_services
from participants.models import PhoneCall, PhoneFollowUp
from participants.services import DomainError, open_followups_of_person, phone_call_log


def session_create_url(appointment):
    """«Registrar sesión» from an appointment (the sessions area owns that page)."""
    try:
        return reverse("interventions:session_create", args=[appointment.case_id]) + f"?cita={appointment.pk}"
    except NoReverseMatch:
        return None


def decorate(appointments, user):
    """What each row may offer this user; no queries."""
    can_work = permissions.can_work_cases(user)
    for appointment in appointments:
        appointment.session_url = (
            session_create_url(appointment)
            if can_work and session_services.can_record_from_appointment(user, appointment) else None
        )
        appointment.session_done = getattr(appointment, "session", None) if can_work else None
    return appointments


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _agenda_params(request):
    """Professional and day from ?profesional=&fecha=, falling back to sane defaults on bad input."""
    form = AgendaFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    professional = data.get("profesional")
    if professional is None:
        if permissions.can_work_cases(request.user) and request.user.is_active:
            professional = request.user
        else:
            professional = selectors.professionals().first()
    day = data.get("fecha") or timezone.localdate()
    return form, professional, day


def _agenda_url(name, professional, day):
    query = f"?fecha={day.isoformat()}"
    if professional is not None:
        query = f"?profesional={professional.pk}&fecha={day.isoformat()}"
    return reverse(name) + query


class AgendaDayView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_agenda)

    def get(self, request):
        form, professional, day = _agenda_params(request)
        appointments = []
        if professional is not None:
            appointments = decorate(list(selectors.agenda_for(professional=professional, start_day=day, days=1,
                                                                  viewer=request.user)),
                                    request.user)
        one = datetime.timedelta(days=1)
        return render(request, "interventions/agenda_day.html", {
            "form": form, "professional": professional, "day": day, "appointments": appointments,
            "professionals": selectors.professionals(),
            "prev_url": _agenda_url("interventions:agenda_day", professional, day - one),
            "next_url": _agenda_url("interventions:agenda_day", professional, day + one),
            "today_url": _agenda_url("interventions:agenda_day", professional, timezone.localdate()),
            "week_url": _agenda_url("interventions:agenda_week", professional, day),
            "is_today": day == timezone.localdate(),
        })


class AgendaWeekView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_agenda)

    def get(self, request):
        form, professional, day = _agenda_params(request)
        start = selectors.week_start(day)
        days = [start + datetime.timedelta(days=i) for i in range(7)]
        by_day = {d: [] for d in days}
        if professional is not None:
            for appointment in decorate(selectors.agenda_for(professional=professional, start_day=start, days=7,
                                                             viewer=request.user),
                                        request.user):
                by_day[timezone.localtime(appointment.starts_at).date()].append(appointment)
        week = datetime.timedelta(days=7)
        return render(request, "interventions/agenda_week.html", {
            "form": form, "professional": professional, "day": day, "start": start, "end": days[-1],
            "columns": [(d, by_day[d]) for d in days], "today": timezone.localdate(),
            "professionals": selectors.professionals(),
            "prev_url": _agenda_url("interventions:agenda_week", professional, start - week),
            "next_url": _agenda_url("interventions:agenda_week", professional, start + week),
            "today_url": _agenda_url("interventions:agenda_week", professional, timezone.localdate()),
            "day_url": _agenda_url("interventions:agenda_day", professional, day),
        })


class AppointmentCreateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_agenda)
    template_name = "interventions/appointment_form.html"

    def initial(self, request):
        initial = {"date": timezone.localdate() + datetime.timedelta(days=1), "time": datetime.time(10, 0),
                   "duration_minutes": 45}
        case_pk = id_param(request.GET.get("caso"))
        if case_pk:
            initial["case"] = case_pk
        professional = None
        professional_pk = id_param(request.GET.get("profesional"))
        if professional_pk:
            professional = selectors.professionals().filter(pk=professional_pk).first()
        elif permissions.can_work_cases(request.user):
            professional = request.user
        if professional is not None:
            initial["professional"] = professional.pk
            areas = permissions.areas_of(professional)
            if areas:
                initial["area"] = areas[0]
            if permissions.has_role(professional, permissions.FOLLOWUP_PSYCHOLOGIST):
                initial["kind"] = Appointment.Kind.FOLLOWUP
        form = AgendaFilterForm({"fecha": request.GET.get("fecha", "")})
        if form.is_valid() and form.cleaned_data.get("fecha"):
            initial["date"] = form.cleaned_data["fecha"]
        return initial

    def get(self, request):
        return render(request, self.template_name, {"form": AppointmentForm(initial=self.initial(request))})

    def post(self, request):
        form = AppointmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = services.appointment_create(
                    case=data["case"], professional=data["professional"], area=data["area"],
                    starts_at=data["starts_at"], duration_minutes=data["duration_minutes"],
                    modality=data["modality"], kind=data["kind"], purpose=data["purpose"], actor=request.user,
                )
            except services.AgendaError as error:
                form.add_error(error.field, str(error))
            else:
                messages.success(request, _("Cita agendada."))
                return redirect(_agenda_url("interventions:agenda_day", appointment.professional,
                                            timezone.localtime(appointment.starts_at).date()))
        return render(request, self.template_name, {"form": form})


def _appointment_or_404(pk):
    try:
        return selectors.appointment_detail(pk=pk)
    except Appointment.DoesNotExist:
        raise Http404


class AppointmentDetailView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_agenda)

    def get(self, request, pk):
        appointment = _appointment_or_404(pk)
        decorate([appointment], request.user)
        person = appointment.case.participant
        access_log_record(user=request.user, subject=person, sections={permissions.SECTION_APPOINTMENTS},
                          path=request.path)
        return render(request, "interventions/appointment_detail.html", {
            "appointment": appointment, "person": person,
            "rescheduled_from": Appointment.objects.filter(rescheduled_to=appointment).first(),
        })


class AppointmentFormActionView(ServiceFormView):
    """A small form about one appointment (reschedule, cancel) that carries its version."""

    capability = staticmethod(permissions.can_manage_agenda)

    def get_object(self):
        return _appointment_or_404(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"record": self.object}

    def get_context_data(self, **context):
        return super().get_context_data(appointment=self.object, **context)

    def get_success_url(self, saved):
        return reverse("interventions:appointment_detail", args=[saved.pk])


class AppointmentRescheduleView(AppointmentFormActionView):
    template_name = "interventions/appointment_reschedule.html"
    form_class = RescheduleForm
    success_message = gettext_lazy("Cita reagendada. La cita anterior quedó registrada como reagendada.")

    def get_form_kwargs(self):
        local = timezone.localtime(self.object.starts_at)
        # A missed appointment is booked again from tomorrow on, at its usual time.
        day = max(local.date(), timezone.localdate() + datetime.timedelta(days=1)) \
            if self.object.status == Appointment.Status.NO_SHOW else local.date()
        return {**super().get_form_kwargs(), "initial": {
            "professional": self.object.professional_id, "date": day, "time": local.time(),
            "duration_minutes": self.object.duration_minutes,
        }}

    def perform(self, form):
        data = form.cleaned_data
        return services.appointment_reschedule(
            appointment=self.object, starts_at=data["starts_at"], duration_minutes=data["duration_minutes"],
            professional=data["professional"], reason=data["reason"], actor=self.request.user,
            version=data["version"],
        )


class AppointmentCancelView(AppointmentFormActionView):
    template_name = "interventions/appointment_cancel.html"
    form_class = CancelForm
    success_message = gettext_lazy("Cita cancelada.")

    def perform(self, form):
        return services.appointment_cancel(appointment=self.object, reason=form.cleaned_data["reason"],
                                           actor=self.request.user, version=form.cleaned_data["version"])


class AppointmentActionView(CapabilityRequiredMixin, View):
    """One-click actions (POST only), each carrying the version of the appointment the page showed.
    With `Accept: application/json` the answer is JSON with the re-rendered desk row, so the
    reception page updates without reloading; otherwise a redirect back."""

    capability = staticmethod(permissions.can_manage_agenda)
    success_message = ""

    def post(self, request, pk):
        appointment = get_object_or_404(Appointment, pk=pk)
        form = DeskActionForm(request.POST, record=appointment)
        refusal, stale = None, False
        if not form.is_valid():
            refusal = " ".join(form.errors.get("version", []))
        else:
            try:
                self.perform(appointment, request.user, version=form.cleaned_data["version"])
            except StaleEditError as error:
                refusal, stale = stale_summary(error, what=_(
                    "Otra persona cambió esta cita después de que usted cargó la página: no se registró nada.")), True
            except DomainError as error:
                refusal = str(error)
        appointment = selectors.appointment_detail(pk=pk)
        if _wants_json(request):
            decorate([appointment], request.user)
            # The row comes back as stored now, refused or not, so the desk sees the current state.
            row = render_to_string("interventions/reception_row.html",
                                   {"appointment": appointment, "next": reverse("interventions:reception")},
                                   request=request)
            if refusal:
                return JsonResponse({"ok": False, "stale": stale, "message": refusal, "row_html": row}, status=409)
            return JsonResponse({"ok": True, "message": self.message(appointment), "status": appointment.status,
                                 "status_label": appointment.get_status_display(), "row_html": row})
        if refusal:
            messages.error(request, refusal)
        else:
            messages.success(request, self.message(appointment))
        return HttpResponseRedirect(_safe_next(request, reverse("interventions:reception")))

    def message(self, appointment):
        return self.success_message % {"name": appointment.case.participant.display_name}


class AppointmentCheckInView(AppointmentActionView):
    success_message = gettext_lazy("Llegada de %(name)s registrada: se avisó al profesional.")

    def perform(self, appointment, actor, version):
        services.appointment_check_in(appointment=appointment, actor=actor, version=version)


class AppointmentNoShowView(AppointmentActionView):
    success_message = gettext_lazy("Inasistencia de %(name)s registrada: quedó en la lista de llamadas pendientes.")

    def perform(self, appointment, actor, version):
        services.appointment_mark_no_show(appointment=appointment, actor=actor, version=version)


class AppointmentUndoView(AppointmentActionView):
    success_message = gettext_lazy("Se deshizo el registro: la cita de %(name)s vuelve a estar agendada.")

    def perform(self, appointment, actor, version):
        services.appointment_undo(appointment=appointment, actor=actor, version=version)


class AppointmentAttendedView(AppointmentActionView):
    capability = staticmethod(permissions.can_work_cases)
    success_message = gettext_lazy("Cita de %(name)s marcada como atendida.")

    def perform(self, appointment, actor, version):
        services.appointment_mark_attended(appointment=appointment, actor=actor, version=version)


class AppointmentReminderView(AppointmentActionView):
    success_message = gettext_lazy("Recordatorio enviado por correo a %(name)s.")

    def perform(self, appointment, actor, version):
        services.appointment_send_reminder(appointment=appointment, actor=actor, version=version)


class ReceptionView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_agenda)

    def get(self, request):
        today = timezone.localdate()
        page = paginate(request, selectors.reception_day(day=today, viewer=request.user), per_page=60)
        decorate(page.object_list, request.user)
        counts = selectors.reception_summary(day=today)
        return render(request, "interventions/reception.html", {
            "page": page, "today": today, "counts": counts,
            "expected": sum(counts.get(s, 0) for s in selectors.STANDING_STATUSES),
            "arrived": counts.get(Appointment.Status.ARRIVED, 0) + counts.get(Appointment.Status.ATTENDED, 0),
            "no_show": counts.get(Appointment.Status.NO_SHOW, 0),
            "open_followups": selectors.open_followup_count(),
            "next": request.get_full_path(),
        })


class ArrivalNoticesView(CapabilityRequiredMixin, View):
    """JSON polled by static/js/arrivals.js on every page of a professional."""

    capability = staticmethod(permissions.can_work_cases)

    def get(self, request):
        notices = []
        for appointment in selectors.arrivals_unseen(user=request.user):
            arrived = timezone.localtime(appointment.checked_in_at)
            local = timezone.localtime(appointment.starts_at)
            notices.append({
                "id": appointment.pk,
                "message": _("%(name)s llegó a las %(arrived)s para su cita de las %(time)s.") % {
                    "name": appointment.case.participant.display_name,
                    "arrived": arrived.strftime("%H:%M"), "time": local.strftime("%H:%M"),
                },
                "seen_url": reverse("interventions:arrival_seen", args=[appointment.pk]),
                "agenda_url": _agenda_url("interventions:agenda_day", request.user, local.date()),
            })
        return JsonResponse({"notices": notices, "labels": {
            "ok": _("Entendido"), "agenda": _("Ver agenda"), "title": _("Llegó a recepción"),
        }})


class ArrivalSeenView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def post(self, request, pk):
        appointment = get_object_or_404(Appointment, pk=pk)
        try:
            services.appointment_arrival_seen(appointment=appointment, actor=request.user)
        except services.AgendaError:
            raise PermissionDenied
        if _wants_json(request):
            return JsonResponse({"ok": True})
        return HttpResponseRedirect(_safe_next(request, reverse("interventions:agenda_day")))


class PhoneFollowUpListView(CapabilityRequiredMixin, View):
    """Pending calls, one row per person (one call covers all their absences); closed ones, one per absence."""

    capability = staticmethod(permissions.can_manage_agenda)

    def get(self, request):
        form = FollowUpFilterForm(request.GET or None)
        state = form.cleaned_data.get("estado") if form.is_valid() else ""
        state = state or "abiertos"
        if state == "cerrados":
            rows = selectors.phone_followup_list(state=state, viewer=request.user)
        else:
            rows = selectors.phone_followup_people(viewer=request.user)
        page = paginate(request, rows, cap=HISTORY_CAP)
        for person in page.object_list if state != "cerrados" else ():
            person.latest_reason_label = PhoneFollowUp.Reason(person.latest_reason).label
        return render(request, "interventions/phonefollowup_list.html", {
            "form": form, "state": state, "page": page, "querystring": querystring_without_page(request),
        })


class PhoneFollowUpCallView(CapabilityRequiredMixin, View):
    """One call to the person about all their pending absences; «Reagendado/a» books the missed appointment."""

    capability = staticmethod(permissions.can_manage_agenda)
    template_name = "interventions/phonefollowup_call.html"

    def context(self, followup, form):
        person_id = followup.case.participant_id
        return {"followup": followup, "form": form, "missed": self.missed,
                "pending": open_followups_of_person(person_id),
                "calls": PhoneCall.objects.filter(followup__case__participant_id=person_id)
                .select_related("caller").order_by("-called_at", "-pk")}

    def get_followup(self, pk):
        followup = get_object_or_404(PhoneFollowUp.objects.select_related("case__participant", "opened_by"), pk=pk)
        self.missed = services.missed_appointment_to_book(followup) if followup.status == PhoneFollowUp.Status.OPEN \
            else None
        return followup

    def get_form(self, data=None):
        return PhoneCallForm(data, missed=self.missed)

    def get(self, request, pk):
        followup = self.get_followup(pk)
        return render(request, self.template_name, self.context(followup, self.get_form()))

    def post(self, request, pk):
        followup = self.get_followup(pk)
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["outcome"] == PhoneCall.Outcome.RESCHEDULED and self.missed is not None:
                    new = services.phone_call_reschedule(
                        followup=followup, actor=request.user, starts_at=data["starts_at"],
                        professional=data["professional"], notes=data["notes"])
                    message = _("Llamado registrado y cita reagendada para el %(date)s.") % {
                        "date": timezone.localtime(new.starts_at).strftime("%d-%m-%Y %H:%M")}
                else:
                    phone_call_log(followup=followup, actor=request.user, outcome=data["outcome"],
                                   notes=data["notes"], resolve=data["resolve"])
                    message = _("Llamado registrado.")
            except services.AgendaError as error:
                # The new time is refused (past, overlapping): shown next to its field, nothing saved.
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except DomainError as error:
                # Closed meanwhile (someone else resolved it): nothing to add here.
                messages.error(request, str(error))
                return redirect("interventions:phonefollowup_list")
            else:
                messages.success(request, message)
                return redirect("interventions:phonefollowup_list")
        return render(request, self.template_name, self.context(followup, form))


urlpatterns = [
    path("agenda/", AgendaDayView.as_view(), name="agenda_day"),
    path("agenda/semana/", AgendaWeekView.as_view(), name="agenda_week"),
    path("citas/nueva/", AppointmentCreateView.as_view(), name="appointment_create"),
    path("citas/<int:pk>/", AppointmentDetailView.as_view(), name="appointment_detail"),
    path("citas/<int:pk>/reagendar/", AppointmentRescheduleView.as_view(), name="appointment_reschedule"),
    path("citas/<int:pk>/cancelar/", AppointmentCancelView.as_view(), name="appointment_cancel"),
    path("citas/<int:pk>/llegada/", AppointmentCheckInView.as_view(), name="appointment_check_in"),
    path("citas/<int:pk>/no-asistio/", AppointmentNoShowView.as_view(), name="appointment_no_show"),
    path("citas/<int:pk>/deshacer/", AppointmentUndoView.as_view(), name="appointment_undo"),
    path("citas/<int:pk>/atendida/", AppointmentAttendedView.as_view(), name="appointment_attended"),
    path("citas/<int:pk>/recordatorio/", AppointmentReminderView.as_view(), name="appointment_reminder"),
    path("recepcion/", ReceptionView.as_view(), name="reception"),
    path("avisos-de-llegada/", ArrivalNoticesView.as_view(), name="arrival_notices"),
    path("avisos-de-llegada/<int:pk>/visto/", ArrivalSeenView.as_view(), name="arrival_seen"),
    path("seguimiento-telefonico/", PhoneFollowUpListView.as_view(), name="phonefollowup_list"),
    path("seguimiento-telefonico/<int:pk>/llamado/", PhoneFollowUpCallView.as_view(), name="phonefollowup_call"),
]
