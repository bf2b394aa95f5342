from django import forms
from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, two_column_layout
from interventions.forms.plans import ResponsibleChoiceField, professionals
from interventions.models import Area, PlanObjective, Session


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.section.get_area_display()} · {obj.text}"


class SessionForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    professional = ResponsibleChoiceField(label=_("Profesional"), queryset=None)
    objectives = ObjectiveChoiceField(label=_("Objetivos del plan trabajados"), queryset=None, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Solo cuentan los objetivos del área de la sesión."))

    class Meta:
        model = Session
        fields = ["starts_at", "duration_minutes", "professional", "area", "modality", "attendance",
                  "with_participant", "family_members", "objectives", "notes", "next_steps"]
        widgets = {
            "starts_at": DateTimeInput(),
            "family_members": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 6}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case, user, appointment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if appointment is not None:
            # The appointment as the professional saw it: the desk may mark it meanwhile.
            self.fields["appointment_version"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, initial=appointment.version)
        areas = permissions.areas_of(user)
        current = self.instance.area if self.instance.pk else None
        self.fields["area"].choices = [(value, label) for value, label in Area.choices
                                       if value in areas or value == current]
        offered = [value for value, _label in self.fields["area"].choices]
        # Only what the service accepts (services.sessions._validate): professionals of the areas
        # this user writes in, and the objectives of this case's plan in those areas.
        self.fields["professional"].queryset = professionals().filter(
            groups__name__in=set().union(*(permissions.AREA_ROLES[area] for area in offered)))
        self.fields["family_members"].queryset = case.participant.family_members.order_by("name")
        self.fields["objectives"].queryset = (
            PlanObjective.objects.filter(section__plan__case=case, section__area__in=offered)
            .select_related("section").order_by("section__area", "order", "id")
        )
        if len(offered) == 1:
            self.fields["objectives"].label_from_instance = str
            self.fields["objectives"].help_text = ""
        self.helper.layout = two_column_layout(self.fields, [
            ("starts_at", "duration_minutes"), ("professional", "area"), ("modality", "attendance"),
            ("with_participant",), ("family_members",), ("objectives",), ("notes",), ("next_steps",),
        ])

    def clean(self):
        cleaned = super().clean()
        area, objectives = cleaned.get("area"), cleaned.get("objectives")
        if area and objectives and any(objective.section.area != area for objective in objectives):
            self.add_error("objectives", _("Marque solo objetivos del área de la sesión (%(area)s).")
                           % {"area": Area(area).label.lower()})
        return cleaned


class SessionFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Desde"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Hasta"), required=False, widget=DateInput())
    area = forms.ChoiceField(label=_("Área"), required=False, choices=[("", _("Todas"))] + list(Area.choices))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La fecha final debe ser igual o posterior a la inicial."))
        return cleaned
