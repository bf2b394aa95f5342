from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, two_column_layout
from conecta.models import Institution
from interventions.models import Referral
from interventions.selectors.referrals import STATUS_ALL, STATUS_OPEN, referral_professionals
from interventions.services.referrals import last_move_date


class ReferralForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["institution", "need", "sent_on", "next_followup_on", "detail"]
        widgets = {"sent_on": DateInput(), "next_followup_on": DateInput(),
                   "detail": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "detail": _("Motivo de la derivación y lo que se solicita a la institución."),
            "next_followup_on": _("Cuándo volver a consultar a la institución si no hay respuesta."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(active=True).order_by("name")
        self.fields["sent_on"].initial = timezone.localdate
        self.helper.layout = two_column_layout(self.fields, [["institution", "need"], ["sent_on", "next_followup_on"],
                                                             ["detail"]])


class ReferralMoveForm(VersionedFormMixin, CrispyMixin, forms.Form):
    """The next step of a referral, on its own page: which status, when, and what came of it."""

    move = forms.ChoiceField(label=_("Nuevo estado"), widget=forms.RadioSelect)
    date = forms.DateField(label=_("Fecha"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Observación"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(
        label=_("Resultado"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Qué se obtuvo de la derivación (queda en el informe sociofamiliar)."),
    )

    def __init__(self, *args, referral, moves, **kwargs):
        super().__init__(*args, record=referral, **kwargs)
        # Any status validates here and the service judges the move: a page loaded before someone
        # else moved the referral then gets the stale-save notice, not a bare «opción no válida».
        self.fields["move"].choices = Referral.Status.choices
        self.fields["move"].widget.choices = moves
        if len(moves) == 1:
            self.fields["move"].initial = moves[0][0]
        self.fields["outcome"].initial = referral.outcome
        # The same bounds the service applies (services.referrals._check_date), told up front.
        last, today = last_move_date(referral), timezone.localdate()
        self.fields["date"].widget.attrs.update(min=last.isoformat(), max=today.isoformat())
        self.fields["date"].help_text = _("Entre el %(last)s (último movimiento) y hoy.") % {
            "last": last.strftime("%d-%m-%Y")}
        self.helper.layout = two_column_layout(self.fields, [["move"], ["date"], ["note", "outcome"]])


class ReferralFollowupForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["next_followup_on", "outcome"]
        widgets = {"next_followup_on": DateInput(), "outcome": forms.Textarea(attrs={"rows": 4})}


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Estado"), required=False,
        choices=[(Referral.Status.SENT, _("Esperando respuesta")), (STATUS_OPEN, _("Abiertas")),
                 (STATUS_ALL, _("Todas"))]
        + [(value, label) for value, label in Referral.Status.choices if value != Referral.Status.SENT],
    )
    institution = forms.ModelChoiceField(label=_("Institución"), queryset=Institution.objects.order_by("name"),
                                         required=False, empty_label=_("Todas"))
    need = forms.ChoiceField(label=_("Necesidad"), required=False, choices=[("", _("Todas"))] + list(Referral.Need.choices))
    professional = forms.ModelChoiceField(label=_("Derivado por"), queryset=None, required=False,
                                          empty_label=_("Cualquier profesional"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = referral_professionals()
        self.fields["professional"].label_from_instance = lambda user: user.get_full_name() or user.username
