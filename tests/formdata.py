"""What a browser would post back from a rendered form page (stale-form tests load, then post)."""

from django import forms


def form_data(form):
    """The values of a rendered form, as a browser would post them."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[form.add_prefix(name)] = [str(v) for v in value]
            continue
        shown = widget.format_value(value)
        if isinstance(shown, list):  # choice widgets format to a list of selected values
            shown = shown if getattr(widget, "allow_multiple_selected", False) else (shown[0] if shown else "")
        data[form.add_prefix(name)] = "" if shown is None else shown if isinstance(shown, list) else str(shown)
    return data


def formset_data(formset):
    data = {}
    for name, field in formset.management_form.fields.items():
        data[formset.management_form.add_prefix(name)] = str(formset.management_form[name].value())
    for form in formset.forms:
        data.update(form_data(form))
    return data


def page_data(response):
    """Everything a browser would post back from the page: the form and any formsets."""
    context = response.context
    data = form_data(context["form"])
    for key in ("cutoffs", "options"):
        if hasattr(context.get(key), "management_form"):
            data.update(formset_data(context[key]))
    return data
