import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.models import Commune, Institution, ProgramSettings


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CrispyMixin:
    """Crispy layout without its own <form> tag: templates own the form element."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # Hidden fields outside the layout (e.g. the record's `version`) are still sent.
        self.helper.render_hidden_fields = True
        label_empty_choices(self)


DJANGO_EMPTY_LABEL = "---------"
EMPTY_CHOICE_LABEL = _("Seleccione…")


def label_empty_choices(form):
    """Django's «---------» empty option of every drop-down reads «Seleccione…» (filter forms,
    which are not crispy, keep their own «Todos»/«Todas»)."""
    for field in form.fields.values():
        if not isinstance(field.widget, forms.Select) or isinstance(field.widget, forms.SelectMultiple):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_EMPTY_LABEL:
                field.empty_label = EMPTY_CHOICE_LABEL
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if any(value == "" and label == DJANGO_EMPTY_LABEL for value, label in choices):
                field.choices = [(value, EMPTY_CHOICE_LABEL if value == "" and label == DJANGO_EMPTY_LABEL else label)
                                 for value, label in choices]


def two_column_layout(fields, rows):
    """Crispy layout of the given rows of field names, skipping fields the form dropped."""
    from crispy_forms.layout import Column, Layout, Row

    parts = []
    for row in rows:
        present = [name for name in row if name in fields]
        if present:
            parts.append(Row(*[Column(name, css_class=f"col-md-{12 // len(present)}") for name in present]))
    return Layout(*parts)


def validate_upload(uploaded):
    """Size and type checks for scanned documents; messages in Spanish."""
    if not uploaded:
        return uploaded
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension not in settings.UPLOAD_ALLOWED_EXTENSIONS:
        raise forms.ValidationError(
            _("Formato no permitido. Suba un archivo PDF, JPG o PNG.")
        )
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("El archivo pesa %(size).1f MB; el máximo es %(max)d MB.")
            % {"size": uploaded.size / 1024 / 1024, "max": settings.UPLOAD_MAX_BYTES // 1024 // 1024}
        )
    head = uploaded.read(8)
    uploaded.seek(0)
    signatures = {
        "pdf": (b"%PDF",),
        "png": (b"\x89PNG",),
        "jpg": (b"\xff\xd8\xff",),
        "jpeg": (b"\xff\xd8\xff",),
    }
    if not head.startswith(signatures[extension]):
        raise forms.ValidationError(
            _("El contenido del archivo no corresponde a su extensión (.%(ext)s).") % {"ext": extension}
        )
    return uploaded


def not_in_future(value):
    if value and value > datetime.date.today():
        raise forms.ValidationError(_("La fecha no puede estar en el futuro."))


class InstitutionForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "level", "contact_name", "phone", "email", "address", "services",
                  "has_agreement", "agreement_detail", "agreement_start", "agreement_end", "active"]
        widgets = {"agreement_start": DateInput(), "agreement_end": DateInput(),
                   "services": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = two_column_layout(self.fields, [
            ["name"], ["kind", "level"], ["contact_name", "phone"], ["email", "address"], ["services"],
            ["has_agreement"], ["agreement_detail"], ["agreement_start", "agreement_end"], ["active"],
        ])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("agreement_start"), cleaned.get("agreement_end")
        if start and end and end < start:
            self.add_error("agreement_end", _("El término del convenio no puede ser anterior a su inicio."))
        if not cleaned.get("has_agreement") and (cleaned.get("agreement_detail") or start or end):
            self.add_error("has_agreement", _("Marque «tiene convenio» o borre los datos del convenio."))
        return cleaned


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar por nombre"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Tipo"), required=False, choices=[("", _("Todos"))] + list(Institution.Kind.choices))
    level = forms.ChoiceField(label=_("Nivel"), required=False,
                              choices=[("", _("Todos"))] + list(Institution.Level.choices))
    agreement = forms.ChoiceField(label=_("Convenio"), required=False, choices=[
        ("", _("Con y sin convenio")), ("yes", _("Con convenio")), ("current", _("Con convenio vigente")),
        ("no", _("Sin convenio")),
    ])
    active = forms.ChoiceField(label=_("Vigencia"), required=False, choices=[
        ("", _("Vigentes y no vigentes")), ("yes", _("Solo vigentes")), ("no", _("Solo no vigentes")),
    ])


class ProgramSettingsForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = ProgramSettings
        fields = ["name", "municipality", "commune", "address", "minimum_age", "require_consent_for_admission"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
