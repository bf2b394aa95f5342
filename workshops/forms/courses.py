import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, not_in_future, two_column_layout, validate_upload
from conecta.models import Institution
from conecta.money import ClpField
from participants.models import Case
from workshops.models import CourseEnrolment, TrainingCourse
from workshops.selectors.courses import courses_open_to, enrollable_cases
from workshops.services.courses import course_problems


def training_providers():
    return Institution.objects.filter(kind=Institution.Kind.TRAINING, active=True).order_by("name")


class CourseForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    cost = ClpField(label=_("Costo (CLP)"), initial=0)

    class Meta:
        model = TrainingCourse
        fields = ["trade", "name", "provider", "sence_certified", "sence_code", "hours", "start_date", "end_date",
                  "schedule", "place", "places", "cost", "funding_source", "status"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        providers = training_providers()
        if self.instance.pk and self.instance.provider_id:
            # A provider that has since been deactivated stays selectable on its own courses.
            providers = providers | Institution.objects.filter(pk=self.instance.provider_id)
        self.fields["provider"].queryset = providers.distinct()
        self.fields["provider"].help_text = _("Instituciones de tipo capacitación (OTEC) del catastro de redes.")
        self.fields["sence_code"].help_text = _("Obligatorio si el curso tiene certificación SENCE.")
        self.fields["cost"].help_text = _("En pesos, con o sin puntos de miles (250.000). 0 si es gratuito para la persona.")
        self.helper.layout = two_column_layout(self.fields, [
            ("trade", "name"), ("provider", "status"), ("sence_certified", "sence_code"),
            ("start_date", "end_date", "hours"), ("schedule", "place"), ("places", "cost", "funding_source"),
        ])

    def clean(self):
        cleaned = super().clean()
        probe = TrainingCourse(
            pk=self.instance.pk, places=cleaned.get("places"),
            sence_certified=cleaned.get("sence_certified", False), sence_code=cleaned.get("sence_code", ""),
            start_date=cleaned.get("start_date"), end_date=cleaned.get("end_date"),
        )
        for field, message in course_problems(probe).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class CourseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), required=False,
                               choices=[("", _("Todos"))] + list(TrainingCourse.Status.choices))
    provider = forms.ModelChoiceField(label=_("OTEC"), required=False, queryset=Institution.objects.none(),
                                      empty_label=_("Todas"))
    sence = forms.ChoiceField(label=_("SENCE"), required=False,
                              choices=[("", _("Todos")), ("yes", _("Con certificación SENCE")),
                                       ("no", _("Sin certificación SENCE"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Institution.objects.filter(kind=Institution.Kind.TRAINING).order_by("name")


class EnrolmentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), required=False,
                               choices=[("", _("En capacitación ahora"))]
                               + list(CourseEnrolment.Status.choices))


class CaseCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, case):
        return _("%(name)s (%(rut)s) · ingreso %(n)s · %(status)s") % {
            "name": case.participant.full_name, "rut": case.participant.rut_display, "n": case.number,
            "status": case.get_status_display(),
        }


class EnrolmentCreateForm(CrispyMixin, forms.Form):
    """One or several people apply to a course at once."""

    cases = CaseCheckboxes(label=_("Personas"), queryset=Case.objects.none(),
                           error_messages={"required": _("Seleccione al menos una persona.")})
    date = forms.DateField(label=_("Fecha de postulación"), widget=DateInput(), initial=datetime.date.today,
                           validators=[not_in_future])
    note = forms.CharField(label=_("Observación"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = enrollable_cases().exclude(course_enrolments__course=course)
        self.fields["cases"].help_text = _(
            "Casos en diagnóstico, en intervención o egresados que aún no postulan a este curso. "
            "Marque a todas las personas que postulan.")


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, course):
        return _("%(name)s · %(provider)s · %(start)s – %(end)s") % {
            "name": course.name, "provider": course.provider.name, "start": course.start_date.strftime("%d-%m-%Y"),
            "end": course.end_date.strftime("%d-%m-%Y")}


class CaseCourseEnrolmentForm(CrispyMixin, forms.Form):
    """From a case file: the person is known, the course is chosen."""

    course = CourseChoiceField(label=_("Curso"), queryset=TrainingCourse.objects.none(), widget=forms.RadioSelect,
                               empty_label=None)
    date = forms.DateField(label=_("Fecha de postulación"), widget=DateInput(), initial=datetime.date.today,
                           validators=[not_in_future])
    note = forms.CharField(label=_("Observación"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_open_to(case=case)
        self.fields["course"].help_text = _("Cursos que reciben postulaciones y aún no terminan, "
                                            "a los que la persona no ha postulado.")


class EnrolmentMoveForm(VersionedFormMixin, CrispyMixin, forms.Form):
    date = forms.DateField(label=_("Fecha"), widget=DateInput(), initial=datetime.date.today)
    reason = forms.CharField(label=_("Observación"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    certificate = forms.FileField(label=_("Certificado"), required=False,
                                  help_text=_("PDF, JPG o PNG. Obligatorio para registrar la certificación."))

    def __init__(self, *args, target, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(not_in_future)
        self.fields["certificate"].validators.append(validate_upload)
        if target == CourseEnrolment.Status.DROPPED:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Motivo del retiro")
        if target != CourseEnrolment.Status.CERTIFIED:
            del self.fields["certificate"]
        elif not enrolment.certificate:
            self.fields["certificate"].required = True
