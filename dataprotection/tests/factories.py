"""Rights requests and breaches for tests, made through the services like the app makes them."""

import datetime

from django.utils import timezone

from dataprotection.models import RightsRequest, SecurityBreach
from dataprotection.services import breaches as breach_services
from dataprotection.services import requests as services


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def make_request(actor, *, participant=None, kind=RightsRequest.Kind.ACCESS, received_on=None, verified=False,
                 **extra):
    values = {"channel": RightsRequest.Channel.IN_PERSON, "contact": "persona@example.cl",
              "description": "Quiere conocer sus datos.", **extra}
    if participant is None:
        values.setdefault("subject_name", "Persona Sin Registro")
    return services.rights_request_register(
        actor=actor, kind=kind, received_on=received_on or days_ago(3), participant=participant,
        identity_method=RightsRequest.IdentityMethod.ID_CARD if verified else "", **values)


def make_breach(actor, **overrides):
    values = {
        "title": "Correo enviado a un destinatario equivocado", "nature": SecurityBreach.Nature.CONFIDENTIALITY,
        "description": "Una planilla con datos de contacto salió del municipio.",
        "data_categories": [SecurityBreach.DataCategory.IDENTITY], "affected_count": 10,
        "likely_effects": "Riesgo bajo.", "measures_taken": "Se pidió borrar el correo.",
        "occurred_on": days_ago(10), "detected_on": days_ago(9), **overrides,
    }
    return breach_services.breach_record(breach=SecurityBreach(**values), actor=actor)
