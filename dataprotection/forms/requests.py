from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta import rut as rut_utils
from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, two_column_layout, validate_upload
from dataprotection.models import RightsRequest
from dataprotection.selectors.requests import STATUS_ALL, STATUS_OPEN, STATUS_OVERDUE
from dataprotection.services import requests as rules
from participants.models import Participant


def add_errors(form, errors):
    """Put each {field: message} of a rule next to its field (None: above the form)."""
    for field, message in errors.items():
        if field is not None and field in form.fields:
            if field not in form.errors:
                form.add_error(field, message)
        else:
            form.add_error(None, message)


def _rut_or_blank(value):
    value = (value or "").strip()
    return rut_utils.normalize(value) if value else ""


INTAKE_FIELDS = ["kind", "received_on", "channel", "subject_rut", "subject_name", "relation", "requester_name",
                 "requester_rut", "contact", "description"]
INTAKE_ROWS = [["kind", "received_on", "channel"], ["subject_rut", "subject_name"],
               ["relation", "requester_name", "requester_rut"], ["contact"], ["description"]]


class IntakeFormMixin:
    """Who the request is about: a registered person found by RUT, or a name typed in."""

    def setup_intake_fields(self):
        self.participant = self.instance.participant if self.instance.pk else None
        self.fields["received_on"].widget = DateInput()
        self.fields["received_on"].initial = timezone.localdate
        self.fields["subject_rut"].help_text = _("Si la persona está registrada en Conecta, su nombre se toma de la "
                                                 "ficha y la solicitud queda unida a ella.")
        self.fields["subject_name"].required = False
        self.fields["subject_name"].help_text = _("Solo si la persona no está registrada.")
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 4})
        self.fields["description"].help_text = _("Lo que la persona pide, con sus palabras: qué datos quiere "
                                                 "conocer, corregir, suprimir o bloquear, y por qué.")
        if self.instance.pk:
            self.initial["subject_rut"] = rut_utils.display(self.instance.subject_rut)
            self.initial["requester_rut"] = rut_utils.display(self.instance.requester_rut)

    def clean_subject_rut(self):
        value = _rut_or_blank(self.cleaned_data.get("subject_rut"))
        self.participant = Participant.objects.filter(rut=value).first() if value else None
        return value

    def clean_requester_rut(self):
        return _rut_or_blank(self.cleaned_data.get("requester_rut"))

    def clean(self):
        cleaned = super().clean()
        add_errors(self, rules.intake_errors(
            received_on=cleaned.get("received_on"), relation=cleaned.get("relation"),
            requester_name=cleaned.get("requester_name"), participant=self.participant,
            subject_name=cleaned.get("subject_name"),
            rights_request=self.instance if self.instance.pk else None))
        return cleaned


class RightsRequestIntakeForm(IntakeFormMixin, CrispyMixin, forms.ModelForm):
    """A request as it arrives; the desk may record the identity check done at the counter."""

    class Meta:
        model = RightsRequest
        fields = INTAKE_FIELDS + ["identity_method", "identity_notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_intake_fields()
        self.fields["identity_method"].label = _("Identidad verificada al recibirla")
        self.fields["identity_method"].choices = [("", _("No se verificó al recibirla"))] + list(
            RightsRequest.IdentityMethod.choices)
        self.fields["identity_method"].help_text = _("Por ejemplo, si la persona mostró su cédula en el mesón.")
        self.helper.layout = two_column_layout(self.fields, INTAKE_ROWS + [["identity_method", "identity_notes"]])


class RightsRequestForm(VersionedFormMixin, IntakeFormMixin, CrispyMixin, forms.ModelForm):
    """Correcting the intake of a request not yet answered."""

    class Meta:
        model = RightsRequest
        fields = INTAKE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_intake_fields()
        self.helper.layout = two_column_layout(self.fields, INTAKE_ROWS)


class StepForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    """A step of the request on its own page: the listed fields are required, dates default to today,
    and `errors_for(cleaned)` returns the service's rule as {field: message}."""

    required = ()
    dates = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required:
            self.fields[name].required = True
        for name in self.dates:
            self.fields[name].widget = DateInput()
            self.fields[name].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        add_errors(self, self.errors_for(cleaned))
        return cleaned


class IdentityForm(StepForm):
    required = ("identity_method", "identity_verified_on")
    dates = ("identity_verified_on",)

    class Meta:
        model = RightsRequest
        fields = ["identity_method", "identity_verified_on", "identity_notes"]

    def errors_for(self, cleaned):
        return rules.identity_errors(rights_request=self.instance, method=cleaned.get("identity_method"),
                                     verified_on=cleaned.get("identity_verified_on"))


class ExtensionForm(StepForm):
    required = ("extended_on", "extension_reason")
    dates = ("extended_on",)

    class Meta:
        model = RightsRequest
        fields = ["extended_on", "extension_reason"]
        widgets = {"extension_reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"extension_reason": _("Se comunica a la persona antes de que venza el plazo.")}

    def errors_for(self, cleaned):
        return rules.extension_errors(rights_request=self.instance, extended_on=cleaned.get("extended_on"),
                                      reason=cleaned.get("extension_reason"))


class BlockForm(StepForm):
    required = ("blocked_on",)
    dates = ("blocked_on",)

    class Meta:
        model = RightsRequest
        fields = ["blocked_on"]

    def errors_for(self, cleaned):
        return rules.block_errors(rights_request=self.instance, blocked_on=cleaned.get("blocked_on"))


class AnswerForm(StepForm):
    required = ("answered_on", "outcome", "answer")
    dates = ("answered_on",)

    class Meta:
        model = RightsRequest
        fields = ["answered_on", "outcome", "answer", "answer_proof"]
        widgets = {"outcome": forms.RadioSelect, "answer": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"answer_proof": _("Copia de la carta o del correo enviado, o el acuse de recibo firmado "
                                        "(PDF, JPG o PNG). Puede adjuntarlo después.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = RightsRequest.Outcome.choices
        self.fields["answer_proof"].validators.append(validate_upload)

    def errors_for(self, cleaned):
        return rules.answer_errors(rights_request=self.instance, answered_on=cleaned.get("answered_on"),
                                   outcome=cleaned.get("outcome"), answer=cleaned.get("answer"))


class ProofForm(StepForm):
    required = ("answer_proof",)

    class Meta:
        model = RightsRequest
        fields = ["answer_proof"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_proof"].validators.append(validate_upload)

    def errors_for(self, cleaned):
        return {} if self.instance.is_answered else {None: _("Registre primero la respuesta.")}


class RecipientNoticeForm(CrispyMixin, forms.Form):
    informed_on = forms.DateField(label=_("Informada el"), widget=DateInput(), initial=timezone.localdate)
    means = forms.CharField(label=_("Cómo se le informó"), max_length=200,
                            help_text=_("Por ejemplo: oficio N.º 45 enviado por correo electrónico."))

    def __init__(self, *args, rights_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.rights_request = rights_request

    def clean(self):
        cleaned = super().clean()
        add_errors(self, rules.notice_errors(rights_request=self.rights_request,
                                             informed_on=cleaned.get("informed_on")))
        return cleaned


class RightsRequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), required=False, choices=[
        (STATUS_OPEN, _("Por responder")), (STATUS_OVERDUE, _("Atrasadas")), (STATUS_ALL, _("Todas")),
    ] + list(RightsRequest.Status.choices))
    kind = forms.ChoiceField(label=_("Derecho"), required=False,
                             choices=[("", _("Todos"))] + list(RightsRequest.Kind.choices))

