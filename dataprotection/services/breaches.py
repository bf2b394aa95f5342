"""The breach register: record an incident and keep it up to date until it is closed.

The dates tell the story in order: it occurred, it was detected, the agency and
the people were told, it was closed; none of them in the future. A breach is
closed only when both notifications are decided: a date, or the reason for not
notifying (Ley 21.719 art. 14 sexies)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import check_version
from conecta.errors import DomainError
from conecta.services import save_with_history
from dataprotection.models import SecurityBreach
from dataprotection.services.requests import raise_errors

DATE_FIELDS = ("occurred_on", "detected_on", "agency_notified_on", "people_notified_on", "closed_on")


def breach_errors(values, *, today=None):
    """{field: message} for the values of a breach (a dict of its fields)."""
    today = today or timezone.localdate()
    get = values.get
    errors = {}
    for field in DATE_FIELDS:
        if get(field) and get(field) > today:
            errors[field] = _("La fecha no puede estar en el futuro.")
    occurred, detected = get("occurred_on"), get("detected_on")
    if occurred and detected and detected < occurred and "detected_on" not in errors:
        errors["detected_on"] = _("La detección no puede ser anterior a la fecha en que ocurrió.")
    for field, label in (("agency_notified_on", _("La comunicación a la Agencia")),
                         ("people_notified_on", _("La comunicación a las personas"))):
        if get(field) and detected and get(field) < detected and field not in errors:
            errors[field] = _("%(what)s no puede ser anterior a la detección.") % {"what": label}
    closed = get("closed_on")
    if closed and "closed_on" not in errors:
        floor = max([d for d in (detected, get("agency_notified_on"), get("people_notified_on")) if d], default=None)
        if floor and closed < floor:
            errors["closed_on"] = _("El cierre no puede ser anterior a la detección ni a las comunicaciones "
                                    "(%(date)s).") % {"date": floor.strftime("%d-%m-%Y")}
    if get("people_notified_on") and not (get("people_notification_means") or "").strip():
        errors["people_notification_means"] = _("Indique por qué medio se comunicó a las personas.")
    if closed:
        if not get("agency_notified_on") and not (get("agency_not_notified_reason") or "").strip():
            errors["agency_not_notified_reason"] = _(
                "Para cerrar el incidente, indique la fecha de comunicación a la Agencia o el motivo para no comunicarla.")
        if not get("people_notified_on") and not (get("people_not_notified_reason") or "").strip():
            errors["people_not_notified_reason"] = _(
                "Para cerrar el incidente, indique la fecha de comunicación a las personas o el motivo para no comunicarla.")
    if not get("data_categories"):
        errors["data_categories"] = _("Marque al menos una categoría de datos afectados.")
    return errors


def _values(breach):
    return {field.name: getattr(breach, field.attname) for field in SecurityBreach._meta.concrete_fields}


def _require(actor):
    if not permissions.can_manage_breaches(actor):
        raise DomainError(_("Solo la gestora del programa lleva el registro de incidentes."))


@transaction.atomic
def breach_record(*, breach, actor):
    """Record a new incident (`breach` is an unsaved SecurityBreach)."""
    _require(actor)
    raise_errors(breach_errors(_values(breach)))
    breach.recorded_by = actor
    return save_with_history(breach, actor=actor, reason=_("Incidente registrado"))


@transaction.atomic
def breach_update(*, breach, actor, version):
    _require(actor)
    check_version(breach, version=version)
    raise_errors(breach_errors(_values(breach)))
    reason = _("Incidente cerrado") if breach.closed_on else _("Incidente actualizado")
    return save_with_history(breach, actor=actor, reason=reason)
