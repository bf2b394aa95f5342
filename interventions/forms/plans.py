from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta.forms import CrispyMixin, DateInput, not_in_future, two_column_layout
from conecta.selectors import team_professionals
from interventions.models import InstrumentDomain, Plan, PlanAction, PlanObjective, PlanReview


professionals = team_professionals


class DomainChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.instrument.name}: {obj.name}"


class ResponsibleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class TableRowMixin:
    """Rows of a formset shown as a table: Bootstrap classes, and each label as aria-label."""

    def style_fields(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
            widget.attrs.setdefault("aria-label", str(field.label))


class SectionForm(forms.Form):
    needs_summary = forms.CharField(
        label=_("Necesidades identificadas en el diagnóstico"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ObjectiveForm(TableRowMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Objetivo"), max_length=400, widget=forms.Textarea(attrs={"rows": 2}))
    domain = DomainChoiceField(label=_("Necesidad evaluada"), queryset=InstrumentDomain.objects.none(),
                               required=False, empty_label=_("(sin vincular)"))
    status = forms.ChoiceField(label=_("Estado"), choices=PlanObjective.Status.choices,
                               initial=PlanObjective.Status.PENDING)

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = (InstrumentDomain.objects.filter(plan_area=area)
                                          .select_related("instrument").order_by("instrument__name", "order"))
        self.style_fields()


class ActionForm(TableRowMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    objective = forms.TypedChoiceField(label=_("Objetivo N°"), coerce=int, choices=())
    description = forms.CharField(label=_("Acción"), max_length=400)
    responsible = ResponsibleChoiceField(label=_("Responsable"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Plazo"), widget=DateInput())
    status = forms.ChoiceField(label=_("Estado"), choices=PlanAction.Status.choices,
                               initial=PlanAction.Status.PENDING)
    done_on = forms.DateField(label=_("Realizada el"), widget=DateInput(), required=False,
                              validators=[not_in_future])

    def __init__(self, *args, objective_count=0, responsibles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [("", "—")] + [(i, str(i)) for i in range(1, objective_count + 1)]
        self.fields["responsible"].queryset = responsibles if responsibles is not None else professionals()
        self.style_fields()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("done_on") and cleaned.get("status") != PlanAction.Status.DONE:
            self.add_error("done_on", _("Indique la fecha solo para acciones realizadas."))
        return cleaned


ObjectiveFormSet = forms.formset_factory(ObjectiveForm, extra=2, can_delete=True)
ActionFormSet = forms.formset_factory(ActionForm, extra=3, can_delete=True)


def section_forms(*, section, data=None, suggestion=None):
    """The section form and its objective and action formsets, bound to `data` when given.

    Unbound, the formsets start from the stored objectives and actions (and
    the suggested objective, if any, as an extra row that will be saved);
    actions name their objective by its row number."""
    objectives = section.objective_list
    objective_initial = [
        {"id": o.pk, "text": o.text, "domain": o.domain_id, "status": o.status} for o in objectives
    ]
    if suggestion is not None:
        objective_initial.append({"text": suggestion.domain.suggested_objective or suggestion.domain.name,
                                  "domain": suggestion.domain_id, "status": PlanObjective.Status.PENDING})
    action_initial = [
        {"id": a.pk, "objective": index, "description": a.description, "responsible": a.responsible_id,
         "due_on": a.due_on, "status": a.status, "done_on": a.done_on}
        for index, o in enumerate(objectives, start=1) for a in o.action_list
    ]
    section_form = SectionForm(data, initial={"needs_summary": section.needs_summary, "revision": section.revision})
    objective_set = ObjectiveFormSet(data, initial=objective_initial, prefix="obj",
                                     form_kwargs={"area": section.area})
    objective_count = objective_set.total_form_count()
    action_set = ActionFormSet(data, initial=action_initial, prefix="act",
                               form_kwargs={"objective_count": objective_count, "responsibles": professionals()})
    return section_form, objective_set, action_set


def section_payload(objective_set, action_set):
    """Service arguments from valid formsets: rows left empty are skipped."""
    objectives = []
    position_of_row = {}
    for row, form in enumerate(objective_set.forms, start=1):
        data = form.cleaned_data
        if not data:
            continue
        position_of_row[row] = len(objectives)
        objectives.append({"id": data.get("id"), "text": data.get("text", ""), "domain": data.get("domain"),
                           "status": data.get("status"), "delete": data.get("DELETE", False)})
    actions = []
    for form in action_set.forms:
        data = form.cleaned_data
        if not data:
            continue
        actions.append({
            "id": data.get("id"), "objective": position_of_row.get(data.get("objective")),
            "description": data.get("description", ""), "responsible": data.get("responsible"),
            "due_on": data.get("due_on"), "status": data.get("status"), "done_on": data.get("done_on"), "delete": data.get("DELETE", False),
        })
    return objectives, actions


class ReviewForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["reviewed_on", "progress", "next_review_on"]
        widgets = {"reviewed_on": DateInput(), "next_review_on": DateInput(),
                   "progress": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
        self.helper.layout = two_column_layout(self.fields, [("reviewed_on", "next_review_on"), ("progress",)])


class AgreementForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["agreed_on", "agreement_notes"]
        widgets = {"agreed_on": DateInput(), "agreement_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].required = True
        if not self.initial.get("agreed_on"):
            self.initial["agreed_on"] = timezone.localdate()


class ApprovalForm(CrispyMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"), widget=forms.RadioSelect,
        choices=[("approve", _("Aprobar el plan")), ("return", _("Devolver con observaciones"))],
    )
    notes = forms.CharField(label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("notes", "").strip():
            self.add_error("notes", _("Indique qué debe corregirse al devolver el plan."))
        return cleaned
