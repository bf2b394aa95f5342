import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, two_column_layout
from interventions.models import Appointment, Area, Modality
from interventions.selectors import agenda as selectors
from participants.models import PhoneCall


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case):
        person = case.participant
        return _("%(name)s (%(rut)s) · ingreso %(n)s") % {
            "name": f"{person.paternal_surname} {person.maternal_surname}, {person.given_names}".replace("  ", " "),
            "rut": person.rut_display, "n": case.number,
        }


class ProfessionalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def _combine(cleaned):
    day, time = cleaned.get("date"), cleaned.get("time")
    if day and time:
        return timezone.make_aware(datetime.datetime.combine(day, time))
    return None


class AppointmentForm(CrispyMixin, forms.Form):
    case = CaseChoiceField(label=_("Persona (caso)"), queryset=None,
                           help_text=_("Casos abiertos o en seguimiento."))
    professional = ProfessionalChoiceField(label=_("Profesional"), queryset=None)
    area = forms.ChoiceField(label=_("Área"), choices=Area.choices)
    date = forms.DateField(label=_("Fecha"), widget=DateInput())
    time = forms.TimeField(label=_("Hora"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Duración (minutos)"), min_value=5, max_value=480, initial=45)
    modality = forms.ChoiceField(label=_("Modalidad"), choices=Modality.choices, initial=Modality.CENTRE)
    kind = forms.ChoiceField(
        label=_("Tipo de cita"), choices=Appointment.Kind.choices, initial=Appointment.Kind.CARE,
        help_text=_("Recepción ve solo el tipo y el área (p. ej. «Atención psicológica»)."),
    )
    purpose = forms.CharField(
        label=_("Motivo de la cita"), max_length=150, required=False,
        help_text=_("Solo lo ve el equipo profesional, nunca recepción."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = selectors.bookable_cases()
        self.fields["professional"].queryset = selectors.professionals()
        self.helper.layout = two_column_layout(self.fields, [
            ("case",), ("professional", "area"), ("date", "time", "duration_minutes"), ("modality", "kind"),
            ("purpose",),
        ])

    def clean(self):
        cleaned = super().clean()
        cleaned["starts_at"] = _combine(cleaned)
        return cleaned


class RescheduleForm(VersionedFormMixin, CrispyMixin, forms.Form):
    professional = ProfessionalChoiceField(label=_("Profesional"), queryset=None)
    date = forms.DateField(label=_("Nueva fecha"), widget=DateInput())
    time = forms.TimeField(label=_("Nueva hora"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Duración (minutos)"), min_value=5, max_value=480)
    reason = forms.CharField(label=_("Motivo del cambio"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = selectors.professionals()
        self.helper.layout = two_column_layout(self.fields, [
            ("professional",), ("date", "time", "duration_minutes"), ("reason",),
        ])

    def clean(self):
        cleaned = super().clean()
        cleaned["starts_at"] = _combine(cleaned)
        return cleaned


class CancelForm(VersionedFormMixin, CrispyMixin, forms.Form):
    reason = forms.CharField(label=_("Motivo de la cancelación"), max_length=300)


class DeskActionForm(VersionedFormMixin, forms.Form):
    """A one-click move (arrival, no-show, undo…): only the version of the row the person saw."""


class PhoneCallForm(CrispyMixin, forms.Form):
    """One call; with a missed appointment to book again (`missed`), «Reagendado/a» takes the new
    date and time here and books it, so no follow-up closes on a promise alone."""

    outcome = forms.ChoiceField(label=_("Resultado"), choices=[("", _("Seleccione…")), *PhoneCall.Outcome.choices])
    notes = forms.CharField(
        label=_("Observaciones"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Solo lo necesario para la coordinación: sin contenido clínico."),
    )
    resolve = forms.BooleanField(
        label=_("Resolver el seguimiento (no hay que volver a llamar)"), required=False,
        help_text=_("Si la persona fue contactada, sus inasistencias pendientes se resuelven solas."),
    )
    professional = ProfessionalChoiceField(label=_("Profesional"), queryset=None, required=False)
    date = forms.DateField(label=_("Nueva fecha"), widget=DateInput(), required=False)
    time = forms.TimeField(label=_("Nueva hora"), widget=TimeInput(), required=False)

    def __init__(self, *args, missed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.missed = missed
        if missed is None:
            # Nothing to book from here: «Reagendado/a» is logged and the follow-up stays open.
            for name in ("professional", "date", "time"):
                del self.fields[name]
            self.fields["outcome"].help_text = _("«Reagendado/a» no cierra el seguimiento: agende la cita y resuélvalo.")
        else:
            self.fields["professional"].queryset = selectors.professionals()
            self.fields["professional"].initial = missed.professional_id
            self.fields["time"].initial = timezone.localtime(missed.starts_at).time()
            self.fields["date"].help_text = _("Si la persona reagenda: la cita se agenda al guardar.")
        self.helper.layout = two_column_layout(self.fields, [
            ("outcome",), ("professional", "date", "time"), ("notes",), ("resolve",),
        ])

    def clean(self):
        cleaned = super().clean()
        if self.missed is not None and cleaned.get("outcome") == PhoneCall.Outcome.RESCHEDULED:
            for name in ("professional", "date", "time"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Indique la nueva cita para reagendar."))
            cleaned["starts_at"] = _combine(cleaned)
        return cleaned


class AgendaFilterForm(forms.Form):
    """?profesional=<id>&fecha=AAAA-MM-DD; anything unreadable falls back to the defaults."""

    profesional = ProfessionalChoiceField(label=_("Profesional"), queryset=None, required=False)
    # Bounded so that stepping a day or a week from it never leaves the calendar.
    fecha = forms.DateField(label=_("Fecha"), required=False, widget=DateInput(), validators=[
        MinValueValidator(datetime.date(2000, 1, 1), message=_("Elija una fecha desde el año 2000.")),
        MaxValueValidator(datetime.date(2100, 12, 31), message=_("Elija una fecha hasta el año 2100.")),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profesional"].queryset = selectors.professionals()


class FollowUpFilterForm(forms.Form):
    estado = forms.ChoiceField(label=_("Estado"), required=False, choices=[
        ("abiertos", _("Pendientes")), ("cerrados", _("Cerrados")),
    ])

