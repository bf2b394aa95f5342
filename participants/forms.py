import datetime

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conecta import rut as rut_utils
from conecta.concurrency import VersionedFormMixin
from conecta.forms import EMPTY_CHOICE_LABEL, CrispyMixin, DateInput, not_in_future, two_column_layout, validate_upload
from conecta.models import Commune, Institution
from participants.models import (
    Case, CaseStatus, Cohort, Consent, FamilyMember, Participant, ReceivedDocument,
)


IDENTITY_FIELDS = [
    "rut", "given_names", "paternal_surname", "maternal_surname", "social_name",
    "birth_date", "sex", "gender", "nationality",
    "phone", "email", "address", "commune", "sector",
]
SENSITIVE_PERSON_FIELDS = ["education_level", "household_notes"]


class ParticipantForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    """Identity and contact; professionals also see education and household."""

    confirm_homonym = forms.BooleanField(
        label=_("Confirmo que es otra persona con el mismo nombre y fecha de nacimiento"),
        required=False,
    )

    class Meta:
        model = Participant
        fields = IDENTITY_FIELDS + SENSITIVE_PERSON_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "household_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, sensitive=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in SENSITIVE_PERSON_FIELDS:
                del self.fields[name]
        self.fields["rut"].help_text = _("Con o sin puntos, con guion y dígito verificador.")
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["birth_date"].validators.append(not_in_future)
        if self.instance.pk:
            self.initial["rut"] = self.instance.rut_display
        self.helper.layout = two_column_layout(self.fields, [
            ("rut", "birth_date"), ("given_names", "social_name"), ("paternal_surname", "maternal_surname"),
            ("sex", "gender", "nationality"), ("phone", "email"), ("address", "commune", "sector"),
            ("education_level",), ("household_notes",), ("confirm_homonym",),
        ])
        # The confirmation box appears only after a same-name, same-birth-date warning.
        self.fields["confirm_homonym"].widget = forms.HiddenInput()
        self.homonyms = []

    def clean_rut(self):
        value = rut_utils.normalize(self.cleaned_data.get("rut"))
        existing = Participant.objects.filter(rut=value).exclude(pk=self.instance.pk).first()
        if existing and existing.blocked_on:
            # A blocked person is out of every list: the message does not name them (Ley 21.719).
            raise forms.ValidationError(_("Ya existe una persona con este RUT."), code="duplicate")
        if existing:
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Ya existe una persona con este RUT:"),
                    reverse("participants:participant_detail", args=[existing.pk]),
                    existing.full_name,
                ),
                code="duplicate",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        birth_date = cleaned.get("birth_date")
        homonyms = Participant.objects.filter(
            given_names__iexact=cleaned.get("given_names", ""),
            paternal_surname__iexact=cleaned.get("paternal_surname", ""),
            maternal_surname__iexact=cleaned.get("maternal_surname", ""),
            birth_date=birth_date,
        ).exclude(pk=self.instance.pk)
        self.homonyms = list(homonyms[:5]) if birth_date else []
        if self.homonyms and not cleaned.get("confirm_homonym"):
            self.fields["confirm_homonym"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_homonym",
                _("Hay otra persona con el mismo nombre y fecha de nacimiento. Revise que no sea la misma y marque esta casilla para continuar."),
            )
        return cleaned


# The eligibility part of a case (seed 000 §3). Sensitive: never shown to or set by the receptionist.
ELIGIBILITY_FIELDS = ["category", "sentence_type", "supervising_institution", "offences", "vulnerability_factors"]


def vulnerability_factors_field():
    return forms.MultipleChoiceField(
        label=_("Factores de vulnerabilidad"),
        choices=Case.VulnerabilityFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def clean_eligibility(form, cleaned):
    """The population needs its detail: a sentence for justice, a factor for vulnerability."""
    category = cleaned.get("category")
    if category == Case.Category.JUSTICE and not cleaned.get("sentence_type"):
        form.add_error("sentence_type", _("Indique el tipo de pena o medida."))
    if category == Case.Category.VULNERABILITY and not cleaned.get("vulnerability_factors"):
        form.add_error("vulnerability_factors", _("Marque al menos un factor de vulnerabilidad."))


class CaseOpenForm(CrispyMixin, forms.ModelForm):
    """An application: a person's first one (with the registration) or a re-entry.

    `sensitive`: the referral and the eligibility fields (professionals only).
    `previous`: the last episode of a re-entry; its eligibility is the starting point
    and the form asks what changed since."""

    vulnerability_factors = vulnerability_factors_field()

    class Meta:
        model = Case
        fields = ["applied_on", "cohort", "referral_source", "referral_notes", *ELIGIBILITY_FIELDS]
        widgets = {"applied_on": DateInput(), "offences": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, sensitive=False, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].validators.append(not_in_future)
        self.fields["applied_on"].initial = datetime.date.today()
        institutions = Institution.objects.filter(active=True)
        self.fields["referral_source"].queryset = institutions
        self.fields["supervising_institution"].queryset = institutions
        if not sensitive:
            # Who referred the person (e.g. Gendarmería) reveals the justice situation.
            for name in ["referral_source", "referral_notes", *ELIGIBILITY_FIELDS]:
                del self.fields[name]
        if previous is not None:
            from participants.services import carried_over

            for name, value in carried_over(previous).items():
                if name in self.fields:
                    self.initial[name] = getattr(value, "pk", value)
            self.fields["reason"] = forms.CharField(
                label=_("¿Qué cambió desde el ingreso %(n)s?") % {"n": previous.number},
                widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                help_text=_("Por qué vuelve y qué es distinto ahora (situación judicial, familia, trabajo…). "
                            "Queda en la línea de tiempo del nuevo ingreso."),
            )
        self.helper.layout = two_column_layout(self.fields, [
            ("applied_on", "cohort"), ("reason",), ("referral_source", "referral_notes"),
            ("category", "sentence_type"), ("supervising_institution",), ("offences",), ("vulnerability_factors",),
        ])

    def clean(self):
        cleaned = super().clean()
        clean_eligibility(self, cleaned)
        return cleaned


class IntakeAdmissionForm(CrispyMixin, forms.Form):
    """The optional last part of a professional's intake: the data-protection consent already
    signed on paper, and the admission to diagnosis in the same step."""

    consent_signed_on = forms.DateField(
        label=_("Consentimiento de datos firmado el"), widget=DateInput(), required=False,
        help_text=_("Si la persona ya firmó el consentimiento de tratamiento de datos (Ley 21.719). "
                    "La copia escaneada se sube después en la pestaña Consentimientos."),
    )
    consent_version = forms.CharField(label=_("Versión del documento"), max_length=30, required=False)
    admit = forms.BooleanField(
        label=_("Ingresar a diagnóstico hoy"), required=False,
        help_text=_("Solo si cumple los requisitos y el consentimiento está firmado."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_signed_on"].validators.append(not_in_future)
        self.fields["consent_version"].initial = (
            Consent.objects.filter(kind=Consent.Kind.DATA_PROTECTION).order_by("-signed_on", "-id")
            .values_list("version", flat=True).first())
        self.helper.layout = two_column_layout(self.fields, [("consent_signed_on", "consent_version"), ("admit",)])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_signed_on") and not cleaned.get("consent_version"):
            self.add_error("consent_version", _("Indique la versión del documento firmado."))
        return cleaned


class CaseForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    """Eligibility, referral and team of a case (professionals only)."""

    vulnerability_factors = vulnerability_factors_field()

    class Meta:
        model = Case
        fields = [
            "cohort", "referral_source", "referral_notes",
            *ELIGIBILITY_FIELDS,
            "psychologist", "social_worker", "occupational_therapist", "followup_psychologist",
        ]
        widgets = {"offences": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from conecta import permissions

        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
        for field, role in [
            ("psychologist", permissions.PSYCHOLOGIST),
            ("social_worker", permissions.SOCIAL_WORKER),
            ("occupational_therapist", permissions.OCCUPATIONAL_THERAPIST),
            ("followup_psychologist", permissions.FOLLOWUP_PSYCHOLOGIST),
        ]:
            self.fields[field].queryset = users.filter(groups__name=role)
            self.fields[field].label_from_instance = lambda u: u.get_full_name() or u.username
        institutions = Institution.objects.filter(active=True)
        self.fields["referral_source"].queryset = institutions
        self.fields["supervising_institution"].queryset = institutions

    def clean(self):
        cleaned = super().clean()
        clean_eligibility(self, cleaned)
        return cleaned


class TransitionForm(VersionedFormMixin, CrispyMixin, forms.Form):
    date = forms.DateField(label=_("Fecha"), widget=DateInput(), initial=datetime.date.today)
    exit_type = forms.ChoiceField(label=_("Tipo de egreso"), choices=[("", "---------")] + list(Case.ExitType.choices))
    reason = forms.CharField(label=_("Motivo u observación"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(not_in_future)
        if target != CaseStatus.EXITED:
            del self.fields["exit_type"]
        if target == CaseStatus.NOT_ADMITTED:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Motivo del no ingreso")


class ExceptionForm(VersionedFormMixin, CrispyMixin, forms.Form):
    reason = forms.CharField(
        label=_("Fundamento de la excepción"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Queda registrado con su nombre y la fecha."),
    )


class FamilyMemberForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["name", "relationship", "age", "phone", "email", "lives_with_participant",
                  "takes_part_in_sessions", "notes"]


class ConsentForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["kind", "version", "signed_on", "channel", "case", "file"]
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = participant.cases.all()
        self.fields["signed_on"].validators.append(not_in_future)
        self.fields["file"].validators.append(validate_upload)


class ConsentWithdrawForm(VersionedFormMixin, CrispyMixin, forms.Form):
    date = forms.DateField(label=_("Fecha de retiro"), widget=DateInput(), initial=datetime.date.today)
    reason = forms.CharField(label=_("Motivo del retiro"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(not_in_future)


class ReceivedDocumentForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = ReceivedDocument
        fields = ["document_type", "received_on", "file", "notes"]
        widgets = {"received_on": DateInput()}

    def __init__(self, *args, sensitive=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = datetime.date.today()
        self.fields["received_on"].validators.append(not_in_future)
        self.fields["file"].validators.append(validate_upload)
        if not sensitive:
            self.fields["document_type"].choices = [
                (value, label) for value, label in self.fields["document_type"].choices
                if value not in ReceivedDocument.SENSITIVE_TYPES
            ]


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar por nombre o RUT"), required=False)
    status = forms.ChoiceField(label=_("Estado"), choices=[("", _("Todos"))] + list(CaseStatus.choices), required=False)
    cohort = forms.ModelChoiceField(label=_("Generación"), queryset=Cohort.objects.all(), required=False, empty_label=_("Todas"))
    category = forms.ChoiceField(label=_("Población"), choices=[("", _("Todas"))] + list(Case.Category.choices), required=False)

    def __init__(self, *args, sensitive=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.fields["category"]


class CohortForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "year", "semester", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_date") and cleaned.get("end_date") and cleaned["end_date"] < cleaned["start_date"]:
            self.add_error("end_date", _("El término debe ser posterior al inicio."))
        return cleaned


class BlockForm(CrispyMixin, forms.Form):
    """Block a person's data (bloqueo del tratamiento); a rights request may fill the reason."""

    on = forms.DateField(label=_("Bloqueado desde"), widget=DateInput(), initial=datetime.date.today)
    reason = forms.CharField(
        label=_("Motivo del bloqueo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("Por ejemplo: solicitud de bloqueo de la persona mientras se resuelve su reclamo. "
                    "Queda en el historial con su nombre y la fecha."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].validators.append(not_in_future)


class ReasonForm(CrispyMixin, forms.Form):
    """One written reason (lifting a block, revoking an authorisation)."""

    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ProcessingAuthorisationForm(CrispyMixin, forms.Form):
    basis = forms.ChoiceField(label=_("Base legal"))
    detail = forms.CharField(
        label=_("Fundamento escrito"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("Qué obligación o función legal exige seguir tratando estos datos sin consentimiento, "
                    "y qué tratamiento cubre. Queda en el historial y en la ficha."),
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = [("", EMPTY_CHOICE_LABEL)] + list(settings.CONECTA_PROCESSING_BASES)
