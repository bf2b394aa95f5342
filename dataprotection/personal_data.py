"""Sections of the access export that belong to people and cases (participants), to the
access log (conecta) and to this register; the apps above register theirs in their own
`personal_data.py` (interventions, workshops…)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from conecta import permissions as p
from conecta import rut as rut_utils
from conecta.models import AccessLog
from conecta.personal_data import field_values, person_label, register_section
from dataprotection.models import RightsRequest
from participants.models import Case, CaseStatusChange, Consent, FamilyMember, Participant, ReceivedDocument
from participants.selectors import participant_history

IDENTITY_FIELDS = ["given_names", "paternal_surname", "maternal_surname", "social_name", "birth_date", "sex",
                   "gender", "nationality", "phone", "email", "address", "commune", "sector", "education_level",
                   "household_notes"]
CASE_FIELDS = ["number", "status", "cohort", "applied_on", "admitted_on", "intervention_started_on", "exited_on",
               "exit_type", "closed_on", "not_admitted_reason", "referral_source", "referral_notes", "category",
               "sentence_type", "supervising_institution", "offences", "exception_granted", "exception_reason",
               "psychologist", "social_worker", "occupational_therapist", "followup_psychologist"]


@register_section("identity", _lazy("Identificación y contacto"), order=10, log_sections=[p.SECTION_IDENTITY])
def identity(person, *, for_person):
    person = Participant.objects.select_related("commune", "created_by").get(pk=person.pk)
    row = {_("RUT"): rut_utils.display(person.rut), **field_values(person, IDENTITY_FIELDS)}
    row[_("Registrada el")] = person.created_at
    row[_("Registrada por")] = person_label(person.created_by)
    return [row]


@register_section("cases", _lazy("Casos (ingresos al programa) y situación judicial"), order=20,
                  log_sections=[p.SECTION_CASES, p.SECTION_JUSTICE])
def cases(person, *, for_person):
    rows = []
    queryset = Case.objects.filter(participant=person).select_related(
        "cohort", "referral_source", "supervising_institution", "psychologist", "social_worker",
        "occupational_therapist", "followup_psychologist").order_by("number")
    for case in queryset:
        row = field_values(case, CASE_FIELDS)
        row[_("Factores de vulnerabilidad")] = "; ".join(str(f) for f in case.get_vulnerability_factors_display())
        rows.append(row)
    return rows


@register_section("case_timeline", _lazy("Movimientos de los casos"), order=21, log_sections=[p.SECTION_CASES])
def case_timeline(person, *, for_person):
    changes = (CaseStatusChange.objects.filter(case__participant=person).select_related("case", "actor")
               .order_by("case__number", "date", "recorded_at", "id"))
    return [{_("Ingreso"): change.case.number, _("Fecha"): change.date,
             _("Estado anterior"): change.get_from_status_display(), _("Nuevo estado"): change.get_to_status_display(),
             _("Motivo"): change.reason, _("Responsable"): person_label(change.actor)} for change in changes]


@register_section("family", _lazy("Familia"), order=25, log_sections=[p.SECTION_FAMILY])
def family(person, *, for_person):
    names = ["name", "relationship", "age", "lives_with_participant", "takes_part_in_sessions"]
    if not for_person:
        # Relatives' own contact details are theirs, not the person's: handed over only internally.
        names += ["phone", "email", "notes"]
    return [field_values(member, names) for member in FamilyMember.objects.filter(participant=person).order_by("name")]


@register_section("consents", _lazy("Consentimientos y contrato social"), order=30, log_sections=[p.SECTION_CONSENTS])
def consents(person, *, for_person):
    rows = []
    for consent in Consent.objects.filter(participant=person).select_related("case").order_by("signed_on", "id"):
        row = field_values(consent, ["kind", "version", "signed_on", "channel", "withdrawn_on", "withdrawal_reason"])
        row[_("Ingreso")] = consent.case.number if consent.case_id else ""
        row[_("Copia firmada en archivo")] = bool(consent.file)
        rows.append(row)
    return rows


@register_section("documents", _lazy("Documentos recibidos"), order=35, log_sections=[p.SECTION_DOCUMENTS])
def documents(person, *, for_person):
    rows = []
    for document in (ReceivedDocument.objects.filter(participant=person).select_related("received_by")
                     .order_by("received_on", "id")):
        row = field_values(document, ["document_type", "received_on", "received_by", "notes"])
        row[_("Copia digital en archivo")] = bool(document.file)
        rows.append(row)
    return rows


@register_section("history", _lazy("Historial de cambios"), order=90, log_sections=[p.SECTION_HISTORY])
def history(person, *, for_person):
    rows = []
    for entry in participant_history(person=person, sensitive=True):
        record = entry["record"]
        rows.append({
            _("Fecha y hora"): record.history_date,
            _("Registro"): str(entry["section"]),
            _("Acción"): str(entry["action"]),
            _("Por"): person_label(record.history_user),
            _("Motivo"): record.history_change_reason or "",
            _("Cambios"): "; ".join(f"{label}: {old} → {new}" for label, old, new in entry["changes"]),
        })
    return rows


@register_section("access_log", _lazy("Quién consultó sus datos (registro de accesos)"), order=95)
def access_log(person, *, for_person):
    """One row per page seen, with the sections it showed."""
    entries = (AccessLog.objects.filter(subject_type=ContentType.objects.get_for_model(Participant),
                                        subject_id=person.pk)
               .select_related("user").order_by("at", "id"))
    return [{_("Fecha y hora"): entry.at, _("Usuario/a"): person_label(entry.user),
             _("Secciones consultadas"): ", ".join(str(label) for label in entry.get_sections_display())}
            for entry in entries]


@register_section("rights_requests", _lazy("Solicitudes de derechos presentadas"), order=97)
def rights_requests(person, *, for_person):
    rows = []
    for item in RightsRequest.objects.filter(participant=person).order_by("received_on", "id"):
        rows.append({
            _("N.º"): item.pk, **field_values(item, ["kind", "received_on", "status", "due_on", "answered_on",
                                                     "outcome"]),
        })
    return rows


def origin_of(person):
    """Where the data came from, in plain words (Ley 21.719 art. 5: the origin is part of the answer)."""
    lines = []
    for case in Case.objects.filter(participant=person).select_related("referral_source").order_by("number"):
        line = _("Ingreso %(n)s: datos entregados por usted al postular el %(date)s") % {
            "n": case.number, "date": case.applied_on.strftime("%d-%m-%Y")}
        if case.referral_source_id:
            line += _("; la derivación de %(who)s") % {"who": case.referral_source.name}
        lines.append(line + ".")
    lines.append(_("Registros del equipo del programa durante su atención: evaluaciones, plan de intervención, "
                   "sesiones, citas, derivaciones, talleres y capacitaciones."))
    return lines
