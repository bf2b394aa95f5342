"""Demo data: the local network catalogue of Las Condes and the metropolitan region (the kinds of
partner seed 001 lists, with the institutions that serve Las Condes; a Quillota demo would bring
its own) and referrals of cases in intervention or after exit, across every status."""

import datetime

from django.utils import timezone

from conecta import permissions
from conecta.models import Institution
from conecta.services import reference_save
from interventions.models import Referral
from interventions.services import referrals as services
from participants.models import Case, CaseStatus

Kind, Level = Institution.Kind, Institution.Level
ALLIANCE = "Alianza colaborativa en procesos asociados al desarrollo del programa."

# (name, kind, level, services, agreement detail, agreement start). Names the people seed already
# created (participants.management.commands.seed_demo.INSTITUTIONS) are completed, not duplicated.
NETWORK = [
    ("Seremía de Justicia y Derechos Humanos RM", Kind.JUSTICE, Level.REGIONAL, ALLIANCE, "", None),
    ("Dirección Regional Metropolitana de Gendarmería de Chile", Kind.JUSTICE, Level.REGIONAL, ALLIANCE, "", None),
    ("Centro de Reinserción Social Santiago Oriente (Gendarmería)", Kind.JUSTICE, Level.REGIONAL,
     "Vinculación con la red de apoyo de quienes cumplen penas en libertad; apoyo, asesoramiento y seguimiento "
     "conjunto para casos Decreto Ley 409 (eliminación de antecedentes).",
     "Convenio de colaboración desde 2019", datetime.date(2019, 3, 1)),
    ("Oficina Municipal de Intermediación Laboral (OMIL) Las Condes", Kind.EMPLOYMENT, Level.COMMUNAL,
     "Principal red de apoyo municipal para colocaciones laborales de quienes se incorporan al medio libre; "
     "oportunidades de capacitación en oficio.", "", None),
    ("OTEC Municipal de Capacitación", Kind.TRAINING, Level.COMMUNAL,
     "Capacitación por derivación municipal, con rebaja del costo de 50% o 100% según informe social.",
     "Rebaja de arancel por informe social del programa", datetime.date(2024, 3, 1)),
    ("Programa Abriendo Caminos", Kind.SOCIAL, Level.COMMUNAL,
     "Programa del Ministerio de Desarrollo Social; trabajo conjunto en casos comunes de familias con un "
     "integrante privado de libertad.", "", None),
    ("Fondo de Solidaridad e Inversión Social (FOSIS) RM", Kind.SOCIAL, Level.REGIONAL,
     "Apoyo socioeconómico para el emprendimiento: financiamiento de mercadería o maquinaria.", "", None),
    ("COSAM Las Condes", Kind.ADDICTION, Level.COMMUNAL,
     "Tratamiento ambulatorio de salud mental y consumo de drogas ante recaídas significativas; orientación "
     "al grupo familiar.", "", None),
    ("SENDA Previene Las Condes", Kind.ADDICTION, Level.COMMUNAL,
     "Orientación sobre los distintos consumos problemáticos.", "", None),
    ("Servicio de Vivienda y Urbanización (SERVIU)", Kind.HOUSING, Level.REGIONAL,
     "Acompañamiento y asesoría para el acceso a la vivienda de beneficiarios directos e indirectos; "
     "charlas informativas.", "", None),
    ("Dirección de Desarrollo Comunitario Las Condes", Kind.SOCIAL, Level.COMMUNAL,
     "Registro Social de Hogares, beneficios y subsidios municipales.", "", None),
    ("Universidad de Chile, Área de Trabajo Social", Kind.EDUCATION, Level.REGIONAL,
     "Área de Trabajo Social de la Universidad de Chile: prácticas profesionales y apoyo técnico.",
     "Convenio de práctica profesional", datetime.date(2023, 3, 1)),
]

# Contact desks of a few institutions (name, phone, e-mail), as the social worker keeps them.
CONTACTS = {
    "Centro de Reinserción Social Santiago Oriente (Gendarmería)": (
        "Delegada de libertad vigilada", "+56 2 2916 3400", "crs.oriente@example.cl"),
    "Oficina Municipal de Intermediación Laboral (OMIL) Las Condes": (
        "Encargada OMIL", "+56 2 2952 5200", "omil@example-lascondes.cl"),
    "COSAM Las Condes": ("Coordinación clínica", "+56 2 2952 7100", "cosam@example-lascondes.cl"),
    "SENDA Previene Las Condes": ("Coordinador comunal", "+56 2 2952 7300", "previene@example-lascondes.cl"),
}

# (institution name, need, detail of the request)
REQUESTS = [
    ("Oficina Municipal de Intermediación Laboral (OMIL) Las Condes", Referral.Need.EMPLOYMENT,
     "Inscripción en bolsa de empleo y apoyo en búsqueda de trabajo formal con contrato."),
    ("OTEC Municipal de Capacitación", Referral.Need.TRAINING,
     "Postulación a curso de soldadura con rebaja de arancel según informe social."),
    ("COSAM Las Condes", Referral.Need.ADDICTION,
     "Evaluación para tratamiento ambulatorio por recaída en consumo de pasta base."),
    ("SENDA Previene Las Condes", Referral.Need.ADDICTION, "Orientación por consumo problemático de alcohol."),
    ("Servicio de Vivienda y Urbanización (SERVIU)", Referral.Need.HOUSING,
     "Orientación para postular al subsidio habitacional DS49 junto a su pareja."),
    ("Centro de Reinserción Social Santiago Oriente (Gendarmería)", Referral.Need.LEGAL,
     "Orientación para la omisión y eliminación de antecedentes penales (DL 409)."),
    ("Programa Abriendo Caminos", Referral.Need.FAMILY,
     "Apoyo a hijos e hija menores de edad durante el proceso de reinserción del padre."),
    ("Fondo de Solidaridad e Inversión Social (FOSIS) RM", Referral.Need.BENEFITS,
     "Postulación a apoyo para compra de maquinaria de emprendimiento de costura."),
    ("CESFAM Apoquindo", Referral.Need.MENTAL_HEALTH, "Evaluación psiquiátrica y control de salud mental."),
    ("Dirección de Desarrollo Comunitario Las Condes", Referral.Need.BENEFITS,
     "Actualización del Registro Social de Hogares y postulación a beneficios municipales."),
]

OUTCOMES = {
    Referral.Need.EMPLOYMENT: "Quedó inscrito en la bolsa de empleo; participó en dos entrevistas laborales.",
    Referral.Need.TRAINING: "Completó el curso y obtuvo certificado.",
    Referral.Need.ADDICTION: "Ingresó a tratamiento y mantiene asistencia regular a controles.",
    Referral.Need.HOUSING: "Recibió orientación y reunió los documentos para postular al subsidio.",
    Referral.Need.LEGAL: "Inició el trámite de eliminación de antecedentes con apoyo del CRS.",
    Referral.Need.FAMILY: "La familia fue incorporada al programa con acompañamiento psicosocial.",
    Referral.Need.BENEFITS: "Registro Social de Hogares actualizado; se revisarán beneficios disponibles.",
    Referral.Need.MENTAL_HEALTH: "Fue evaluado y quedó en control mensual en el CESFAM.",
}

# Target status of each referral, cycled; the first ones stay waiting for an answer a long time.
STATUS_CYCLE = [
    Referral.Status.SENT, Referral.Status.COMPLETED, Referral.Status.ACCEPTED, Referral.Status.SENT,
    Referral.Status.ATTENDED, Referral.Status.REJECTED, Referral.Status.COMPLETED, Referral.Status.NO_ANSWER,
    Referral.Status.SENT, Referral.Status.ACCEPTED,
]
PATHS = {
    Referral.Status.SENT: [],
    Referral.Status.ACCEPTED: [Referral.Status.ACCEPTED],
    Referral.Status.ATTENDED: [Referral.Status.ACCEPTED, Referral.Status.ATTENDED],
    Referral.Status.COMPLETED: [Referral.Status.ACCEPTED, Referral.Status.ATTENDED, Referral.Status.COMPLETED],
    Referral.Status.REJECTED: [Referral.Status.REJECTED],
    Referral.Status.NO_ANSWER: [Referral.Status.NO_ANSWER],
}
NOTES = {
    Referral.Status.ACCEPTED: "La institución confirma cupo por correo.",
    Referral.Status.ATTENDED: "Asistió a la primera atención.",
    Referral.Status.COMPLETED: "La institución informa el término de la atención.",
    Referral.Status.REJECTED: "No cumple los requisitos de ingreso de la institución.",
    Referral.Status.NO_ANSWER: "Sin respuesta tras tres llamados y dos correos.",
}
TARGET = 30


def seed_network(*, actor):
    for name, kind, level, services_text, agreement, start in NETWORK:
        institution, created = Institution.objects.get_or_create(name=name, defaults={"kind": kind, "level": level})
        if not created and institution.services:
            continue
        if created:
            institution.kind, institution.level = kind, level
        institution.services = services_text
        if name in CONTACTS and not institution.phone:
            institution.contact_name, institution.phone, institution.email = CONTACTS[name]
        if agreement:
            institution.has_agreement, institution.agreement_detail, institution.agreement_start = True, agreement, start
        reference_save(instance=institution, actor=actor, reason="Catastro de redes (datos de demostración)",
                       version=institution.version)
    # One agreement that has lapsed, so the catalogue shows how an expired one looks.
    lapsed = Institution.objects.get(name="Universidad de Chile, Área de Trabajo Social")
    if not lapsed.agreement_end:
        lapsed.agreement_end = timezone.localdate() - datetime.timedelta(days=45)
        reference_save(instance=lapsed, actor=actor, reason="Catastro de redes (datos de demostración)",
                       version=lapsed.version)


def seed(*, users, rng, stdout):
    manager = users[permissions.MANAGER]
    seed_network(actor=manager)
    if Referral.objects.exists():
        return
    today = timezone.localdate()
    institutions = {i.name: i for i in Institution.objects.filter(active=True)}
    requests = [r for r in REQUESTS if r[0] in institutions]
    cases = list(Case.objects.filter(status__in=[CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP])
                 .select_related("participant").order_by("pk"))
    authors = [users[permissions.SOCIAL_WORKER]] * 3 + [users[permissions.PSYCHOLOGIST],
                                                        users[permissions.OCCUPATIONAL_THERAPIST]]
    made = 0
    for index in range(TARGET * 2):
        if made >= TARGET or not cases:
            break
        case = cases[index % len(cases)]
        start = case.admitted_on or case.applied_on
        room = (today - start).days
        if room < 10:
            continue
        target = STATUS_CYCLE[made % len(STATUS_CYCLE)]
        steps = PATHS[target]
        # Waiting ones: a few for more than 20 days, the rest recent.
        if target == Referral.Status.SENT:
            age = rng.randint(22, min(room, 60)) if made % 2 == 0 and room > 22 else rng.randint(2, min(room, 18))
        else:
            age = rng.randint(min(room, 12 * (len(steps) + 1)), min(room, 150)) if room > 12 else room
        sent_on = today - datetime.timedelta(days=age)
        name, need, detail = requests[made % len(requests)]
        actor = authors[made % len(authors)]
        followup = sent_on + datetime.timedelta(days=rng.choice([7, 10, 14, 21]))
        if followup < today and rng.random() < 0.6:
            followup = today + datetime.timedelta(days=rng.randint(0, 6))
        referral = services.referral_create(case=case, institution=institutions[name], need=need, detail=detail,
                                            sent_on=sent_on, actor=actor, next_followup_on=followup)
        date = sent_on
        for status in steps:
            date = min(today, date + datetime.timedelta(days=rng.randint(3, max(3, age // (len(steps) + 1)))))
            outcome = OUTCOMES.get(need, "") if status in (Referral.Status.COMPLETED, Referral.Status.ATTENDED) else ""
            if status == Referral.Status.REJECTED:
                outcome = "Rechazada: se buscará una alternativa en la red."
            referral = services.referral_transition(referral=referral, to_status=status, date=date, actor=actor,
                                                    note=NOTES[status], outcome=outcome)
        made += 1
    stdout.write(f"Red local: {Institution.objects.count()} instituciones, {made} derivaciones de demostración.")
