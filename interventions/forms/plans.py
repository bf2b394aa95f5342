import datetime

from django import forms
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin, display_model_value
from conecta.forms import CrispyMixin, DateInput, label_empty_choices, not_in_future, two_column_layout
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
        label_empty_choices(self)
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


def suggested_text(result):
    return result.domain.suggested_objective or result.domain.name


def with_suggested_objectives(data, suggestions):
    """The posted section with one objective row per chosen suggestion: empty new rows are
    filled first, then rows are added. Everything else the person typed is left as it is."""
    if not suggestions:
        return data
    data = data.copy()
    raw_total = str(data.get("obj-TOTAL_FORMS") or "")
    total = min(int(raw_total), ObjectiveFormSet.absolute_max) if raw_total.isdigit() else 0
    empty_rows = [index for index in range(total)
                  if not data.get(f"obj-{index}-id") and not (data.get(f"obj-{index}-text") or "").strip()]
    for result in suggestions:
        index = empty_rows.pop(0) if empty_rows else total
        if index == total:
            total += 1
        data[f"obj-{index}-text"] = suggested_text(result)
        data[f"obj-{index}-domain"] = str(result.domain_id)
        data[f"obj-{index}-status"] = PlanObjective.Status.PENDING
    data["obj-TOTAL_FORMS"] = str(total)
    return data


def posted_domain_ids(data):
    """Needs already linked in the posted objective rows (so they are no longer suggested)."""
    return {int(value) for key, value in data.items()
            if key.startswith("obj-") and key.endswith("-domain") and str(value).isdigit()}


def section_forms(*, section, data=None):
    """The section form and its objective and action formsets, bound to `data` when given.

    Unbound, the formsets start from the stored objectives and actions;
    actions name their objective by its row number."""
    objectives = section.objective_list
    objective_initial = [
        {"id": o.pk, "text": o.text, "domain": o.domain_id, "status": o.status} for o in objectives
    ]
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


class AgreementForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["agreed_on", "agreement_notes"]
        widgets = {"agreed_on": DateInput(), "agreement_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].required = True
        if not self.initial.get("agreed_on"):
            self.initial["agreed_on"] = timezone.localdate()


class PlanActionForm(VersionedFormMixin, forms.Form):
    """A button on the plan page (send to approval): the version of the plan the page showed."""


class ApprovalForm(VersionedFormMixin, CrispyMixin, forms.Form):
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


# --- A stale section, rebased on the stored one ------------------------------------------------

OBJECTIVE_FIELDS = ("text", "domain", "status")
ACTION_FIELDS = ("description", "responsible", "due_on", "status", "done_on")


def _plain(value):
    """A stored value as the form posts it."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(getattr(value, "pk", value)).strip()


def _as_of(history, moment, **filters):
    """{id: historical row} of the rows alive at `moment` (the last version of each)."""
    alive = {}
    for row in history.filter(history_date__lte=moment, **filters).order_by("history_date", "history_id"):
        if row.history_type == "-":
            alive.pop(row.id, None)
        else:
            alive[row.id] = row
    return alive


def section_rebase(*, data, error, stored):
    """The posted section forms rebased on the stored section, and what changed.

    Like `conecta.concurrency.rebase` for one record: what only the other person
    changed takes the stored value, what the editor changed is kept (a conflict
    when both changed it). Rows the other person deleted are dropped if the editor
    left them alone, kept as new rows if the editor changed them; rows the other
    person added stay in the section (a save never deletes rows it does not name)."""
    record = error.loaded_record()
    data = data.copy()
    data["revision"] = str(stored.revision)
    changes = []

    def change(label, before, now, mine=None):
        changes.append({"label": label, "before": before or "—", "now": now or "—", "mine": mine,
                        "conflict": mine is not None, "in_form": True})

    mine_needs = data.get("needs_summary", "").strip()
    loaded_needs = record.needs_summary.strip() if record is not None else None
    if loaded_needs is not None and loaded_needs != stored.needs_summary.strip():
        if mine_needs == loaded_needs:
            data["needs_summary"] = stored.needs_summary
            change(_("Necesidades identificadas"), loaded_needs, stored.needs_summary)
        else:
            change(_("Necesidades identificadas"), loaded_needs, stored.needs_summary, mine_needs)
    if record is None:
        return data, changes

    moment = record.history_date
    loaded_objectives = _as_of(PlanObjective.history, moment, section_id=stored.pk)
    stored_objectives = {o.pk: o for o in stored.objective_list}
    stored_actions = {a.pk: a for o in stored.objective_list for a in o.action_list}
    loaded_actions = _as_of(PlanAction.history, moment,
                            objective_id__in=set(loaded_objectives) | set(stored_objectives))

    def rebase_rows(model, prefix, fields, loaded_rows, stored_rows, describe):
        model_fields = {name: model._meta.get_field(name) for name in fields}

        def values(row):
            return {name: _plain(getattr(row, field.attname)) for name, field in model_fields.items()}

        def shown(name, value):
            field = model_fields[name]
            if value and isinstance(field, models.DateField):
                value = datetime.date.fromisoformat(value)
            return display_model_value(field, value)

        seen = set()
        raw_total = str(data.get(f"{prefix}-TOTAL_FORMS") or "")
        # The formsets were valid (a stale save is refused after validation), so the count is bounded.
        for index in range(int(raw_total) if raw_total.isdigit() else 0):
            key = f"{prefix}-{index}-"
            pk = data.get(key + "id", "")
            if not pk.isdigit() or data.get(key + "DELETE"):
                continue
            pk = int(pk)
            seen.add(pk)
            loaded, now = loaded_rows.get(pk), stored_rows.get(pk)
            if loaded is None:
                continue
            mine = {name: data.get(key + name, "").strip() for name in fields}
            before = values(loaded)
            label = describe(loaded)
            if now is None:
                if mine == before:
                    data[key + "DELETE"] = "on"
                    change(label, _("Vigente"), _("Eliminado"))
                else:
                    data[key + "id"] = ""  # changed here, deleted there: kept as a new row
                    change(label, _("Vigente"), _("Eliminado"), _("se guardará como fila nueva"))
                continue
            after = values(now)
            for name in fields:
                if before[name] == after[name]:
                    continue
                field_label = f"{label} · {model_fields[name].verbose_name}"
                if mine[name] == before[name]:
                    data[key + name] = after[name]
                    change(field_label, shown(name, before[name]), shown(name, after[name]))
                elif mine[name] != after[name]:
                    change(field_label, shown(name, before[name]), shown(name, after[name]), shown(name, mine[name]))
        for pk, row in stored_rows.items():
            if pk not in seen and pk not in loaded_rows:
                change(describe(row), "", _("Agregado por la otra persona (se conserva)"))

    rebase_rows(PlanObjective, "obj", OBJECTIVE_FIELDS, loaded_objectives, stored_objectives,
                lambda row: _("Objetivo «%(text)s»") % {"text": row.text[:60]})
    rebase_rows(PlanAction, "act", ACTION_FIELDS, loaded_actions, stored_actions,
                lambda row: _("Acción «%(text)s»") % {"text": row.description[:60]})
    return data, changes
