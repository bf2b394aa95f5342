"""Instruments (managed by the manager) and assessments (applied to cases).

An instrument that has been applied is never edited in place: the manager
makes a new version, so every past assessment keeps the exact items, options
and cut-offs it was scored with. Structural changes of a draft are recorded
in the instrument's history with the actor and what changed."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from conecta import permissions
from conecta.concurrency import check_version
from conecta.services import save_with_history
from interventions.models import (
    Answer, Assessment, Cutoff, DomainResult, Instrument, InstrumentDomain, Item, ItemOption,
)
from participants.models import CaseStatus
from participants.services import DomainError, require_processing

# Assessments are applied from admission to diagnosis until the follow-up
# (a re-assessment at exit shows change); never to applicants or closed cases.
ASSESSABLE_STATUSES = (CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP)


class AssessmentError(DomainError):
    """A DomainError tied to one form field, so the view shows it next to that field."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


# --- Instruments --------------------------------------------------------------------------------


def instrument_is_editable(instrument):
    return instrument.status == Instrument.Status.DRAFT and not instrument.assessments.exists()


def _ensure_editable(instrument):
    if instrument.status != Instrument.Status.DRAFT:
        raise DomainError(_("Solo se modifica un instrumento en preparación. Cree una nueva versión."))
    if instrument.assessments.exists():
        raise DomainError(_("Este instrumento ya fue aplicado: no se modifica. Cree una nueva versión."))


def _replace_cutoffs(*, instrument, domain, cutoffs):
    """`cutoffs`: [{min_score, level, label}], replacing those of the instrument total (domain None) or a domain."""
    scores = [c["min_score"] for c in cutoffs]
    if len(scores) != len(set(scores)):
        raise AssessmentError(_("Dos puntos de corte no pueden empezar en el mismo puntaje."), field="cutoffs")
    Cutoff.objects.filter(instrument=instrument, domain=domain).delete()
    Cutoff.objects.bulk_create(
        Cutoff(instrument=instrument, domain=domain, min_score=c["min_score"], level=c.get("level", ""), label=c["label"])
        for c in sorted(cutoffs, key=lambda c: c["min_score"])
    )


@transaction.atomic
def instrument_create(*, actor, data, cutoffs=()):
    """A new instrument, in preparation (draft), version 1."""
    if Instrument.objects.filter(code=data["code"]).exists():
        raise AssessmentError(_("Ya existe un instrumento con ese código."), field="code")
    instrument = Instrument(**data, version=1, status=Instrument.Status.DRAFT)
    save_with_history(instrument, actor=actor, reason=_("Instrumento creado"))
    _replace_cutoffs(instrument=instrument, domain=None, cutoffs=cutoffs)
    return instrument


@transaction.atomic
def instrument_update(*, instrument, actor, data, cutoffs, version):
    """Refused (StaleEditError) if the draft changed since `version` (its edit counter) was loaded."""
    check_version(instrument, version=version)
    _ensure_editable(instrument)
    stored_code = Instrument.objects.values_list("code", flat=True).get(pk=instrument.pk)
    new_code = data.get("code", stored_code)
    if new_code != stored_code:
        if instrument.version > 1:
            raise AssessmentError(
                _("El código se conserva entre versiones: es el que une las aplicaciones que se comparan."), field="code"
            )
        if Instrument.objects.filter(code=new_code).exists():
            raise AssessmentError(_("Ya existe un instrumento con ese código."), field="code")
    for name, value in data.items():
        setattr(instrument, name, value)
    save_with_history(instrument, actor=actor, reason=_("Datos y puntos de corte del total modificados"))
    _replace_cutoffs(instrument=instrument, domain=None, cutoffs=cutoffs)
    return instrument


def _touch(instrument, actor, reason):
    """Structure (domains, items) has no history of its own: the instrument's history says what changed."""
    save_with_history(instrument, actor=actor, reason=reason)


@transaction.atomic
def domain_save(*, domain, actor, cutoffs, version=None):
    """Add a domain, or save an edited one (an edit needs the `version` its form loaded)."""
    if domain.pk is not None:
        check_version(domain, version=version)
    instrument = domain.instrument
    _ensure_editable(instrument)
    clash = InstrumentDomain.objects.filter(instrument=instrument, code=domain.code).exclude(pk=domain.pk)
    if clash.exists():
        raise AssessmentError(_("Ya hay un dominio con ese código en este instrumento."), field="code")
    created = domain.pk is None
    domain.save()
    _replace_cutoffs(instrument=instrument, domain=domain, cutoffs=cutoffs)
    _touch(instrument, actor, (_("Dominio agregado: %(name)s") if created else _("Dominio modificado: %(name)s"))
           % {"name": domain.name})
    return domain


@transaction.atomic
def domain_delete(*, domain, actor):
    instrument = domain.instrument
    _ensure_editable(instrument)
    name = domain.name
    domain.delete()
    _touch(instrument, actor, _("Dominio eliminado: %(name)s") % {"name": name})


@transaction.atomic
def item_save(*, item, actor, options, version=None):
    """`options`: [{label, score}] in order; choice items need at least two, text items none.
    An edit needs the `version` its form loaded."""
    if item.pk is not None:
        check_version(item, version=version)
    instrument = item.domain.instrument
    _ensure_editable(instrument)
    if item.kind == Item.Kind.CHOICE and len(options) < 2:
        raise AssessmentError(_("Una pregunta con alternativas necesita al menos dos alternativas."), field="options")
    if item.kind == Item.Kind.TEXT:
        options = []
    created = item.pk is None
    item.save()
    ItemOption.objects.filter(item=item).delete()
    ItemOption.objects.bulk_create(
        ItemOption(item=item, order=order, label=o["label"], score=o["score"]) for order, o in enumerate(options)
    )
    _touch(instrument, actor, (_("Pregunta agregada en %(domain)s") if created else _("Pregunta modificada en %(domain)s"))
           % {"domain": item.domain.name})
    return item


@transaction.atomic
def item_delete(*, item, actor):
    instrument = item.domain.instrument
    _ensure_editable(instrument)
    domain_name = item.domain.name
    item.delete()
    _touch(instrument, actor, _("Pregunta eliminada en %(domain)s") % {"domain": domain_name})


@transaction.atomic
def instrument_activate(*, instrument, actor, version=None):
    """Draft → in force. The version in force before it (same code) is retired: one version is applied at a time.
    `version`: the instrument's edit counter as the confirmation page showed it (None: scripts)."""
    if version is not None:
        check_version(instrument, version=version)
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.status != Instrument.Status.DRAFT:
        raise DomainError(_("Solo se activa un instrumento en preparación."))
    domains = list(instrument.domains.prefetch_related("items__options"))
    items = [item for domain in domains for item in domain.items.all()]
    if not items:
        raise DomainError(_("El instrumento no tiene preguntas: agregue al menos un dominio con preguntas."))
    for item in items:
        if item.kind == Item.Kind.CHOICE and len(item.options.all()) < 2:
            raise DomainError(_("La pregunta «%(item)s» no tiene alternativas suficientes.") % {"item": item.text})
    for previous in Instrument.objects.filter(code=instrument.code, status=Instrument.Status.ACTIVE):
        previous.status = Instrument.Status.RETIRED
        save_with_history(previous, actor=actor,
                          reason=_("Retirado al activar la versión %(v)s") % {"v": instrument.version})
    instrument.status = Instrument.Status.ACTIVE
    return save_with_history(instrument, actor=actor, reason=_("Instrumento activado"))


@transaction.atomic
def instrument_retire(*, instrument, actor, version=None):
    """In force → retired: no new applications; past assessments keep it."""
    if version is not None:
        check_version(instrument, version=version)
    if instrument.status != Instrument.Status.ACTIVE:
        raise DomainError(_("Solo se retira un instrumento vigente."))
    instrument.status = Instrument.Status.RETIRED
    return save_with_history(instrument, actor=actor, reason=_("Instrumento retirado"))


@transaction.atomic
def instrument_new_version(*, instrument, actor, version=None):
    """Deep copy (domains, items, options, cut-offs) to the next version number, in preparation."""
    if version is not None:
        check_version(instrument, version=version)
    if Instrument.objects.filter(code=instrument.code, status=Instrument.Status.DRAFT).exists():
        raise DomainError(_("Ya hay una versión en preparación de este instrumento: edítela."))
    latest = Instrument.objects.filter(code=instrument.code).aggregate(v=Max("version"))["v"]
    copy = Instrument(
        code=instrument.code, version=latest + 1, name=instrument.name, kind=instrument.kind, area=instrument.area,
        description=instrument.description, is_screening=instrument.is_screening, status=Instrument.Status.DRAFT,
    )
    save_with_history(copy, actor=actor, reason=_("Nueva versión a partir de la versión %(v)s") % {"v": instrument.version})
    Cutoff.objects.bulk_create(
        Cutoff(instrument=copy, domain=None, min_score=c.min_score, level=c.level, label=c.label)
        for c in instrument.cutoffs.filter(domain__isnull=True)
    )
    for domain in instrument.domains.prefetch_related("items__options", "cutoffs"):
        new_domain = InstrumentDomain.objects.create(
            instrument=copy, order=domain.order, code=domain.code, name=domain.name, description=domain.description,
            suggested_objective=domain.suggested_objective, plan_area=domain.plan_area,
        )
        Cutoff.objects.bulk_create(
            Cutoff(instrument=copy, domain=new_domain, min_score=c.min_score, level=c.level, label=c.label)
            for c in domain.cutoffs.all()
        )
        for item in domain.items.all():
            new_item = Item.objects.create(domain=new_domain, order=item.order, text=item.text,
                                           help_text=item.help_text, kind=item.kind, required=item.required)
            ItemOption.objects.bulk_create(
                ItemOption(item=new_item, order=o.order, label=o.label, score=o.score) for o in item.options.all()
            )
    return copy


# --- Assessments --------------------------------------------------------------------------------


def cutoff_for(score, cutoffs):
    """The cut-off with the highest `min_score` not above `score` (None below every cut-off)."""
    chosen = None
    for cutoff in sorted(cutoffs, key=lambda c: c.min_score):
        if cutoff.min_score <= score:
            chosen = cutoff
    return chosen


def assessment_score(*, assessment):
    """Domain subtotals and maxima, their levels, the total and its level, from the stored answers.

    Domains without scored alternatives (open answers only) get no result.
    Stores DomainResult rows and sets the total fields (the caller saves the assessment)."""
    instrument = assessment.instrument
    chosen = {a.item_id: a.option for a in assessment.answers.select_related("option")}
    cutoffs = list(instrument.cutoffs.all())
    results = []
    total = 0
    for domain in instrument.domains.prefetch_related("items__options"):
        score = maximum = 0
        for item in domain.items.all():
            options = list(item.options.all())
            if item.kind != Item.Kind.CHOICE or not options:
                continue
            maximum += max(o.score for o in options)
            if chosen.get(item.pk) is not None:
                score += chosen[item.pk].score
        if maximum == 0:
            continue
        cutoff = cutoff_for(score, [c for c in cutoffs if c.domain_id == domain.pk])
        results.append(DomainResult(assessment=assessment, domain=domain, score=score, max_score=maximum,
                                    level=cutoff.level if cutoff else "", label=cutoff.label if cutoff else ""))
        total += score
    DomainResult.objects.filter(assessment=assessment).delete()
    DomainResult.objects.bulk_create(results)
    cutoff = cutoff_for(total, [c for c in cutoffs if c.domain_id is None])
    assessment.total_score = total
    assessment.computed_level = cutoff.level if cutoff else ""
    assessment.computed_label = cutoff.label if cutoff else ""
    return results


def _store_answers(*, assessment, answers, actor):
    """`answers`: {item_pk: ItemOption | str | None}; options must belong to their item.

    Only answers that changed are written, one by one, so each change has its history row."""
    items = {item.pk: item for item in Item.objects.filter(domain__instrument=assessment.instrument)}
    existing = {answer.item_id: answer for answer in Answer.objects.filter(assessment=assessment)}
    new_rows = []
    for item_pk, value in answers.items():
        item = items.get(item_pk)
        if item is None or value in (None, ""):
            continue
        option, text = None, ""
        if item.kind == Item.Kind.CHOICE:
            if not isinstance(value, ItemOption) or value.item_id != item.pk:
                raise AssessmentError(_("La alternativa elegida no corresponde a la pregunta."), field=f"item_{item.pk}")
            option = value
        else:
            text = str(value).strip()
        current = existing.pop(item_pk, None)
        if current is None:
            new_rows.append(Answer(assessment=assessment, item=item, option=option, text=text))
        elif (current.option_id, current.text) != (option.pk if option else None, text):
            current.option, current.text = option, text
            save_with_history(current, actor=actor, reason=_("Respuesta modificada"))
    for removed in existing.values():
        removed._history_user = actor
        removed.delete()
    bulk_create_with_history(new_rows, Answer, default_user=actor, default_change_reason=_("Respuesta registrada"))
    return items


def _missing_required(items, answers):
    return [item for item in items.values() if item.required and answers.get(item.pk) in (None, "")]


def instrument_results(instrument):
    """[(label, level)] of the instrument's total cut-offs, lowest score first, each label once:
    the results a professional may assign instead of the computed one."""
    cutoffs = getattr(instrument, "total_cutoffs", None)
    if cutoffs is None:
        cutoffs = instrument.cutoffs.filter(domain__isnull=True).order_by("min_score")
    results = {}
    for cutoff in sorted(cutoffs, key=lambda c: c.min_score):
        results.setdefault(cutoff.label, cutoff.level)
    return list(results.items())


def _set_override(assessment, label, reason):
    """The professional's result must be one of the instrument's own; its level comes from the cut-off."""
    label = (label or "").strip()
    assessment.override_reason = reason if label else ""
    if not label:
        assessment.override_label = assessment.override_level = ""
        return
    levels = dict(instrument_results(assessment.instrument))
    if label not in levels:
        raise AssessmentError(_("Elija uno de los resultados de la escala de este instrumento."),
                              field="override_label")
    if not (reason or "").strip():
        raise AssessmentError(_("Para cambiar el resultado calculado escriba el fundamento."), field="override_reason")
    assessment.override_label, assessment.override_level = label, levels[label]


def _save(*, assessment, actor, answers, complete, reason):
    save_with_history(assessment, actor=actor, reason=reason)
    items = _store_answers(assessment=assessment, answers=answers, actor=actor)
    if complete:
        missing = _missing_required(items, answers)
        if missing:
            raise AssessmentError(
                _("Falta responder: %(item)s") % {"item": missing[0].text}, field=f"item_{missing[0].pk}"
            )
        assessment_score(assessment=assessment)
        assessment.status = Assessment.Status.COMPLETED
        save_with_history(assessment, actor=actor, reason=_("Evaluación completada"))
    return assessment


@transaction.atomic
def assessment_create(*, case, instrument, actor, applied_on, answers, strengths="", conclusions="",
                      override_label="", override_reason="", complete=False):
    """Apply an instrument in force to a case; saved as a draft unless `complete`."""
    require_processing(case.participant_id)
    if case.status not in ASSESSABLE_STATUSES:
        raise DomainError(_("Solo se evalúan casos en diagnóstico, intervención, egresados o en seguimiento."))
    if instrument.status != Instrument.Status.ACTIVE:
        raise DomainError(_("El instrumento no está vigente."))
    assessment = Assessment(case=case, instrument=instrument, professional=actor, applied_on=applied_on,
                            strengths=strengths, conclusions=conclusions)
    _set_override(assessment, override_label, override_reason)
    return _save(assessment=assessment, actor=actor, answers=answers, complete=complete,
                 reason=_("Evaluación registrada"))


@transaction.atomic
def assessment_update(*, assessment, actor, applied_on, answers, version, strengths="", conclusions="",
                      override_label="", override_reason="", complete=False):
    """Change a draft; a completed assessment is final (apply the instrument again to record change).
    Refused (StaleEditError) if the draft was saved by someone else since `version` was loaded."""
    assessment = check_version(assessment, version=version)
    require_processing(assessment.case.participant_id)
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError(_("Una evaluación completada no se modifica."))
    if not permissions.can_edit_assessment(actor, assessment):
        raise DomainError(_("Solo quien aplica la evaluación o la gestora pueden completar el borrador."))
    assessment.applied_on = applied_on
    assessment.strengths = strengths
    assessment.conclusions = conclusions
    _set_override(assessment, override_label, override_reason)
    return _save(assessment=assessment, actor=actor, answers=answers, complete=complete,
                 reason=_("Borrador de evaluación modificado"))
