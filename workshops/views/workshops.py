"""Workshops: types, runs, enrolment, attendance, certificates and signature sheets."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from conecta import permissions
from conecta.concurrency import StaleEditError, stale_summary
from conecta.generic import ServiceFormView
from conecta.mixins import CapabilityRequiredMixin, id_param, paginate, querystring_without_page
from conecta.pdf import pdf_response
from conecta.services import access_log_record
from participants.models import Case
from participants.services import DomainError
from participants.views import refuse_if_restricted
from workshops.forms.workshops import (
    AttendanceForm, CaseEnrolmentForm, EnrolmentForm, StatusForm, WithdrawForm, WorkshopCreateForm, WorkshopFilterForm,
    WorkshopSessionForm, WorkshopTypeForm, WorkshopUpdateForm,
)
from workshops.models import Workshop, WorkshopAttendance, WorkshopEnrolment, WorkshopSession, WorkshopType
from workshops.selectors import workshops as workshop_selectors
from workshops.services import workshops as services


def _load_workshop(pk, viewer):
    try:
        return workshop_selectors.workshop_detail(pk=pk, viewer=viewer)
    except Workshop.DoesNotExist:
        raise Http404


# --- Types -----------------------------------------------------------------

class WorkshopTypeListView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request):
        return render(request, "workshops/workshoptype_list.html", {
            "types": workshop_selectors.workshop_type_list(),
            "can_edit": permissions.can_manage_program(request.user),
        })


class WorkshopTypeFormView(ServiceFormView):
    capability = staticmethod(permissions.can_manage_program)
    template_name = "workshops/workshoptype_form.html"
    form_class = WorkshopTypeForm
    success_message = gettext_lazy("Tipo de taller guardado.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(WorkshopType, pk=pk) if pk else WorkshopType()

    def get_context_data(self, **context):
        return super().get_context_data(**{**context, "object": self.object if self.object.pk else None})

    def perform(self, form):
        return services.workshop_type_save(workshop_type=form.save(commit=False), actor=self.request.user,
                                           version=form.cleaned_data["version"])

    def get_success_url(self, saved):
        return reverse("workshops:workshoptype_list")


# --- Runs ------------------------------------------------------------------

class WorkshopListView(CapabilityRequiredMixin, View):
    def get(self, request):
        form = WorkshopFilterForm(request.GET or None)
        filters = {}
        if form.is_bound:
            form.is_valid()
            filters = form.cleaned_data
        workshops = workshop_selectors.workshop_list(
            status=filters.get("status", ""), workshop_type=filters.get("workshop_type"),
            facilitator=request.user if filters.get("mine") else None,
        )
        page = paginate(request, workshops)
        workshop_selectors.with_rates(page)
        return render(request, "workshops/workshop_list.html", {
            "form": form, "page": page, "querystring": querystring_without_page(request),
            "can_manage": permissions.can_work_cases(request.user),
        })


class WorkshopCreateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "workshops/workshop_form.html"

    def get(self, request):
        initial = {"facilitators": [request.user.pk]}
        return render(request, self.template_name, {"form": WorkshopCreateForm(initial=initial)})

    def post(self, request):
        form = WorkshopCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workshop = services.workshop_create(
                    workshop_type=data["workshop_type"], facilitators=list(data["facilitators"]),
                    place=data["place"], capacity=data["capacity"], start_date=data["start_date"],
                    weekday=data["weekday"], start_time=data["start_time"], cohort=data["cohort"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Taller planificado con sus sesiones."))
                closed = services.sessions_on_closed_days(workshop)
                if closed:
                    messages.warning(request, _("Revise estas sesiones, caen en días en que el programa no "
                                                "atiende: %(sessions)s. Muévalas desde el taller.") % {
                        "sessions": "; ".join(_("sesión %(n)s, %(date)s (%(why)s)") % {
                            "n": session.number, "date": session.date.strftime("%d-%m-%Y"), "why": why}
                            for session, why in closed)})
                return redirect(workshop)
        return render(request, self.template_name, {"form": form})


class WorkshopUpdateView(ServiceFormView):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "workshops/workshop_form.html"
    form_class = WorkshopUpdateForm
    success_message = gettext_lazy("Taller actualizado.")

    def get_object(self):
        return get_object_or_404(Workshop.objects.select_related("workshop_type"), pk=self.kwargs["pk"])

    def get_context_data(self, **context):
        return super().get_context_data(workshop=self.object, **context)

    def perform(self, form):
        return services.workshop_update(workshop=form.save(commit=False), actor=self.request.user,
                                        facilitators=list(form.cleaned_data["facilitators"]),
                                        version=form.cleaned_data["version"])


class WorkshopDetailView(CapabilityRequiredMixin, View):
    """Sessions and the attendance grid; the desk sees names and attendance only."""

    def get(self, request, pk):
        workshop = _load_workshop(pk, request.user)
        return render(request, "workshops/workshop_detail.html", {
            "workshop": workshop,
            "can_manage": permissions.can_work_cases(request.user),
            "can_see_cases": permissions.can_see_sensitive(request.user),
            "status_moves": [(s, Workshop.Status(s).label)
                             for s in services.WORKSHOP_STATUS_MOVES.get(workshop.status, ())],
        })


class WorkshopStatusView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    http_method_names = ["post"]

    def post(self, request, pk):
        workshop = get_object_or_404(Workshop, pk=pk)
        form = StatusForm(request.POST, record=workshop)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("version", [])) or _("Estado no válido."))
            return redirect(workshop)
        try:
            services.workshop_set_status(workshop=workshop, status=form.cleaned_data["status"], actor=request.user,
                                         version=form.cleaned_data["version"])
        except StaleEditError as error:
            messages.error(request, stale_summary(error))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Estado del taller actualizado."))
        return redirect(workshop)


class WorkshopSessionUpdateView(ServiceFormView):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "workshops/workshopsession_form.html"
    form_class = WorkshopSessionForm
    success_message = gettext_lazy("Sesión actualizada.")

    def get_object(self):
        return get_object_or_404(WorkshopSession.objects.select_related("workshop__workshop_type"),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **context):
        return super().get_context_data(session=self.object, **context)

    def perform(self, form):
        return services.session_update(session=form.save(commit=False), actor=self.request.user,
                                       version=form.cleaned_data["version"])

    def get_success_url(self, saved):
        return saved.workshop.get_absolute_url()


# --- Enrolment -------------------------------------------------------------

class WorkshopEnrolView(CapabilityRequiredMixin, View):
    """Enrol several people at once from the run's page (`?caso=` ticks one beforehand)."""

    capability = staticmethod(permissions.can_work_cases)
    template_name = "workshops/enrolment_form.html"

    def get(self, request, pk):
        workshop = get_object_or_404(Workshop.objects.select_related("workshop_type"), pk=pk)
        case_pk = id_param(request.GET.get("caso"))
        form = EnrolmentForm(workshop=workshop, initial={"cases": [case_pk]} if case_pk else {})
        return render(request, self.template_name, {"form": form, "workshop": workshop})

    def post(self, request, pk):
        workshop = get_object_or_404(Workshop.objects.select_related("workshop_type"), pk=pk)
        form = EnrolmentForm(request.POST, workshop=workshop)
        if form.is_valid():
            try:
                result = services.enrolment_create_many(workshop=workshop, cases=form.cleaned_data["cases"],
                                                        actor=request.user, date=form.cleaned_data["date"])
            except DomainError as error:
                form.add_error(getattr(error, "field", None) or "cases", str(error))
            else:
                if result.enrolled:
                    (messages.warning if result.refused else messages.success)(request, result.summary())
                    return redirect(workshop)
                form.add_error("cases", result.summary())
        return render(request, self.template_name, {"form": form, "workshop": workshop})


class WorkshopCaseEnrolView(ServiceFormView):
    """Enrol the person of a case file: the case is given, the workshop is chosen."""

    capability = staticmethod(permissions.can_work_cases)
    template_name = "workshops/enrolment_case_form.html"
    form_class = CaseEnrolmentForm
    refusal_field = "workshop"

    def get_object(self):
        self.case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                      pk=self.kwargs["case_pk"])
        return None

    def get_form_kwargs(self):
        return {"case": self.case}

    def get_context_data(self, **context):
        return super().get_context_data(case=self.case, **context)

    def perform(self, form):
        return services.enrolment_create(workshop=form.cleaned_data["workshop"], case=self.case,
                                         actor=self.request.user, date=form.cleaned_data["date"])

    def get_success_message(self, saved):
        return _("%(name)s quedó inscrito/a en %(workshop)s.") % {
            "name": self.case.participant.full_name, "workshop": saved.workshop.workshop_type.name}

    def get_success_url(self, saved):
        return reverse("participants:participant_detail", args=[self.case.participant_id]) + "#panel-talleres"


class WorkshopWithdrawView(ServiceFormView):
    capability = staticmethod(permissions.can_work_cases)
    template_name = "workshops/withdraw_form.html"
    form_class = WithdrawForm
    success_message = gettext_lazy("Inscripción retirada.")

    def get_object(self):
        return get_object_or_404(
            WorkshopEnrolment.objects.select_related("workshop__workshop_type", "case__participant"),
            pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"record": self.object}

    def get_context_data(self, **context):
        return super().get_context_data(enrolment=self.object, **context)

    def perform(self, form):
        try:
            return services.enrolment_withdraw(enrolment=self.object, actor=self.request.user,
                                               reason=form.cleaned_data["reason"], date=form.cleaned_data["date"],
                                               version=form.cleaned_data["version"])
        except DomainError as error:
            if not isinstance(error, StaleEditError) and getattr(error, "field", None) is None:
                error.field = "reason"
            raise

    def get_success_url(self, saved):
        return saved.workshop.get_absolute_url()


# --- Attendance ------------------------------------------------------------

class WorkshopAttendanceView(ServiceFormView):
    """One screen per session: a radio group per person, one submit, saved at once.

    A sheet loaded before someone else recorded marks is refused: the people whose
    mark changed are shown, marks only the other person set are taken, and the
    marks this person set are kept (flagged when both marked the same person)."""

    capability = staticmethod(permissions.can_manage_agenda)
    template_name = "workshops/attendance_form.html"
    form_class = AttendanceForm

    def get_object(self):
        try:
            return workshop_selectors.attendance_sheet(session_pk=self.kwargs["pk"])
        except WorkshopSession.DoesNotExist:
            raise Http404

    def get_form_kwargs(self):
        return {"rows": self.object.rows}

    def get_context_data(self, **context):
        return super().get_context_data(session=self.object, **context)

    def perform(self, form):
        return services.attendance_record(session=self.object, marks=form.marks(), versions=form.versions(),
                                          actor=self.request.user)

    def get_success_message(self, saved):
        return _("Asistencia guardada: sesión %(number)s de %(type)s.") % {
            "number": saved.number, "type": saved.workshop.workshop_type.name}

    def get_success_url(self, saved):
        user = self.request.user
        if permissions.has_role(user, permissions.RECEPTIONIST) and not permissions.can_work_cases(user):
            return reverse("role_home", args=[permissions.RECEPTIONIST])
        return saved.workshop.get_absolute_url()

    def rebase(self, form, error):
        """Rows someone else marked meanwhile take the stored mark unless this person changed
        that row too; an absence recorded meanwhile always stands (it opened a phone call),
        even against a presence on this sheet: to undo it, the person marks it again, knowingly."""
        labels = dict(WorkshopAttendance.Status.choices)
        data = form.data.copy()
        changes = []
        for enrolment, before, row in error.rows:
            name, version = form.add_prefix(f"e{enrolment.pk}"), form.add_prefix(f"v{enrolment.pk}")
            mine = data.get(name) or None
            data[version] = str(row.version)
            conflict = mine is not None and mine != before and mine != row.status
            absence_stands = conflict and row.status == WorkshopAttendance.Status.ABSENT
            if not conflict or absence_stands:
                data[name] = row.status
            if absence_stands:
                mine_label = _("%(mark)s en su hoja: no se aplicó, la ausencia y su llamado pendiente se "
                               "mantienen; si la persona asistió, márquela de nuevo") % {"mark": labels.get(mine, mine)}
            else:
                mine_label = _("%(mark)s (su cambio; se guardará si vuelve a guardar)") % {
                    "mark": labels.get(mine, mine)}
            changes.append({
                "label": enrolment.case.participant.full_name, "before": labels.get(before, _("Sin marcar")),
                "now": _("%(mark)s (por %(who)s)") % {"mark": labels[row.status],
                                                     "who": row.recorded_by.get_full_name() or row.recorded_by.username},
                "mine": mine_label if conflict else None, "mine_text": True, "conflict": conflict, "in_form": True,
            })
        return data, changes

    def get_stale_context(self, error, changes):
        return {**super().get_stale_context(error, changes), "heading": _("Persona"),
                "rows": {enrolment.pk for enrolment, _before, _row in error.rows}}


class WorkshopAttendanceSheetView(CapabilityRequiredMixin, View):
    """Printable signature sheet of a session: name, RUT and a box to sign."""

    capability = staticmethod(permissions.can_manage_agenda)

    def get(self, request, pk):
        try:
            session = workshop_selectors.attendance_sheet(session_pk=pk)
        except WorkshopSession.DoesNotExist:
            raise Http404
        return pdf_response(
            request=request, template="workshops/pdf/attendance_sheet.html", context={"session": session},
            filename=f"asistencia-{session.workshop.workshop_type.name}-sesion-{session.number}",
        )


# --- Certificates ----------------------------------------------------------

class WorkshopCertificateIssueView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)
    http_method_names = ["post"]

    def post(self, request, pk):
        enrolment = get_object_or_404(WorkshopEnrolment.objects.select_related("workshop"), pk=pk)
        try:
            services.certificate_issue(enrolment=enrolment, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(enrolment.workshop)
        return redirect("workshops:workshop_certificate", pk=enrolment.pk)


class WorkshopCertificateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        try:
            enrolment = workshop_selectors.certificate_data(enrolment_pk=pk)
        except WorkshopEnrolment.DoesNotExist:
            raise Http404
        if not enrolment.certificate_code:
            raise Http404
        refused = refuse_if_restricted(request, enrolment.case.participant)
        if refused:
            return refused
        access_log_record(user=request.user, subject=enrolment.case.participant,
                          sections={permissions.SECTION_WORKSHOPS}, path=request.path)
        return pdf_response(
            request=request, template="workshops/pdf/certificate.html", context={"enrolment": enrolment},
            filename=f"certificado-{enrolment.workshop.workshop_type.name}-{enrolment.case.participant.full_name}",
        )


class WorkshopCertificateVerifyView(CapabilityRequiredMixin, View):
    def get(self, request):
        code = (request.GET.get("codigo") or "")[:40]
        enrolment = workshop_selectors.certificate_lookup(code=code) if code else None
        return render(request, "workshops/certificate_verify.html", {
            "code": code, "searched": bool(code.strip()), "enrolment": enrolment,
        })


urlpatterns = [
    path("talleres/", WorkshopListView.as_view(), name="workshop_list"),
    path("talleres/nuevo/", WorkshopCreateView.as_view(), name="workshop_create"),
    path("talleres/<int:pk>/", WorkshopDetailView.as_view(), name="workshop_detail"),
    path("talleres/<int:pk>/editar/", WorkshopUpdateView.as_view(), name="workshop_update"),
    path("talleres/<int:pk>/estado/", WorkshopStatusView.as_view(), name="workshop_status"),
    path("talleres/<int:pk>/inscribir/", WorkshopEnrolView.as_view(), name="workshop_enrol"),
    path("talleres/inscribir/caso/<int:case_pk>/", WorkshopCaseEnrolView.as_view(), name="workshop_enrol_case"),
    path("talleres/inscripciones/<int:pk>/retirar/", WorkshopWithdrawView.as_view(), name="workshop_withdraw"),
    path("talleres/inscripciones/<int:pk>/certificado/", WorkshopCertificateView.as_view(),
         name="workshop_certificate"),
    path("talleres/inscripciones/<int:pk>/certificado/emitir/", WorkshopCertificateIssueView.as_view(),
         name="workshop_certificate_issue"),
    path("talleres/certificados/verificar/", WorkshopCertificateVerifyView.as_view(),
         name="workshop_certificate_verify"),
    path("talleres/sesiones/<int:pk>/editar/", WorkshopSessionUpdateView.as_view(), name="workshop_session_update"),
    path("talleres/sesiones/<int:pk>/asistencia/", WorkshopAttendanceView.as_view(), name="workshop_attendance"),
    path("talleres/sesiones/<int:pk>/hoja-de-firmas/", WorkshopAttendanceSheetView.as_view(),
         name="workshop_attendance_sheet"),
    path("talleres/tipos/", WorkshopTypeListView.as_view(), name="workshoptype_list"),
    path("talleres/tipos/nuevo/", WorkshopTypeFormView.as_view(), name="workshoptype_create"),
    path("talleres/tipos/<int:pk>/editar/", WorkshopTypeFormView.as_view(), name="workshoptype_update"),
]
