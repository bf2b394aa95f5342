"""Demo assessments: intake screening and motivation for most admitted cases, an exit screening for
cases that left the program (so the comparison shows change), and some socio-family and occupational ones."""

import datetime

from conecta import permissions
from interventions.models import Assessment, Instrument, Item
from interventions.selectors.assessments import instrument_detail
from interventions.services import assessments as services
from participants.models import Case, CaseStatus

SCREENING = "tamizaje-riesgo-necesidades"
MOTIVATION = "motivacion-cambio"
SOCIO_FAMILY = "evaluacion-sociofamiliar"
OCCUPATIONAL = "perfil-ocupacional"

TEXT_ANSWERS = {
    "¿Qué le gustaría que fuera distinto en su vida en un año más?": [
        "Tener un trabajo estable con contrato y arrendar algo para vivir con mis hijos.",
        "Terminar el cuarto medio y dejar de tener problemas con la justicia.",
        "Recuperar la confianza de mi familia y poner un negocio de comida.",
    ],
    "¿Qué le ha ayudado antes a cumplir una meta difícil?": [
        "El apoyo de mi mamá y tener una rutina con horarios.",
        "Cuando trabajé en la construcción, el maestro me enseñó y me dio responsabilidades.",
        "Ir al gimnasio del barrio y alejarme de los amigos de antes.",
    ],
}
GENERIC_TEXT = [
    "Vive con su madre y dos hermanos en una casa arrendada del sector; relación cercana con la madre.",
    "Trabajó dos años como ayudante de bodega (término de contrato) y luego en ferias libres sin contrato.",
    "Interés en soldadura y en mantención de edificios; también en un carro de comida propio.",
    "Se relaciona con CESFAM Apoquindo y con la OMIL; inscrito en el Registro Social de Hogares.",
    "Cuida a su hija por las tardes; firma mensual en el CRS los primeros lunes de cada mes.",
    "Sabe de pintura, gasfitería básica y atención de público.",
]
STRENGTHS = [
    "Reconoce la necesidad de cambio y asiste puntualmente a las sesiones. Cuenta con el apoyo de su madre.",
    "Experiencia laboral previa en construcción; buena disposición para capacitarse. Vínculo positivo con su hija.",
    "Habilidades sociales y de comunicación; participa en el club deportivo del barrio.",
    "Mantiene abstinencia de drogas desde hace tres meses y tiene metas laborales claras.",
]
NEED_CONCLUSIONS = {
    "very_high": "Necesidades muy altas en varios dominios; se priorizan en el Plan de Intervención Individual, "
                 "con sesiones semanales y derivación a la red especializada.",
    "high": "Se observan necesidades altas en los dominios señalados; se priorizan en el Plan de Intervención "
            "Individual, con derivación a la red cuando corresponde.",
    "moderate": "Necesidades moderadas, concentradas en pocos dominios; se abordan en el plan y en los talleres "
                "del programa.",
    "low": "Necesidades bajas; el plan se centra en la inserción laboral y en sostener los factores protectores.",
}
STAGE_CONCLUSION = ("Etapa de cambio estimada: %s. Se ajusta la intervención a esta etapa con entrevista "
                    "motivacional y metas acordadas con la persona.")


def _answers(instrument, rng, severity):
    """Answers leaning to higher-scored options as `severity` (0…1) grows, a little noise per item.

    Higher scores mean more need, except in motivation, where they mean a later stage of change."""
    answers = {}
    for domain in instrument.domain_list:
        domain_severity = min(1.0, max(0.0, severity + rng.uniform(-0.25, 0.25)))
        for item in domain.item_list:
            if item.kind == Item.Kind.CHOICE:
                options = sorted(item.option_list, key=lambda o: o.score)
                index = round(domain_severity * (len(options) - 1) + rng.uniform(-0.5, 0.5))
                answers[item.pk] = options[min(len(options) - 1, max(0, index))]
            else:
                answers[item.pk] = rng.choice(TEXT_ANSWERS.get(item.text, GENERIC_TEXT))
    return answers


def _conclusions(instrument, answers):
    """What the professional would conclude from these answers' total (same cut-offs as the scoring)."""
    total = sum(value.score for value in answers.values() if not isinstance(value, str))
    cutoff = services.cutoff_for(total, instrument.total_cutoffs)
    if cutoff is None:
        return ""
    if instrument.kind == Instrument.Kind.MOTIVATION:
        return STAGE_CONCLUSION % cutoff.label.lower()
    return NEED_CONCLUSIONS.get(cutoff.level, "")


def _apply(*, case, instrument, actor, on, rng, severity, complete=True):
    answers = _answers(instrument, rng, severity)
    return services.assessment_create(
        case=case, instrument=instrument, actor=actor, applied_on=on, answers=answers,
        strengths=rng.choice(STRENGTHS), conclusions=_conclusions(instrument, answers) if complete else "",
        complete=complete,
    )


def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
    if Assessment.objects.exists():
        return
    instruments = {
        code: instrument_detail(pk=Instrument.objects.get(code=code, status=Instrument.Status.ACTIVE).pk)
        for code in (SCREENING, MOTIVATION, SOCIO_FAMILY, OCCUPATIONAL)
    }
    today = datetime.date.today()
    cases = Case.objects.filter(
        status__in=[CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP]
    ).select_related("psychologist", "social_worker", "occupational_therapist").order_by("pk")
    created = 0
    drafts_left = 2
    for case in cases:
        if rng.random() < 0.15:
            continue  # a few cases are still waiting for their first assessment
        psychologist = case.psychologist or users[permissions.PSYCHOLOGIST]
        start = case.admitted_on or case.applied_on
        intake_on = min(today, start + datetime.timedelta(days=rng.randint(3, 12)))
        severity = rng.uniform(0.25, 0.8)
        # Diagnosis cases may still have the screening half-done (shown on the professional's home).
        if case.status == CaseStatus.DIAGNOSIS and drafts_left:
            drafts_left -= 1
            _apply(case=case, instrument=instruments[SCREENING], actor=psychologist, on=intake_on, rng=rng,
                   severity=severity, complete=False)
            created += 1
            continue
        _apply(case=case, instrument=instruments[SCREENING], actor=psychologist, on=intake_on, rng=rng,
               severity=severity)
        readiness = rng.uniform(0.2, 0.6)
        _apply(case=case, instrument=instruments[MOTIVATION], actor=psychologist, on=intake_on, rng=rng,
               severity=readiness)
        created += 2
        if rng.random() < 0.4:
            _apply(case=case, instrument=instruments[SOCIO_FAMILY], actor=case.social_worker or users[permissions.SOCIAL_WORKER],
                   on=min(today, intake_on + datetime.timedelta(days=7)), rng=rng, severity=severity)
            created += 1
        if rng.random() < 0.4:
            _apply(case=case, instrument=instruments[OCCUPATIONAL],
                   actor=case.occupational_therapist or users[permissions.OCCUPATIONAL_THERAPIST],
                   on=min(today, intake_on + datetime.timedelta(days=10)), rng=rng, severity=severity)
            created += 1
        if case.status in (CaseStatus.EXITED, CaseStatus.FOLLOWUP) and case.exited_on:
            exit_on = max(intake_on, case.exited_on - datetime.timedelta(days=rng.randint(2, 10)))
            improved = max(0.05, severity - rng.uniform(0.2, 0.45))
            _apply(case=case, instrument=instruments[SCREENING], actor=psychologist, on=exit_on, rng=rng,
                   severity=improved)
            _apply(case=case, instrument=instruments[MOTIVATION], actor=psychologist, on=exit_on, rng=rng,
                   severity=min(0.95, readiness + rng.uniform(0.2, 0.4)))
            created += 2
    stdout.write(f"Evaluaciones de demostración: {created}.")
