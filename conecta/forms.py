import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

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


class ListChoiceField(forms.ChoiceField):
    """A choice among objects loaded once by the caller (`set_objects`), for the rows of a
    formset: a ModelChoiceField would query its choices, and again to validate, in every row."""

    def __init__(self, *, empty_label=EMPTY_CHOICE_LABEL, label_from_instance=str, **kwargs):
        self.empty_label, self.label_from_instance = empty_label, label_from_instance
        self.by_key = {}
        super().__init__(choices=[("", empty_label)], **kwargs)

    def set_objects(self, objects):
        self.by_key = {str(obj.pk): obj for obj in objects}
        self.choices = [("", self.empty_label)] + [(key, self.label_from_instance(obj)) for key, obj in self.by_key.items()]

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = self.by_key.get(str(value))
        if obj is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return obj

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(data or "")


class BoundedFormSet(forms.BaseFormSet):
    """A formset that never builds more rows than its maximum.

    Django trusts the posted TOTAL_FORMS up to `absolute_max` (1000 rows by
    default, and no limit at all below it without `validate_max`): one forged
    post built tens of thousands of rows and held a worker for minutes. Build
    formsets with `bounded_formset_factory`, which refuses a larger count before
    building anything."""

    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "Se pueden guardar como máximo %(num)d fila.", "Se pueden guardar como máximo %(num)d filas.", "num"),
        "too_few_forms": ngettext_lazy(
            "Complete al menos %(num)d fila.", "Complete al menos %(num)d filas.", "num"),
        "missing_management_form": _(
            "Faltan datos del formulario (%(field_names)s). Vuelva a abrir la página e inténtelo de nuevo."),
    }

    def total_form_count(self):
        # The page never offers more rows than the maximum, so a larger count was forged: no row
        # is built at all (Django would still build and re-render `absolute_max` of them), and
        # full_clean() reports the count as too many.
        if self.is_bound and self.management_form.cleaned_data["TOTAL_FORMS"] > self.absolute_max:
            return 0
        return super().total_form_count()


def bounded_formset_factory(form, *, max_num, formset=BoundedFormSet, **kwargs):
    """`formset_factory` with a hard maximum: at most `max_num` rows are built or saved."""
    return forms.formset_factory(form, formset=formset, max_num=max_num, validate_max=True,
                                 absolute_max=max_num, **kwargs)


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
