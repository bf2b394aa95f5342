"""Demo data of the data-protection registers, called by `seed_demo` after the casework apps:
rights requests in every status (one overdue, one block waiting), one closed breach.
Everything goes through the services; a second run adds nothing."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from conecta import permissions
from conecta.personal_data import recipients_of
from dataprotection.models import RightsRequest, SecurityBreach
from dataprotection.services import breaches as breach_services
from dataprotection.services import requests as services
from participants.models import CaseStatus, Participant

Kind, Channel, Method, Outcome = (RightsRequest.Kind, RightsRequest.Channel, RightsRequest.IdentityMethod,
                                  RightsRequest.Outcome)
ACTIVE = [CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP]


def _answer_letter(text):
    from weasyprint import HTML

    return ContentFile(HTML(string=f"<h1>Respuesta a su solicitud</h1><p>{text}</p>").write_pdf(),
                       name="respuesta-firmada.pdf")


def seed(*, users, seed, stdout):
    manager, desk = users[permissions.MANAGER], users[permissions.RECEPTIONIST]
    today = timezone.localdate()
    days = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    if not RightsRequest.objects.exists():
        # The rectification is for someone the program referred, so there are institutions to tell.
        with_referrals = (Participant.objects.filter(cases__referrals__isnull=False).distinct().order_by("id").first()
                          or Participant.objects.order_by("id").first())
        others = list(Participant.objects.filter(cases__status__in=ACTIVE).exclude(pk=getattr(with_referrals, "pk", None))
                      .distinct().order_by("id")[:6])
        if with_referrals is None or len(others) < 6:
            stdout.write("Protección de datos: faltan personas con casos para las solicitudes de ejemplo.")
            return
        _requests(manager, desk, with_referrals, others, days)
        stdout.write("Protección de datos: 8 solicitudes de derechos de ejemplo.")
    if not SecurityBreach.objects.exists():
        _breach(manager, days)
        stdout.write("Protección de datos: 1 incidente de seguridad de ejemplo.")


def _register(actor, person, kind, received_on, description, **extra):
    return services.rights_request_register(
        actor=actor, kind=kind, received_on=received_on, participant=person, contact=person.email or person.phone,
        description=description, **{"channel": Channel.IN_PERSON, **extra})


def _requests(manager, desk, with_referrals, others, days):
    # Received at the desk two days ago; nobody has looked at it yet.
    _register(desk, others[0], Kind.ACCESS, days(2),
              "Quiere saber qué información tiene el programa sobre él y a quién se le ha enviado.")

    # Rectification, identity checked at the counter; the first recipient was already told.
    rectification = _register(
        desk, with_referrals, Kind.RECTIFICATION, days(6),
        "Su dirección y su teléfono cambiaron hace meses; pide corregirlos y que se avise a las instituciones "
        "a las que fue derivado.", identity_method=Method.ID_CARD)
    recipients = recipients_of(with_referrals)
    if recipients:
        services.recipient_notice_record(rights_request=rectification, recipient=recipients[0], actor=manager,
                                         informed_on=days(2), means="Correo electrónico a la encargada de la institución")

    # Suppression whose term was extended before it ran out.
    suppression = _register(desk, others[1], Kind.SUPPRESSION, days(28),
                            "Pide borrar el registro de una derivación a tratamiento de drogas que no aceptó.",
                            identity_method=Method.ID_CARD)
    services.rights_request_extend(rights_request=suppression, actor=manager, extended_on=days(6),
                                   reason="Se consulta a la institución si mantiene copia de los datos enviados.",
                                   version=suppression.version)

    # Access answered in time, with the signed receipt as proof.
    access = _register(desk, others[2], Kind.ACCESS, days(40), "Pide una copia de todos sus datos.",
                       identity_method=Method.ID_CARD)
    text = ("Se entregó en persona el informe de sus datos personales (PDF) con su origen, finalidades, "
            "destinatarios y plazos de conservación. La persona firmó el acuse de recibo.")
    services.rights_request_answer(rights_request=access, actor=manager, answered_on=days(25), outcome=Outcome.GRANTED,
                                   answer=text, proof=_answer_letter(text), version=access.version)

    # Opposition refused on a legal ground.
    opposition = _register(manager, others[3], Kind.OPPOSITION, days(20),
                           "Se opone a que el programa informe su asistencia al Centro de Reinserción Social.",
                           channel=Channel.EMAIL, identity_method=Method.CLAVE_UNICA)
    services.rights_request_answer(
        rights_request=opposition, actor=manager, answered_on=days(8), outcome=Outcome.REFUSED,
        answer="Se rechaza: la asistencia se informa a Gendarmería por obligación legal mientras cumple su pena "
               "sustitutiva (Ley 18.216). Puede reclamar ante la Agencia de Protección de Datos Personales.",
        version=opposition.version)

    # Portability past its term: the manager's home shows it as overdue.
    portability = _register(desk, others[4], Kind.PORTABILITY, days(38),
                            "Quiere sus datos en un archivo para llevarlos a un programa de otra comuna.",
                            channel=Channel.OFFICE)
    services.rights_request_verify_identity(rights_request=portability, actor=manager, method=Method.ID_CARD,
                                            verified_on=days(36), version=portability.version)

    # Blocking received yesterday: two business days to apply it.
    _register(desk, others[5], Kind.BLOCKING, days(1),
              "Mientras se revisa su reclamo por datos de salud mal registrados, pide que no se usen sus datos.",
              identity_method=Method.ID_CARD)

    # Someone the program never registered.
    stranger = services.rights_request_register(
        actor=desk, kind=Kind.ACCESS, received_on=days(12), participant=None, subject_name="Jorge Andrés Salinas Mora",
        subject_rut="15234567-4", channel=Channel.LETTER, contact="Pasaje Los Aromos 1450, Las Condes",
        description="Pregunta si el programa tiene datos suyos porque un vecino le dijo que lo habían derivado.",
        identity_method=Method.NOTARISED)
    services.rights_request_answer(
        rights_request=stranger, actor=manager, answered_on=days(5), outcome=Outcome.GRANTED,
        answer="Revisado el registro, el programa no tiene ni ha tenido datos personales suyos.",
        version=stranger.version)


def _breach(manager, days):
    breach = SecurityBreach(
        title="Planilla de asistencia enviada a un destinatario equivocado",
        nature=SecurityBreach.Nature.CONFIDENTIALITY,
        description="Una planilla con nombres, RUT y teléfonos de los inscritos en un taller se envió por correo a "
                    "una dirección externa que no correspondía.",
        data_categories=[SecurityBreach.DataCategory.IDENTITY],
        affected_count=14,
        likely_effects="Bajo riesgo: la planilla no incluye antecedentes penales ni datos de salud, pero permite "
                       "identificar a personas atendidas por el programa.",
        measures_taken="Se pidió al destinatario borrar el correo y confirmarlo por escrito (confirmado). "
                       "Las planillas se envían ahora solo dentro del dominio municipal.",
        measures_proposed="Capacitación del equipo en envío de documentos con datos personales.",
        occurred_on=days(50), detected_on=days(49), agency_notified_on=days(47), people_notified_on=days(46),
        people_notification_means="Llamado telefónico a cada persona, registrado en su ficha",
        closed_on=days(40),
    )
    breach_services.breach_record(breach=breach, actor=manager)
