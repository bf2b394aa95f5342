"""One way to refuse a stale save (optimistic locking).

A record that people edit carries a `version`. The edit form sends back the
version the person loaded; the service saves only if the stored row is still
at that version and otherwise raises `StaleEditError`. The view then shows what
changed in between, keeps everything the person typed, and rebases the form on
the stored row: fields only the other person changed take the stored value,
fields the person changed keep theirs, so a second submit applies their change
on top of the other one.
"""

import datetime

from django import forms
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_lazy

from conecta.errors import DomainError


class VersionedModel(models.Model):
    """Every save of an existing row moves `version` on, whichever service saves it,
    so an edit form loaded before any change (a status move too) is refused."""

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


class StaleEditError(DomainError):
    def __init__(self, *, stored, loaded_version):
        super().__init__(_("Otra persona guardó cambios en este registro mientras usted lo editaba. "
                           "No se guardó nada: revise los cambios, su formulario ya los incorpora, "
                           "y vuelva a guardar."))
        self.stored = stored
        self.loaded_version = loaded_version

    def loaded_snapshot(self):
        """The record as the person loaded it, from its history (None if history has no such version)."""
        history = getattr(self.stored, "history", None)
        if history is None:
            return None
        record = history.filter(version=self.loaded_version).order_by("-history_date", "-history_id").first()
        return record.instance if record is not None else None

    def last_change(self):
        history = getattr(self.stored, "history", None)
        record = history.select_related("history_user").order_by("-history_date", "-history_id").first() if history else None
        if record is None:
            return None
        return {"user": record.history_user, "at": record.history_date}


def check_version(instance, *, version):
    """Lock the stored row of `instance` and refuse if it moved past `version`.
    Call inside a transaction, before saving `instance` (its save moves the
    version on)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("check_version must run inside transaction.atomic")
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is None or stored.version != int(version):
        raise StaleEditError(stored=stored, loaded_version=version)
    instance.version = stored.version
    return stored


def version_of(obj):
    return obj.version if obj is not None and obj.pk else 0


class VersionedFormMixin:
    """Adds the hidden `version` the person loaded; services receive it as `version=`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        # A new record has no version to check.
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
            initial=version_of(instance), required=bool(instance is not None and instance.pk),
            error_messages={"required": gettext_lazy("Falta la versión del registro: recargue la página.")},
        )


def _display(field, value):
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.BooleanField):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): label for key, label in _flat_choices(choices)}
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(str(labels.get(str(getattr(v, "pk", v)), v)) for v in values)
    return str(value)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield getattr(key, "value", key), label


def _comparable(value):
    if isinstance(value, (list, tuple)):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    return getattr(value, "pk", value)


def _put(data, field, name, value):
    """Write a Python value into form data the way the widget would have sent it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
        return
    prepared = field.prepare_value(value)
    if isinstance(prepared, (list, tuple)):
        data.setlist(name, [str(v) for v in prepared])
    elif isinstance(prepared, datetime.datetime):
        data[name] = prepared.strftime("%Y-%m-%dT%H:%M")
    elif isinstance(prepared, datetime.date):
        data[name] = prepared.strftime("%Y-%m-%d")
    else:
        data[name] = "" if prepared is None else str(prepared)


def rebase(form, error, *, prefix=None):
    """The stale form rebased on the stored row, plus the list of differences.

    Returns (data, changes). `data` is a copy of the submitted data in which
    the version is the stored one and fields that only the other person changed
    hold the stored value; `changes` lists every field the other person changed,
    with its value before and now, and whether the person also changed it
    (a conflict: their value is kept and shown)."""
    stored = error.stored
    snapshot = error.loaded_snapshot()
    names = [name for name in form.fields if name != "version"]
    stored_values = model_to_dict(stored, fields=names)
    loaded_values = model_to_dict(snapshot, fields=names) if snapshot is not None else None
    data = form.data.copy()
    key = (lambda name: form.add_prefix(name))
    data[key("version")] = str(stored.version)
    changes = []
    for name in names:
        if name not in stored_values:
            continue
        field = form.fields[name]
        now = stored_values[name]
        before = loaded_values.get(name) if loaded_values is not None else None
        if loaded_values is not None and _comparable(before) == _comparable(now):
            continue
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if loaded_values is not None:
            user_changed = field.has_changed(field.prepare_value(before), form[name].data)
        else:
            user_changed = _comparable(mine) != _comparable(now)
        if loaded_values is None and not user_changed:
            continue
        if not user_changed:
            _put(data, field, key(name), now)
        changes.append({
            "label": field.label or name,
            "before": _display(field, before) if loaded_values is not None else None,
            "now": _display(field, now),
            "mine": _display(field, mine) if user_changed else None,
            "conflict": user_changed,
        })
    return data, changes
