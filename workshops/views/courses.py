"""Trade training: courses, enrolments, who is in training and the semester's certificates."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from conecta import permissions
from conecta.generic import ServiceFormView
from conecta.mixins import CapabilityRequiredMixin, id_param, paginate, querystring_without_page
from conecta.services import access_log_record
from participants.models import Case
from participants.services import DomainError
from workshops.forms.courses import (
    CaseCourseEnrolmentForm, CourseFilterForm, CourseForm, EnrolmentCreateForm, EnrolmentFilterForm, EnrolmentMoveForm,
)
from workshops.models import CourseEnrolment, TrainingCourse
from workshops.selectors import courses as selectors
from workshops.services import courses as services


def _filters(form):
    """The valid filter values of a bound GET form; an invalid one is ignored (and shown)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


class CourseListView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request):
        form = CourseFilterForm(request.GET or None)
        filters = _filters(form)
        courses = selectors.course_list(status=filters.get("status", ""), provider=filters.get("provider"),
                                        sence=filters.get("sence", ""))
        return render(request, "workshops/course_list.html", {
            "form": form, "page": paginate(request, courses), "querystring": querystring_without_page(request),
            "can_manage": permissions.can_manage_training(request.user),
        })


class CourseDetailView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        try:
            course = selectors.course_detail(pk=pk, viewer=request.user)
        except TrainingCourse.DoesNotExist:
            raise Http404
        return render(request, "workshops/course_detail.html", {
            "course": course, "page": paginate(request, course.enrolment_list),
            "querystring": querystring_without_page(request),
            "places_left": max(course.places - sum(1 for e in course.enrolment_list
                                                   if e.status in CourseEnrolment.SEAT_STATUSES), 0),
            "can_manage": permissions.can_manage_training(request.user),
            "can_enrol": course.status in services.ENROLLING_COURSE_STATUSES,
        })


class CourseFormView(ServiceFormView):
    """New course (no pk) or edit of one."""

    capability = staticmethod(permissions.can_manage_training)
    template_name = "workshops/course_form.html"
    form_class = CourseForm
    success_message = gettext_lazy("Curso guardado.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(TrainingCourse, pk=pk) if pk else TrainingCourse()

    def get_context_data(self, **context):
        return super().get_context_data(course=self.object, **context)

    def perform(self, form):
        return services.course_save(course=form.save(commit=False), actor=self.request.user,
                                    version=form.cleaned_data["version"])


class EnrolmentCreateView(CapabilityRequiredMixin, View):
    """Several people apply at once from the course's page (`?caso=` ticks one beforehand)."""

    capability = staticmethod(permissions.can_manage_training)
    template_name = "workshops/course_enrolment_form.html"

    def get(self, request, pk):
        course = get_object_or_404(TrainingCourse, pk=pk)
        case_pk = id_param(request.GET.get("caso"))
        form = EnrolmentCreateForm(course=course, initial={"cases": [case_pk]} if case_pk is not None else {})
        return render(request, self.template_name, {"course": course, "form": form})

    def post(self, request, pk):
        course = get_object_or_404(TrainingCourse, pk=pk)
        form = EnrolmentCreateForm(request.POST, course=course)
        if form.is_valid():
            try:
                result = services.enrolment_create_many(
                    course=course, cases=form.cleaned_data["cases"], actor=request.user,
                    date=form.cleaned_data["date"], note=form.cleaned_data["note"],
                )
            except DomainError as error:
                form.add_error(getattr(error, "field", None) or "cases", str(error))
            else:
                summary = result.summary(_("%(count)s postulación registrada."),
                                         _("%(count)s postulaciones registradas."))
                if result.enrolled:
                    (messages.warning if result.refused else messages.success)(request, summary)
                    return redirect(course)
                form.add_error("cases", summary)
        return render(request, self.template_name, {"course": course, "form": form})


class CaseCourseEnrolView(ServiceFormView):
    """From a case file: the person applies to a course chosen from those open."""

    capability = staticmethod(permissions.can_manage_training)
    template_name = "workshops/course_enrolment_case_form.html"
    form_class = CaseCourseEnrolmentForm
    refusal_field = "course"

    def get_object(self):
        self.case = get_object_or_404(Case.objects.visible_to(self.request.user).select_related("participant"),
                                      pk=self.kwargs["case_pk"])
        return None

    def get_form_kwargs(self):
        return {"case": self.case}

    def get_context_data(self, **context):
        return super().get_context_data(case=self.case, **context)

    def perform(self, form):
        return services.enrolment_create(course=form.cleaned_data["course"], case=self.case, actor=self.request.user,
                                         date=form.cleaned_data["date"], note=form.cleaned_data["note"])

    def get_success_message(self, saved):
        return _("Postulación de %(name)s a %(course)s registrada.") % {
            "name": self.case.participant.full_name, "course": saved.course.name}

    def get_success_url(self, saved):
        return reverse("participants:participant_detail", args=[self.case.participant_id]) + "#panel-capacitacion"


class EnrolmentDetailView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        try:
            enrolment = selectors.enrolment_detail(pk=pk)
        except CourseEnrolment.DoesNotExist:
            raise Http404
        access_log_record(user=request.user, subject=enrolment.case.participant,
                          sections={permissions.SECTION_WORKSHOPS}, path=request.path)
        can_manage = permissions.can_manage_training(request.user)
        return render(request, "workshops/course_enrolment_detail.html", {
            "enrolment": enrolment, "can_manage": can_manage,
            "actions": services.available_actions(enrolment) if can_manage else [],
        })


class EnrolmentMoveView(ServiceFormView):
    """One step of an enrolment (confirm, start, pass, certify, drop), from a form that carries its version."""

    capability = staticmethod(permissions.can_manage_training)
    template_name = "workshops/course_enrolment_move_form.html"
    form_class = EnrolmentMoveForm
    success_message = gettext_lazy("Inscripción actualizada.")

    def get_object(self):
        if self.kwargs["action"] not in services.ACTIONS:
            raise Http404
        self.target, self.label = services.ACTIONS[self.kwargs["action"]]
        return get_object_or_404(CourseEnrolment.objects.select_related("course", "case__participant"),
                                 pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"target": self.target, "enrolment": self.object, "record": self.object}

    def get_context_data(self, **context):
        return super().get_context_data(enrolment=self.object, label=self.label, **context)

    def perform(self, form):
        data = form.cleaned_data
        return services.enrolment_move(enrolment=self.object, to_status=self.target, actor=self.request.user,
                                       date=data["date"], reason=data["reason"], certificate=data.get("certificate"),
                                       version=data["version"])


class EnrolmentCertificateView(CapabilityRequiredMixin, View):
    """The scanned certificate, only through this permission-checked, logged view."""

    capability = staticmethod(permissions.can_work_cases)

    def get(self, request, pk):
        enrolment = get_object_or_404(CourseEnrolment.objects.select_related("case__participant"), pk=pk)
        if not enrolment.certificate:
            raise Http404
        access_log_record(user=request.user, subject=enrolment.case.participant,
                          sections={permissions.SECTION_WORKSHOPS}, path=request.path)
        file_field = enrolment.certificate
        content_type = mimetypes.guess_type(file_field.name)[0] or "application/octet-stream"
        response = FileResponse(file_field.open("rb"), content_type=content_type, as_attachment=False,
                                filename=file_field.name.rsplit("/", 1)[-1])
        response["Cache-Control"] = "no-store"
        return response


class EnrolmentListView(CapabilityRequiredMixin, View):
    """«En capacitación» (enrolled or in progress), or every enrolment in one status."""

    capability = staticmethod(permissions.can_work_cases)

    def get(self, request):
        form = EnrolmentFilterForm(request.GET or None)
        status = _filters(form).get("status", "")
        title = (_("Inscripciones: %(status)s") % {"status": CourseEnrolment.Status(status).label}
                 if status else _("En capacitación"))
        return render(request, "workshops/course_enrolment_list.html", {
            "form": form, "title": title, "page": paginate(request, selectors.enrolment_list(status=status, viewer=request.user)),
            "querystring": querystring_without_page(request),
        })


class CertifiedListView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_work_cases)

    def get(self, request):
        enrolments, start, end = selectors.certified_in_semester(viewer=request.user)
        return render(request, "workshops/course_certified_list.html", {
            "page": paginate(request, enrolments), "start": start, "end": end,
            "querystring": querystring_without_page(request),
        })


urlpatterns = [
    path("capacitacion/", CourseListView.as_view(), name="course_list"),
    path("capacitacion/nuevo/", CourseFormView.as_view(), name="course_create"),
    path("capacitacion/<int:pk>/", CourseDetailView.as_view(), name="course_detail"),
    path("capacitacion/<int:pk>/editar/", CourseFormView.as_view(), name="course_update"),
    path("capacitacion/<int:pk>/inscribir/", EnrolmentCreateView.as_view(), name="enrolment_create"),
    path("capacitacion/inscribir/caso/<int:case_pk>/", CaseCourseEnrolView.as_view(), name="course_enrol_case"),
    path("capacitacion/inscripciones/", EnrolmentListView.as_view(), name="enrolment_list"),
    path("capacitacion/certificados/", CertifiedListView.as_view(), name="enrolment_certified_list"),
    path("capacitacion/inscripciones/<int:pk>/", EnrolmentDetailView.as_view(), name="enrolment_detail"),
    path("capacitacion/inscripciones/<int:pk>/certificado/", EnrolmentCertificateView.as_view(),
         name="enrolment_certificate"),
    path("capacitacion/inscripciones/<int:pk>/<slug:action>/", EnrolmentMoveView.as_view(), name="enrolment_move"),
]
