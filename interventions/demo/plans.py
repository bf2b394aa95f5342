"""Demo plans: cases in intervention, exited or in follow-up get a plan with
objectives tied to their high-need domains (when assessed), actions some
overdue, some due this week, some done, progress reviews, and approvals."""

import datetime

from django.utils import timezone

from conecta import permissions
from interventions.models import Area, Plan, PlanSection
from interventions.selectors.plans import objective_suggestions
from interventions.services import plans as services
from participants.models import Case, CaseStatus

OBJECTIVES = {
    Area.PSYCHOLOGICAL: [
        ("Reconocer situaciones de riesgo y ensayar respuestas alternativas al consumo y a la violencia.",
         ["Sesiones individuales quincenales con foco en regulación emocional", "Aplicar registro de situaciones de riesgo"]),
        ("Fortalecer la motivación al cambio y el proyecto de vida.",
         ["Entrevista motivacional de seguimiento", "Construir línea de vida con metas a seis meses"]),
    ],
    Area.SOCIAL: [
        ("Regularizar documentación y acceso a beneficios sociales.",
         ["Actualizar Registro Social de Hogares", "Postular a subsidio de arriendo con la DIDECO"]),
        ("Fortalecer la red de apoyo familiar.",
         ["Visita domiciliaria con la familia", "Sesión familiar sobre acuerdos de convivencia"]),
    ],
    Area.OCCUPATIONAL: [
        ("Completar un curso de capacitación en oficio con certificación.",
         ["Inscribir en curso OTEC municipal", "Acompañar asistencia al curso"]),
        ("Acceder a un empleo formal con contrato.",
         ["Elaborar currículum y preparar entrevista", "Derivar a OMIL para intermediación laboral"]),
    ],
}
AREA_ROLE = {Area.PSYCHOLOGICAL: permissions.PSYCHOLOGIST, Area.SOCIAL: permissions.SOCIAL_WORKER,
             Area.OCCUPATIONAL: permissions.OCCUPATIONAL_THERAPIST}
NEEDS = {
    Area.PSYCHOLOGICAL: "Impulsividad y consumo problemático de alcohol en contextos de pares; motivación ambivalente.",
    Area.SOCIAL: "Hogar con hacinamiento, documentación incompleta y red familiar tensionada.",
    Area.OCCUPATIONAL: "Trayectoria laboral informal, sin oficio certificado; interés en gastronomía y construcción.",
}
PROGRESS = [
    "Asiste regularmente; identifica dos situaciones de riesgo y las conversa en sesión.",
    "Avance parcial: completó la postulación, pendiente la respuesta de la institución.",
    "Mantiene asistencia al curso (85 %). Refiere mayor organización de su rutina.",
    "Se reprograman acciones por problemas de salud de un familiar; se acuerdan nuevos plazos.",
]


def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
    if Plan.objects.exists():
        return
    today = timezone.localdate()
    cases = list(Case.objects.filter(status__in=[CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP])
                 .select_related("participant").order_by("pk"))
    manager = users[permissions.MANAGER]
    submitted_left = 3
    for index, case in enumerate(cases):
        actor = users[permissions.PSYCHOLOGIST]
        if case.status == CaseStatus.INTERVENTION:
            plan = services.plan_create(case=case, actor=actor)
        else:
            # Cases that already left intervention had their plan made back then; the service only
            # opens plans for current cases, so the demo builds the same rows through its helper.
            plan = services.plan_rows_create(case=case, actor=actor)
        start = case.intervention_started_on or case.admitted_on or case.applied_on
        # Plans of exited cases were worked until the exit: their dates end there.
        until = min(today, case.exited_on) if case.exited_on else today
        for area in Area.values:
            _fill_section(plan=plan, area=area, user=users[AREA_ROLE[area]], start=start, today=until, rng=rng,
                          finished=case.status != CaseStatus.INTERVENTION)
        agreed = max(case.applied_on, min(until, start + datetime.timedelta(days=rng.randint(5, 20))))
        services.plan_agree(plan=plan, version=plan.version, actor=actor, agreed_on=agreed,
                            notes="La persona revisó su plan y firmó el acuerdo en sesión.")
        if case.status != CaseStatus.INTERVENTION or index % 3 == 0:
            approved_on = min(today, agreed + datetime.timedelta(days=3))
            services.plan_submit(plan=plan, actor=actor, at=timezone.make_aware(
                datetime.datetime.combine(min(today, agreed + datetime.timedelta(days=1)), datetime.time(12))))
            services.plan_approve(plan=plan, actor=manager, approve=True, on=approved_on)
        elif submitted_left:
            submitted_left -= 1
            services.plan_submit(plan=plan, actor=actor)
    stdout.write(f"  planes: {Plan.objects.count()} ({Plan.objects.filter(status='approved').count()} aprobados)")


def _fill_section(*, plan, area, user, start, today, rng, finished):
    section = PlanSection.objects.get(plan=plan, area=area)
    objectives = []
    final_status = rng.choice(["achieved", "partly"]) if finished else None
    for result in objective_suggestions(case=plan.case, area=area)[:2]:
        objectives.append({"id": None, "text": result.domain.suggested_objective or result.domain.name,
                           "domain": result.domain, "status": final_status or "in_progress"})
    for text, _actions in OBJECTIVES[area][: max(0, 2 - len(objectives))]:
        objectives.append({"id": None, "text": text, "domain": None, "status": final_status or rng.choice(["pending", "in_progress"])})
    actions = []
    action_texts = [a for _text, group in OBJECTIVES[area] for a in group]
    for position in range(len(objectives)):
        for k in range(2):
            offset = rng.choice([-40, -25, -12, -4]) if finished else rng.choice([-12, -4, 2, 5, 20, 45])
            done = offset < 0 and (finished or rng.random() < 0.5)
            actions.append({
                "id": None, "objective": position, "description": action_texts[(2 * position + k) % len(action_texts)],
                "responsible": user, "due_on": today + datetime.timedelta(days=offset),
                "status": "done" if done else rng.choice(["pending", "in_progress"]),
                "done_on": today + datetime.timedelta(days=offset - 1) if done else None,
            })
    services.plan_section_save(section=section, actor=user, revision=section.revision, needs_summary=NEEDS[area],
                               objectives=objectives, actions=actions)
    first_review = start + datetime.timedelta(days=rng.randint(25, 40))
    if first_review < today:
        next_on = None if finished else today + datetime.timedelta(days=rng.choice([-3, 2, 6, 30]))
        if next_on:
            next_on = max(next_on, first_review + datetime.timedelta(days=1))
        services.plan_review_add(section=section, actor=user, reviewed_on=min(first_review, today),
                                 progress=rng.choice(PROGRESS), next_review_on=next_on)
