from django import forms
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, two_column_layout
from dataprotection.forms.requests import add_errors
from dataprotection.models import SecurityBreach
from dataprotection.selectors.breaches import STATUS_CLOSED, STATUS_OPEN
from dataprotection.services.breaches import DATE_FIELDS, breach_errors


class BreachForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    data_categories = forms.MultipleChoiceField(
        label=_("Categorías de datos afectados"), choices=SecurityBreach.DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Antecedentes penales, salud y notas psicológicas son datos sensibles: su vulneración "
                    "se comunica también a las personas afectadas."),
    )

    class Meta:
        model = SecurityBreach
        fields = ["title", "nature", "description", "data_categories", "affected_count", "likely_effects",
                  "measures_taken", "measures_proposed", "occurred_on", "detected_on", "agency_notified_on",
                  "agency_not_notified_reason", "people_notified_on", "people_notification_means",
                  "people_not_notified_reason", "closed_on"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in [
            "description", "likely_effects", "measures_taken", "measures_proposed", "agency_not_notified_reason",
            "people_not_notified_reason"]}
        help_texts = {
            "agency_notified_on": _("Agencia de Protección de Datos Personales."),
            "closed_on": _("Al cerrar, cada comunicación necesita su fecha o el motivo para no hacerla."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DATE_FIELDS:
            self.fields[name].widget = DateInput()
        self.helper.layout = two_column_layout(self.fields, [
            ["title"], ["nature", "affected_count"], ["description"], ["data_categories"],
            ["occurred_on", "detected_on"], ["likely_effects"], ["measures_taken"], ["measures_proposed"],
            ["agency_notified_on", "agency_not_notified_reason"],
            ["people_notified_on", "people_notification_means"], ["people_not_notified_reason"], ["closed_on"],
        ])

    def clean(self):
        cleaned = super().clean()
        errors = breach_errors(cleaned)
        if "data_categories" in self.errors:
            errors.pop("data_categories", None)
        add_errors(self, errors)
        return cleaned


class BreachFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), required=False, choices=[
        ("", _("Todos")), (STATUS_OPEN, _("Abiertos")), (STATUS_CLOSED, _("Cerrados"))])
