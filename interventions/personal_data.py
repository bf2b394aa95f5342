"""Casework in the access export (conecta/personal_data.py): assessments, plans, sessions,
appointments and referrals; and the institutions referrals sent the person's data to."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from conecta import permissions as p
from conecta.personal_data import Recipient, field_values, person_label, register_recipients, register_section
from interventions.models import (
    Answer, Appointment, Area, Assessment, DomainResult, Plan, PlanAction, PlanObjective, PlanReview, Referral, Session,
)


@register_section("assessments", _lazy("Evaluaciones"), order=40, log_sections=[p.SECTION_ASSESSMENTS])
def assessments(person, *, for_person):
    queryset = (Assessment.objects.filter(case__participant=person).select_related("case", "instrument", "professional")
                .prefetch_related(Prefetch("domain_results", queryset=DomainResult.objects.select_related("domain"),
                                           to_attr="results"))
                .order_by("applied_on", "id"))
    rows = []
    for assessment in queryset:
        row = {_("Ingreso"): assessment.case.number, _("Instrumento"): assessment.instrument.name,
               **field_values(assessment, ["applied_on", "professional", "status", "total_score"])}
        row[_("Resultado")] = str(assessment.get_final_level_display() or "")
        row[_("Fundamento del cambio de nivel")] = assessment.override_reason
        row[_("Resultado por dominio")] = "; ".join(
            f"{result.domain.name}: {result.score}/{result.max_score}" + (f" ({result.label})" if result.label else "")
            for result in assessment.results)
        row.update(field_values(assessment, ["strengths", "conclusions"]))
        rows.append(row)
    return rows


@register_section("assessment_answers", _lazy("Respuestas de las evaluaciones"), order=41,
                  log_sections=[p.SECTION_ASSESSMENTS])
def assessment_answers(person, *, for_person):
    answers = (Answer.objects.filter(assessment__case__participant=person)
               .select_related("assessment__instrument", "item__domain", "option")
               .order_by("assessment__applied_on", "assessment_id", "item__domain__order", "item__order", "id"))
    return [{_("Evaluación"): str(answer.assessment), _("Dominio"): answer.item.domain.name,
             _("Pregunta"): answer.item.text,
             _("Respuesta"): answer.option.label if answer.option_id else answer.text} for answer in answers]


@register_section("plans", _lazy("Plan de intervención individual"), order=50, log_sections=[p.SECTION_PLAN])
def plans(person, *, for_person):
    queryset = Plan.objects.filter(case__participant=person).select_related("case", "approved_by").order_by("case__number")
    return [{_("Ingreso"): plan.case.number,
             **field_values(plan, ["status", "agreed_on", "agreement_notes", "approved_on", "approved_by",
                                   "approval_notes"])} for plan in queryset]


@register_section("plan_objectives", _lazy("Objetivos y acciones del plan"), order=51, log_sections=[p.SECTION_PLAN])
def plan_objectives(person, *, for_person):
    actions = PlanAction.objects.select_related("responsible").order_by("due_on", "id")
    objectives = (PlanObjective.objects.filter(section__plan__case__participant=person)
                  .select_related("section__plan__case")
                  .prefetch_related(Prefetch("actions", queryset=actions, to_attr="action_list"))
                  .order_by("section__plan__case__number", "section__area", "order", "id"))
    rows = []
    for objective in objectives:
        rows.append({
            _("Ingreso"): objective.section.plan.case.number,
            _("Área"): objective.section.get_area_display(),
            _("Objetivo"): objective.text,
            _("Estado"): objective.get_status_display(),
            _("Acciones"): "; ".join(
                f"{action.description} ({person_label(action.responsible)}, {action.due_on:%d-%m-%Y}, "
                f"{action.get_status_display()})" for action in objective.action_list),
        })
    return rows


@register_section("plan_reviews", _lazy("Revisiones de avance del plan"), order=52, log_sections=[p.SECTION_PLAN])
def plan_reviews(person, *, for_person):
    reviews = (PlanReview.objects.filter(section__plan__case__participant=person)
               .select_related("section__plan__case", "author").order_by("reviewed_on", "id"))
    return [{_("Ingreso"): review.section.plan.case.number, _("Área"): review.section.get_area_display(),
             **field_values(review, ["reviewed_on", "author", "progress", "next_review_on"])} for review in reviews]


def _clinical_notes_given(for_person):
    return settings.DATA_PROTECTION_EXPORT_CLINICAL_NOTES or not for_person


@register_section("sessions", _lazy("Sesiones"), order=60, log_sections=[p.SECTION_SESSIONS])
def sessions(person, *, for_person):
    """Every session's facts; the content of psychological sessions only where
    settings.DATA_PROTECTION_EXPORT_CLINICAL_NOTES says the law requires it."""
    queryset = (Session.objects.filter(case__participant=person).select_related("case", "professional")
                .prefetch_related("family_members", "objectives").order_by("starts_at", "id"))
    rows = []
    withheld = _("No se incluye: registro clínico. Puede solicitarlo a la encargada del programa.")
    for session in queryset:
        row = {_("Ingreso"): session.case.number,
               **field_values(session, ["starts_at", "duration_minutes", "professional", "area", "modality",
                                        "attendance", "with_participant"])}
        row[_("Familiares presentes")] = ", ".join(member.name for member in session.family_members.all())
        if session.area == Area.PSYCHOLOGICAL and not _clinical_notes_given(for_person):
            row[_("Objetivos trabajados")] = withheld
            row[_("Registro de la sesión")] = withheld
            row[_("Próximos pasos")] = withheld
        else:
            row[_("Objetivos trabajados")] = "; ".join(objective.text for objective in session.objectives.all())
            row.update(field_values(session, ["notes", "next_steps"],
                                    labels={"notes": _("Registro de la sesión")}))
        rows.append(row)
    return rows


@register_section("appointments", _lazy("Citas"), order=65, log_sections=[p.SECTION_APPOINTMENTS])
def appointments(person, *, for_person):
    queryset = (Appointment.objects.filter(case__participant=person).select_related("professional")
                .order_by("starts_at", "id"))
    return [field_values(appointment, ["starts_at", "professional", "area", "modality", "kind", "purpose", "status",
                                       "cancel_reason"]) for appointment in queryset]


def _referrals_of(person):
    return (Referral.objects.filter(case__participant=person).select_related("case", "institution")
            .order_by("sent_on", "id"))


@register_section("referrals", _lazy("Derivaciones a la red y sus instituciones"), order=70,
                  log_sections=[p.SECTION_REFERRALS])
def referrals(person, *, for_person):
    return [{_("Ingreso"): referral.case.number,
             **field_values(referral, ["institution", "need", "detail", "sent_on", "status", "answered_on",
                                       "attended_on", "closed_on", "outcome"],
                            labels={"institution": _("Institución que recibió sus datos")})}
            for referral in _referrals_of(person)]


@register_recipients("interventions.referrals")
def referral_recipients(person):
    return [Recipient(name=referral.institution.name, institution_id=referral.institution_id,
                      since=referral.sent_on,
                      reason=_("Derivación: %(need)s (%(date)s)") % {"need": referral.get_need_display(),
                                                                     "date": referral.sent_on.strftime("%d-%m-%Y")},
                      contact=" · ".join(v for v in (referral.institution.contact_name, referral.institution.phone,
                                                     referral.institution.email) if v))
            for referral in _referrals_of(person)]
