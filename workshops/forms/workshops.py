import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, not_in_future, two_column_layout
from conecta.selectors import team_professionals
from participants.models import Case, CaseStatus, Cohort
from workshops.models import Workshop, WorkshopAttendance, WorkshopEnrolment, WorkshopSession, WorkshopType
from workshops.selectors.workshops import open_workshops_for_case


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


team_members = team_professionals


class FacilitatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class WorkshopTypeForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    topics = forms.CharField(
        label=_("Temas de las sesiones"), required=False, widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Un tema por línea, en el orden de las sesiones."),
    )

    class Meta:
        model = WorkshopType
        fields = ["name", "area", "description", "session_count", "hours_per_session", "completion_share", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["topics"] = "\n".join(self.instance.session_topics or [])
        self.helper.layout = two_column_layout(self.fields, [
            ("name", "area"), ("description",), ("session_count", "hours_per_session", "completion_share"),
            ("topics",), ("active",),
        ])

    def clean(self):
        cleaned = super().clean()
        topics = [line.strip() for line in cleaned.get("topics", "").splitlines() if line.strip()]
        count = cleaned.get("session_count")
        if count and len(topics) > count:
            self.add_error("topics", _("Hay %(topics)s temas para %(count)s sesiones.")
                           % {"topics": len(topics), "count": count})
        if any(len(topic) > 200 for topic in topics):
            self.add_error("topics", _("Cada tema puede tener como máximo 200 caracteres."))
        self.instance.session_topics = topics
        return cleaned


class WorkshopCreateForm(CrispyMixin, forms.ModelForm):
    facilitators = FacilitatorField(label=_("Facilitadores/as"), queryset=None,
                                    widget=forms.SelectMultiple(attrs={"size": 6}))

    class Meta:
        model = Workshop
        fields = ["workshop_type", "facilitators", "place", "cohort", "capacity", "start_date", "weekday",
                  "start_time"]
        widgets = {"start_date": DateInput(), "start_time": TimeInput()}
        help_texts = {"start_date": _("Las sesiones se programan semanalmente desde el primer día elegido "
                                      "en o después de esta fecha.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop_type"].queryset = WorkshopType.objects.filter(active=True)
        self.fields["facilitators"].queryset = team_members()
        self.fields["cohort"].queryset = Cohort.objects.order_by("-start_date")
        self.helper.layout = two_column_layout(self.fields, [
            ("workshop_type", "cohort"), ("facilitators",), ("place", "capacity"),
            ("start_date", "weekday", "start_time"),
        ])

    def clean_weekday(self):
        value = self.cleaned_data["weekday"]
        if value == Workshop.Weekday.SUNDAY:
            raise forms.ValidationError(_("El programa no atiende los domingos: elija otro día."))
        return value

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value and value < datetime.date.today() - datetime.timedelta(days=365):
            raise forms.ValidationError(_("La fecha de inicio es de hace más de un año."))
        return value


class WorkshopUpdateForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    facilitators = FacilitatorField(label=_("Facilitadores/as"), queryset=None,
                                    widget=forms.SelectMultiple(attrs={"size": 6}))

    class Meta:
        model = Workshop
        fields = ["facilitators", "place", "cohort", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = team_members()
        self.fields["cohort"].queryset = Cohort.objects.order_by("-start_date")
        self.helper.layout = two_column_layout(self.fields, [("facilitators",), ("place", "capacity"), ("cohort",)])


class WorkshopSessionForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = WorkshopSession
        fields = ["date", "start_time", "topic"]
        widgets = {"date": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = two_column_layout(self.fields, [("date", "start_time"), ("topic",)])


def case_label(case):
    return f"{case.participant.full_name} ({case.participant.rut_display})"


class CasesField(forms.ModelMultipleChoiceField):
    """People to enrol, as a list of checkboxes (several at once)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return case_label(obj)


def enrolment_date_field(label):
    return forms.DateField(label=label, widget=DateInput(), initial=datetime.date.today,
                           validators=[not_in_future])


class EnrolmentForm(CrispyMixin, forms.Form):
    """Enrol one or several people in a run; only cases in intervention not already in it are listed."""

    cases = CasesField(label=_("Personas (casos en intervención)"), queryset=None,
                       error_messages={"required": _("Seleccione al menos una persona.")})
    date = enrolment_date_field(_("Fecha de inscripción"))

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = eligible_cases(workshop)
        self.fields["cases"].help_text = _("Marque a todas las personas que se inscriben hoy.")
        self.fields["date"].help_text = _("Las sesiones anteriores a esta fecha no se marcan para estas personas.")


def eligible_cases(workshop):
    return (
        Case.objects.filter(status=CaseStatus.INTERVENTION, participant__blocked_on__isnull=True)
        .exclude(pk__in=WorkshopEnrolment.objects.filter(
            workshop=workshop, status=WorkshopEnrolment.Status.ENROLLED).values("case_id"))
        .select_related("participant")
        .order_by("participant__paternal_surname", "participant__given_names", "pk")
    )


class WorkshopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(type)s · desde el %(date)s · %(place)s · %(left)s cupos libres") % {
            "type": obj.workshop_type.name, "date": obj.start_date.strftime("%d-%m-%Y"), "place": obj.place,
            "left": max(obj.capacity - obj.enrolled_count, 0)}


class CaseEnrolmentForm(CrispyMixin, forms.Form):
    """From a case file: the person is known, the workshop is chosen."""

    workshop = WorkshopChoiceField(label=_("Taller"), queryset=None, widget=forms.RadioSelect,
                                   empty_label=None)
    date = enrolment_date_field(_("Fecha de inscripción"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = open_workshops_for_case(case=case)
        self.fields["workshop"].help_text = _("Talleres planificados o en curso con sesiones pendientes, "
                                              "en los que la persona no está inscrita.")


class WithdrawForm(VersionedFormMixin, CrispyMixin, forms.Form):
    reason = forms.CharField(label=_("Motivo del retiro"), max_length=300)
    date = forms.DateField(label=_("Fecha del retiro"), widget=DateInput(), initial=datetime.date.today,
                           validators=[not_in_future])


class StatusForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(choices=Workshop.Status.choices)


class AttendanceForm(forms.Form):
    """One radio group per enrolled person; every active person needs a mark.

    Each row also carries, hidden, the version of the mark the sheet showed
    (empty: unmarked), so a sheet loaded before someone else marked a person is
    refused instead of overwriting that mark."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for enrolment in rows:
            mark = getattr(enrolment, "mark", None)
            self.fields[f"e{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.case.participant.full_name,
                choices=WorkshopAttendance.Status.choices,
                widget=forms.RadioSelect,
                required=enrolment.is_active,
                initial=mark.status if mark else None,
                error_messages={"required": _("Marque la asistencia de esta persona.")},
            )
            self.fields[f"v{enrolment.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1,
                initial=mark.version if mark else None,
            )

    def row_fields(self):
        """(enrolment, bound mark field, bound version field) in the order of the sheet."""
        return [(enrolment, self[f"e{enrolment.pk}"], self[f"v{enrolment.pk}"]) for enrolment in self.rows]

    def marks(self):
        return {enrolment.pk: self.cleaned_data[f"e{enrolment.pk}"] for enrolment in self.rows
                if self.cleaned_data.get(f"e{enrolment.pk}")}

    def versions(self):
        """{enrolment id: version of the mark the sheet showed, None if unmarked}."""
        return {enrolment.pk: self.cleaned_data.get(f"v{enrolment.pk}") for enrolment in self.rows}


class WorkshopFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), required=False,
                               choices=[("", _("Todos"))] + list(Workshop.Status.choices))
    workshop_type = forms.ModelChoiceField(label=_("Tipo"), required=False, queryset=WorkshopType.objects.all(),
                                           empty_label=_("Todos"))
    mine = forms.BooleanField(label=_("Solo los que facilito"), required=False)
