"""Writes of the intervention plan (PII).

An agreement is void when what was agreed changes, and so is an approval: a
section save that changes the plan's content (needs, objectives and their
linked needs, actions, their responsible and due date, an action cancelled or
restored, rows added or removed) after the person agreed clears the agreement
and any approval, sends the plan back to "en elaboración" and records what was
voided, when and by which area (history keeps the former dates). Recording
progress (an objective achieved, an action done) is carrying the plan out, not
changing it, and leaves the agreement standing.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import StaleEditError, check_version
from conecta.services import save_with_history
from interventions.models import Area, Plan, PlanAction, PlanObjective, PlanReview, PlanSection
from participants.models import CaseStatus
from participants.services import DomainError, require_processing

PLAN_CASE_STATUSES = (CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION)


class EmptySectionsError(DomainError):
    """The plan goes to approval with sections that have no objectives: the sender must confirm."""

    def __init__(self, *, areas):
        self.areas = list(areas)
        names = [Area(area).label.lower() for area in self.areas]
        listed = names[0] if len(names) == 1 else _("%(first)s y %(last)s") % {
            "first": ", ".join(names[:-1]), "last": names[-1]}
        super().__init__(
            _("Sin objetivos en: %(areas)s. Complete esas secciones o confirme que el plan se envía sin ellas.")
            % {"areas": listed})


def empty_areas(sections):
    """Areas of the (prefetched) sections that have no objectives, in the plan's order."""
    empty = {section.area for section in sections if not section.objective_list}
    return [area for area in Area.values if area in empty]


class StaleSectionError(StaleEditError):
    """Someone saved the section after the editor loaded it; `section` is the stored version.

    The section keeps its own `revision` counter (PlanSection.version_field), so the
    common stale-form machinery finds the version the editor loaded in its history."""

    def __init__(self, *, section, loaded_revision):
        super().__init__(stored=section, loaded_version=loaded_revision)
        self.section = section


@transaction.atomic
def plan_create(*, case, actor):
    """The case's plan with its three sections (psychological, social, occupational)."""
    if case.status not in PLAN_CASE_STATUSES:
        raise DomainError(_("Solo se elabora un plan para casos en diagnóstico o en intervención."))
    return plan_rows_create(case=case, actor=actor)


@transaction.atomic
def plan_rows_create(*, case, actor):
    """The plan and its three sections, whatever the case's status (imports and demo data of past cases)."""
    require_processing(case.participant_id)
    if Plan.objects.filter(case=case).exists():
        raise DomainError(_("Este caso ya tiene un plan de intervención."))
    plan = save_with_history(Plan(case=case, created_by=actor), actor=actor, reason=_("Creación del plan"))
    for area in Area.values:
        save_with_history(PlanSection(plan=plan, area=area), actor=actor, reason=_("Creación del plan"))
    return plan


def _check_area(actor, area):
    if not permissions.can_write_area(actor, area):
        raise DomainError(_("Solo los profesionales del área %(area)s pueden modificar esta sección.")
                          % {"area": Area(area).label.lower()})


@transaction.atomic
def plan_section_save(*, section, actor, revision, needs_summary, objectives, actions):
    """Rewrite a section's needs, objectives and actions together.

    `objectives`: dicts with id (None for new), text, domain, status, delete.
    `actions`: dicts with id, objective (index into `objectives`), description,
    responsible, due_on, status, done_on, delete. A save made on a stale copy
    (`revision` differs from the stored one) is refused with StaleSectionError."""
    _check_area(actor, section.area)
    locked = PlanSection.objects.select_for_update().select_related("plan__case").get(pk=section.pk)
    require_processing(locked.plan.case.participant_id)
    if locked.revision != revision:
        raise StaleSectionError(section=locked, loaded_revision=revision)
    reason = _("Edición de la sección %(area)s del plan") % {"area": locked.get_area_display().lower()}
    existing_objectives = {o.pk: o for o in locked.objectives.select_related("domain")}
    existing_actions = {a.pk: a for a in PlanAction.objects.filter(objective__section=locked)
                        .select_related("objective", "responsible")}

    saved = []  # PlanObjective per position in `objectives`, None when deleted
    changed = [locked.needs_summary.strip() != (needs_summary or "").strip()]  # any change of agreed content
    order = 0
    for data in objectives:
        objective = existing_objectives.get(data["id"]) if data.get("id") else PlanObjective(section=locked)
        if objective is None and data.get("delete"):
            saved.append(None)  # already deleted by someone else: nothing left to do
            continue
        if objective is None:
            raise DomainError(_("Un objetivo que editaba ya no existe; recargue la página."))
        if data.get("delete"):
            if objective.pk:
                objective._history_user = actor
                objective.delete()
                changed.append(True)
            saved.append(None)
            continue
        order += 1
        values = {"text": data["text"], "domain": data.get("domain"), "order": order,
                  "status": data.get("status") or PlanObjective.Status.PENDING}
        changed.append(_content_changes(objective, values, ("text", "domain")))
        saved.append(_save_if_changed(objective, values, actor=actor, reason=reason))

    for data in actions:
        action = existing_actions.get(data["id"]) if data.get("id") else PlanAction()
        if action is None and data.get("delete"):
            continue  # already deleted by someone else
        if action is None:
            raise DomainError(_("Una acción que editaba ya no existe; recargue la página."))
        index = data.get("objective")
        in_range = index is not None and 0 <= index < len(saved)
        if data.get("delete") or (in_range and saved[index] is None and action.pk):
            # Actions of a deleted objective went with it (cascade).
            if action.pk and PlanAction.objects.filter(pk=action.pk).exists():
                action._history_user = actor
                action.delete()
                changed.append(True)
            continue
        if not in_range or saved[index] is None:
            raise DomainError(_("La acción «%(action)s» debe pertenecer a un objetivo vigente de la sección.")
                              % {"action": data["description"]})
        status = data.get("status") or PlanAction.Status.PENDING
        done_on = (data.get("done_on") or timezone.localdate()) if status == PlanAction.Status.DONE else None
        values = {"objective": saved[index], "description": data["description"], "responsible": data["responsible"],
                  "due_on": data["due_on"], "status": status, "done_on": done_on}
        cancelled = PlanAction.Status.CANCELLED
        changed.append(_content_changes(action, values, ("objective", "description", "responsible", "due_on"))
                       or (action.pk is not None and (action.status == cancelled) != (status == cancelled)))
        _save_if_changed(action, values, actor=actor, reason=reason)

    locked.needs_summary = needs_summary
    locked.revision += 1
    locked.updated_by = actor
    section = save_with_history(locked, actor=actor, reason=reason)
    section.voided_plan = _void_agreement(plan_id=locked.plan_id, area=locked.area, actor=actor) if any(changed) else None
    return section


def _content_changes(instance, values, fields):
    """A new row, or a change in one of the fields that make up what the person agreed to."""
    return instance.pk is None or any(getattr(instance, name) != values[name] for name in fields)


def _void_agreement(*, plan_id, area, actor):
    """What was agreed (and approved) changed: the agreement and approval no longer stand.

    Returns the plan when something was voided, None when there was nothing to void."""
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    if plan.agreed_on is None and plan.status == Plan.Status.DRAFT:
        return None
    area_name = Area(area).label.lower()
    if plan.status == Plan.Status.APPROVED:
        reason = _("Acuerdo y aprobación sin efecto: la sección %(area)s cambió") % {"area": area_name}
    else:
        reason = _("Acuerdo sin efecto: la sección %(area)s cambió") % {"area": area_name}
    plan.voided_agreement_on = plan.agreed_on
    plan.voided_approval_on = plan.approved_on if plan.status == Plan.Status.APPROVED else None
    plan.agreement_voided_at = timezone.now()
    plan.voided_by_area = area
    plan.agreed_on = None
    plan.agreement_notes = ""
    plan.status = Plan.Status.DRAFT
    plan.submitted_at = None
    plan.approved_on = None
    plan.approved_by = None
    return save_with_history(plan, actor=actor, reason=reason)


def _save_if_changed(instance, values, *, actor, reason):
    """Assign and save; an untouched row is not saved again, so history shows real changes only."""
    changed = instance.pk is None or any(getattr(instance, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(instance, name, value)
    return save_with_history(instance, actor=actor, reason=reason) if changed else instance


@transaction.atomic
def plan_review_add(*, section, actor, reviewed_on, progress, next_review_on=None):
    _check_area(actor, section.area)
    require_processing(section.plan.case.participant_id)
    if reviewed_on > timezone.localdate():
        raise DomainError(_("La fecha de revisión no puede estar en el futuro."))
    if next_review_on and next_review_on <= reviewed_on:
        raise DomainError(_("La próxima revisión debe ser posterior a esta revisión."))
    review = PlanReview(section=section, author=actor, reviewed_on=reviewed_on, progress=progress,
                        next_review_on=next_review_on)
    return save_with_history(review, actor=actor, reason=_("Revisión de avances"))


@transaction.atomic
def plan_agree(*, plan, actor, agreed_on, version, notes=""):
    """Record the date the participant agreed to the plan (before it goes to approval).
    Refused (StaleEditError) if the plan changed since `version` was loaded."""
    check_version(plan, version=version)
    require_processing(plan.case.participant_id)
    if plan.status != Plan.Status.DRAFT:
        # The manager approved (or is reviewing) the plan as agreed: the agreement is part of it.
        raise DomainError(_("El acuerdo se registra mientras el plan está en elaboración."))
    if agreed_on > timezone.localdate():
        raise DomainError(_("La fecha de acuerdo no puede estar en el futuro."))
    if agreed_on < plan.case.applied_on:
        raise DomainError(_("La fecha de acuerdo no puede ser anterior a la postulación del caso."))
    if plan.agreement_voided_at and agreed_on < timezone.localdate(plan.agreement_voided_at):
        # The person cannot have agreed, before it was written, to the plan as it stands now.
        raise DomainError(_("La fecha de acuerdo no puede ser anterior al %(date)s, cuando el plan cambió y el "
                            "acuerdo anterior quedó sin efecto.")
                          % {"date": timezone.localdate(plan.agreement_voided_at).strftime("%d-%m-%Y")})
    plan.agreed_on = agreed_on
    plan.agreement_notes = notes
    return save_with_history(plan, actor=actor, reason=_("Acuerdo del plan con la persona"))


@transaction.atomic
def plan_submit(*, plan, actor, at=None, version=None, confirm_empty=False):
    """`version`: the plan as shown on the page the button was on (None: scripts).

    A plan with sections without objectives is refused with EmptySectionsError unless
    `confirm_empty`: the sender says the plan goes without them, and the history says so."""
    if version is not None:
        check_version(plan, version=version)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require_processing(plan.case.participant_id)
    if plan.status != Plan.Status.DRAFT:
        raise DomainError(_("Solo se envía a aprobación un plan en elaboración."))
    if not PlanObjective.objects.filter(section__plan=plan).exists():
        raise DomainError(_("El plan no tiene objetivos: agregue al menos uno antes de enviarlo."))
    if plan.agreed_on is None:
        raise DomainError(_("Registre la fecha de acuerdo con la persona antes de enviar el plan."))
    empty = empty_areas(PlanSection.objects.filter(plan=plan).prefetch_related(
        Prefetch("objectives", to_attr="objective_list")))
    if empty and not confirm_empty:
        raise EmptySectionsError(areas=empty)
    reason = _("Plan enviado a aprobación")
    if empty:
        reason = _("Plan enviado a aprobación sin objetivos en: %(areas)s") % {
            "areas": ", ".join(Area(area).label.lower() for area in empty)}
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_at = at or timezone.now()
    return save_with_history(plan, actor=actor, reason=reason)


@transaction.atomic
def plan_approve(*, plan, actor, approve, notes="", on=None, version=None):
    """The manager approves a submitted plan, or returns it to draft with notes.
    `version`: the plan as the manager saw it on the form (None: scripts)."""
    if not permissions.can_approve_plans(actor):
        raise DomainError(_("Solo la gestora aprueba planes."))
    if version is not None:
        check_version(plan, version=version)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require_processing(plan.case.participant_id)
    if plan.status != Plan.Status.SUBMITTED:
        raise DomainError(_("Solo se aprueba o devuelve un plan enviado a aprobación."))
    plan.approval_notes = notes
    if approve:
        plan.status = Plan.Status.APPROVED
        plan.approved_on = on or timezone.localdate()
        plan.approved_by = actor
        return save_with_history(plan, actor=actor, reason=_("Plan aprobado"))
    if not notes.strip():
        raise DomainError(_("Indique qué debe corregirse al devolver el plan."))
    plan.status = Plan.Status.DRAFT
    plan.submitted_at = None
    return save_with_history(plan, actor=actor, reason=_("Plan devuelto con observaciones"))
