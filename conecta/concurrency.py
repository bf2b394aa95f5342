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
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _, gettext_lazy

from conecta.errors import DomainError


class VersionedModel(models.Model):
    """Every save of an existing row moves `version` on, whichever service saves it,
    so an edit form loaded before any change (a status move too) is refused.

    A model whose `version` already means something else (a consent's document
    version, an instrument's version number) overrides `version` with its own
    field and names its lock counter in `version_field` (e.g. "edit_version").
    A partial save (`update_fields`) that leaves the counter out is not an edit
    (e.g. the professional acknowledging an arrival notice): it keeps the version."""

    version = models.PositiveIntegerField(default=0, editable=False)
    version_field = "version"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or self.version_field in update_fields):
            setattr(self, self.version_field, (lock_version(self) or 0) + 1)
        super().save(*args, **kwargs)


def lock_version(obj):
    """The optimistic-lock counter of a versioned record."""
    return getattr(obj, getattr(obj, "version_field", "version"))


class StaleEditError(DomainError):
    def __init__(self, *, stored, loaded_version, message=None):
        super().__init__(message or _("Otra persona guardó cambios en este registro mientras usted lo editaba. "
                                      "No se guardó nada: revise los cambios, su formulario ya los incorpora, "
                                      "y vuelva a guardar."))
        self.stored = stored
        self.loaded_version = loaded_version

    def loaded_record(self):
        """The history row of the version the person loaded (None if history has no such version).

        Several rows may share a version (many-to-many changes add rows after the
        save): the last one is the state the person saw."""
        history = getattr(self.stored, "history", None)
        if history is None or self.loaded_version is None:
            return None
        field = getattr(self.stored, "version_field", "version")
        return (history.filter(**{field: self.loaded_version})
                .order_by("-history_date", "-history_id").first())

    def loaded_snapshot(self):
        """The record as the person loaded it, from its history (None if history has no such version)."""
        record = self.loaded_record()
        return record.instance if record is not None else None

    def loaded_values(self, names):
        """{field name: value} of the loaded version, many-to-many included (as lists of ids)."""
        record = self.loaded_record()
        if record is None:
            return None
        return record_values(record, names)

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
    if version is None or lock_version(stored) != int(version):
        raise StaleEditError(stored=stored, loaded_version=version)
    setattr(instance, instance.version_field, lock_version(stored))
    return stored


def version_of(obj):
    return lock_version(obj) if obj is not None and obj.pk else 0


class VersionedFormMixin:
    """Adds the hidden `version` the person loaded; services receive it as `version=`.

    A model form takes the version of its `instance`; a plain form about one
    record (a status move, a withdrawal) names it with `record=`."""

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = record if record is not None else getattr(self, "instance", None)
        # A new record has no version to check.
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
            initial=version_of(instance), required=bool(instance is not None and instance.pk),
            error_messages={"required": gettext_lazy("Falta la versión del registro: recargue la página."),
                            "invalid": gettext_lazy("La versión del registro no es válida: recargue la página.")},
        )


def record_values(record, names):
    """Values of `names` in a simple-history row; many-to-many as lists of ids (from the
    historical through rows), since the row's `.instance` would read today's relation."""
    model = record.instance_type
    values = {}
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            if name in {f.name for f in getattr(record, "_history_m2m_fields", ())}:
                target = field.m2m_reverse_field_name()
                values[name] = [getattr(row, f"{target}_id") for row in getattr(record, name).all()]
        elif field.concrete and hasattr(record, field.attname):
            values[name] = getattr(record, field.attname)
    return values


def current_values(instance, names):
    """The same shape as `record_values`, read from the stored row."""
    values = {}
    for name in names:
        try:
            field = type(instance)._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            values[name] = list(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.concrete:
            values[name] = getattr(instance, field.attname)
    return values


# Bookkeeping fields never listed as "what changed".
_QUIET_FIELDS = {"id", "version", "edit_version", "updated_at", "updated_by", "created_at", "created_by",
                 "recorded_at", "search_text"}


def _display(field, value):
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.BooleanField):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): label for key, label in _flat_choices(choices)}
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(str(labels.get(str(getattr(v, "pk", v)), v)) for v in values)
    return str(value)


def display_model_value(field, value):
    """A stored value of a model field that the form does not show, in words."""
    if value in (None, "", [], ()):
        return "—"
    if field.is_relation and field.related_model is not None:
        ids = value if isinstance(value, (list, tuple)) else [value]
        related = field.related_model._default_manager.filter(pk__in=ids)
        return ", ".join(str(obj) for obj in related) or "—"
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield getattr(key, "value", key), label


def _comparable(value):
    if isinstance(value, (list, tuple)) or hasattr(value, "values_list"):
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
        local = timezone.localtime(prepared) if timezone.is_aware(prepared) else prepared
        data[name] = local.strftime("%Y-%m-%dT%H:%M")
    elif isinstance(prepared, datetime.date):
        data[name] = prepared.strftime("%Y-%m-%d")
    else:
        data[name] = "" if prepared is None else str(prepared)


def other_changes(error, *, exclude=()):
    """What the other person changed in fields this form does not show (a status, a
    date set by a move), before and now, from the history. Empty without history."""
    stored = error.stored
    record = error.loaded_record()
    if record is None:
        return []
    model = type(stored)
    names = [f.name for f in record._meta.fields
             if f.name not in exclude and f.name not in _QUIET_FIELDS and not f.name.startswith("history_")]
    before = record_values(record, names)
    now = current_values(stored, names)
    changes = []
    for name in names:
        if name not in before or name not in now or _comparable(before[name]) == _comparable(now[name]):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        changes.append({
            "label": capfirst(field.verbose_name), "before": display_model_value(field, before[name]),
            "now": display_model_value(field, now[name]), "mine": None, "conflict": False, "in_form": False,
        })
    return changes


def stale_summary(error, *, what=None):
    """A refused one-click move (a button on a page loaded before someone else changed the
    record), in one message: nothing was done, and what the other person changed."""
    changes = "; ".join(f"{change['label']}: {change['before']} → {change['now']}" for change in other_changes(error))
    message = what or _("Otra persona cambió este registro después de que usted cargó la página: no se hizo nada.")
    if changes:
        message = f"{message} {changes}."
    return f"{message} " + _("Revise su estado actual y vuelva a intentarlo si corresponde.")


def rebase(form, error, *, prefix=None):
    """The stale form rebased on the stored row, plus the list of differences.

    Returns (data, changes). `data` is a copy of the submitted data in which
    the version is the stored one and fields that only the other person changed
    hold the stored value; `changes` lists every field the other person changed,
    with its value before and now, and whether the person also changed it
    (a conflict: their value is kept and shown). Fields of the record that the
    form does not show (a status moved by someone else) are listed too, marked
    `in_form: False`."""
    stored = error.stored
    names = [name for name in form.fields if name != "version"]
    stored_values = current_values(stored, names)
    loaded_values = error.loaded_values(names)
    data = form.data.copy()
    key = (lambda name: form.add_prefix(name))
    data[key("version")] = str(lock_version(stored))
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
            "in_form": True,
        })
    return data, changes + other_changes(error, exclude=names)
