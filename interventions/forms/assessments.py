from django import forms
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin, DateInput, not_in_future, two_column_layout
from interventions.models import Answer, Instrument, InstrumentDomain, Item, Level
from interventions.services.assessments import instrument_results


class InstrumentForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["name", "code", "kind", "area", "is_screening", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"code": _("Identificador corto sin espacios (letras, números y guiones); se conserva entre versiones.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = two_column_layout(self.fields, [
            ("name",), ("code", "kind", "area"), ("is_screening",), ("description",),
        ])


class InstrumentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), required=False,
                               choices=[("", _("Todos"))] + list(Instrument.Status.choices))


class RowsFormSet(forms.BaseFormSet):
    """Blank rows are ignored, so a row is removed by clearing it; `rows` are the filled ones."""

    def rows(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not form.is_blank()]


SMALL_INPUT = {"class": "form-control form-control-sm"}


class CutoffForm(forms.Form):
    min_score = forms.IntegerField(label=_("Desde puntaje"), required=False, min_value=-999, max_value=9999,
                                   widget=forms.NumberInput(attrs=SMALL_INPUT))
    level = forms.ChoiceField(label=_("Nivel"), required=False, choices=[("", "—")] + list(Level.choices),
                              widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    label = forms.CharField(label=_("Etiqueta"), required=False, max_length=100, widget=forms.TextInput(attrs=SMALL_INPUT))

    def is_blank(self):
        data = self.cleaned_data
        return data.get("min_score") is None and not data.get("label") and not data.get("level")

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            if data.get("min_score") is None:
                self.add_error("min_score", _("Indique desde qué puntaje rige."))
            if not data.get("label"):
                self.add_error("label", _("Escriba la etiqueta del resultado."))
        return data


CutoffFormSet = forms.formset_factory(CutoffForm, formset=RowsFormSet, extra=3, max_num=12, absolute_max=20)


def cutoff_formset(*, data=None, cutoffs=(), prefix="cutoffs"):
    initial = [{"min_score": c.min_score, "level": c.level, "label": c.label} for c in cutoffs]
    return CutoffFormSet(data, initial=initial, prefix=prefix)


class DomainForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = InstrumentDomain
        fields = ["name", "code", "order", "plan_area", "suggested_objective", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = two_column_layout(self.fields, [
            ("name", "code", "order"), ("plan_area", "suggested_objective"), ("description",),
        ])


class ItemForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Item
        fields = ["text", "help_text", "kind", "order", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = two_column_layout(self.fields, [
            ("text",), ("help_text",), ("kind", "order"), ("required",),
        ])


class OptionForm(forms.Form):
    label = forms.CharField(label=_("Alternativa"), required=False, max_length=200,
                            widget=forms.TextInput(attrs=SMALL_INPUT))
    score = forms.IntegerField(label=_("Puntaje"), required=False, min_value=-99, max_value=99,
                               widget=forms.NumberInput(attrs=SMALL_INPUT))

    def is_blank(self):
        return not self.cleaned_data.get("label") and self.cleaned_data.get("score") is None

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            if not data.get("label"):
                self.add_error("label", _("Escriba la alternativa."))
            if data.get("score") is None:
                self.add_error("score", _("Indique el puntaje."))
        return data


OptionFormSet = forms.formset_factory(OptionForm, formset=RowsFormSet, extra=3, max_num=12, absolute_max=20)


def option_formset(*, data=None, options=()):
    initial = [{"label": o.label, "score": o.score} for o in options]
    return OptionFormSet(data, initial=initial, prefix="options")


class ConfirmForm(VersionedFormMixin, forms.Form):
    """Activate, retire, new version: a POST with nothing to fill in."""


class AssessmentForm(VersionedFormMixin, forms.Form):
    """Built from the instrument: radio buttons per scored item, a text area per open item.

    Items may stay empty in a draft; completing needs every required item."""

    applied_on = forms.DateField(label=_("Fecha de aplicación"), widget=DateInput(), validators=[not_in_future])
    strengths = forms.CharField(label=_("Fortalezas y factores protectores"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    conclusions = forms.CharField(label=_("Conclusiones"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    # Choices are the instrument's own results (set in __init__): stages of change for the motivation
    # instrument, Bajo…Alto for a scale that stops at Alto.
    override_label = forms.ChoiceField(
        label=_("Cambiar el resultado calculado"), required=False, choices=(),
        help_text=_("Solo con un fundamento escrito (juicio profesional)."),
    )
    override_reason = forms.CharField(label=_("Fundamento del cambio de nivel"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, instrument, complete=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.complete = complete
        results = instrument_results(instrument)
        self.offers_override = bool(results)
        if results:
            self.fields["override_label"].choices = (
                [("", _("No, mantener el resultado calculado"))] + [(label, label) for label, _level in results])
        else:
            # An instrument without total cut-offs has no scale to choose another result from.
            del self.fields["override_label"]
            del self.fields["override_reason"]
        self.items = {}
        self.sections = []
        for domain in instrument.domain_list:
            names = []
            for item in domain.item_list:
                name = f"item_{item.pk}"
                if item.kind == Item.Kind.CHOICE:
                    field = forms.TypedChoiceField(
                        label=item.text, required=False, coerce=int, empty_value=None,
                        choices=[(option.pk, option.label) for option in item.option_list],
                        widget=forms.RadioSelect,
                    )
                else:
                    field = forms.CharField(label=item.text, required=False, max_length=4000,
                                            widget=forms.Textarea(attrs={"rows": 2}))
                field.help_text = item.help_text
                if item.required:
                    field.label = f"{item.text} *"
                self.fields[name] = field
                self.items[name] = item
                names.append(name)
            self.sections.append((domain, names))

    def section_fields(self):
        """[(domain, [bound fields])]: the template renders one fieldset per domain (names stay plain text)."""
        return [(domain, [self[name] for name in names]) for domain, names in self.sections]

    def clean(self):
        data = super().clean()
        if self.complete:
            for name, item in self.items.items():
                if item.required and data.get(name) in (None, ""):
                    self.add_error(name, _("Responda esta pregunta para completar la evaluación."))
        if data.get("override_label") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Para cambiar el resultado calculado escriba el fundamento."))
        return data

    def answers(self):
        """{item_pk: ItemOption | str | None} for the service."""
        result = {}
        for name, item in self.items.items():
            value = self.cleaned_data.get(name)
            if item.kind == Item.Kind.CHOICE:
                result[item.pk] = next((o for o in item.option_list if o.pk == value), None)
            else:
                result[item.pk] = value or ""
        return result

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "applied_on": data["applied_on"], "answers": self.answers(), "strengths": data["strengths"],
            "conclusions": data["conclusions"], "override_label": data.get("override_label", ""),
            "override_reason": data.get("override_reason", ""), "complete": self.complete,
        }

    @staticmethod
    def initial_from(assessment, answers):
        initial = {
            "applied_on": assessment.applied_on, "strengths": assessment.strengths,
            "conclusions": assessment.conclusions, "override_label": assessment.get_override_display(),
            "override_reason": assessment.override_reason,
        }
        for item_pk, answer in answers.items():
            initial[f"item_{item_pk}"] = answer.option_id if answer.option_id else answer.text
        return initial


def assessment_answers_rebase(*, form, data, error, stored_answers):
    """The answers of a stale draft rebased on the stored ones, and what changed.

    The draft's own fields are rebased by `conecta.concurrency.rebase`; answers are
    rows of their own, so they are compared here: as they were when the person
    loaded the draft (from the answers' history), as stored now, and as posted."""
    assessment = error.stored
    after = assessment.history.filter(version__gt=error.loaded_version).order_by("history_date", "history_id").first()
    rows = Answer.history.filter(assessment_id=assessment.pk)
    if after is not None:
        rows = rows.filter(history_date__lt=after.history_date)
    loaded = {}
    for row in rows.order_by("history_date", "history_id"):
        loaded[row.item_id] = None if row.history_type == "-" else row

    def plain(answer):
        if answer is None:
            return ""
        return str(answer.option_id) if answer.option_id else (answer.text or "").strip()

    data = data.copy()
    changes = []
    for name, item in form.items.items():
        before, now = plain(loaded.get(item.pk)), plain(stored_answers.get(item.pk))
        if before == now:
            continue
        mine = (data.get(name) or "").strip()
        labels = {str(option.pk): option.label for option in item.option_list}

        def shown(value):
            return labels.get(value, value) or "—"

        conflict = mine != before and mine != now
        if mine == before:
            data[name] = now
        changes.append({"label": item.text, "before": shown(before), "now": shown(now),
                        "mine": shown(mine) if conflict else None, "conflict": conflict, "in_form": True})
    return data, changes
