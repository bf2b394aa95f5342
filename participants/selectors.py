"""Reads of people and cases, each at a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery

from django.utils.translation import gettext as _, gettext_lazy

from conecta import permissions
from conecta import rut as rut_utils
from conecta.text import fold
from participants.models import (
    UNFINISHED_STATUSES, Case, CaseStatus, CaseStatusChange, Cohort, Consent, FamilyMember, Participant, ReceivedDocument,
)


# --- May the person's data be processed? (Ley 21.719) -------------------------------------------
# What a caller wants to do with the data, for `processing_block`:
PROCESS = "process"        # anything new: edits, sessions, assessments, plans, referrals, appointments,
                           # enrolments, phone calls, documents, PDFs
WIND_DOWN = "wind_down"    # ending what is under way: exit, close or not-admit the case, withdraw
                           # from a workshop or course, cancel an appointment
CONSENT = "consent"        # recording a new consent
# Under a withdrawn consent the law still allows the two last ones (art. 12: revoking consent
# has no retroactive effect and stops new processing; what the program must do to end the
# relationship stays lawful, art. 13). Viewing by the team, the access log and the
# rights-request work are not refused either. A block (bloqueo) refuses all three.
PURPOSES = (PROCESS, WIND_DOWN, CONSENT)

BLOCKED = "blocked"
CONSENT_WITHDRAWN = "consent_withdrawn"


@dataclass(frozen=True)
class ProcessingRestriction:
    """Why the person's data may not be processed now; `str()` is the message for the user."""

    kind: str  # BLOCKED or CONSENT_WITHDRAWN
    since: datetime.date
    message: str

    def __str__(self):
        return self.message

    @property
    def is_block(self):
        return self.kind == BLOCKED


def _data_protection_consents(person):
    prefetched = getattr(person, "consent_list", None)
    if prefetched is not None:
        return [c for c in prefetched if c.kind == Consent.Kind.DATA_PROTECTION]
    return list(Consent.objects.filter(participant_id=person.pk, kind=Consent.Kind.DATA_PROTECTION)
                .only("withdrawn_on", "signed_on", "kind"))


def consents_prefetch(path="participant"):
    """Prefetch of the people's consents, so `processing_block` over a list costs one query."""
    return Prefetch(f"{path}__consents" if path else "consents", to_attr="consent_list")


def has_active_consent(person, *, on=None):
    """An unwithdrawn data-protection consent signed on or before `on` (default: any date)."""
    return any(c.withdrawn_on is None and (on is None or c.signed_on <= on)
               for c in _data_protection_consents(person))


def processing_block(person, *, purpose=PROCESS):
    """None when `purpose` may go ahead on the person's data, else a ProcessingRestriction.

    The one rule every service (DomainError) and page (banner, refusal) asks:
    - blocked (bloqueo): nothing at all, whatever the purpose, until the manager unblocks;
    - the data-protection consent was withdrawn and none is active, and the manager
      authorised no processing on a legal basis: only WIND_DOWN and CONSENT.
    A person who never signed one is not restricted here: admission asks for it
    (services.case_transition), and earlier records stay workable."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    if person.blocked_on is not None:
        return ProcessingRestriction(BLOCKED, person.blocked_on, _(
            "Los datos de esta persona están bloqueados desde el %(date)s: solo se pueden consultar "
            "hasta que la gestora levante el bloqueo.") % {"date": person.blocked_on.strftime("%d-%m-%Y")})
    if purpose != PROCESS or person.processing_basis:
        return None
    consents = _data_protection_consents(person)
    if not consents or any(c.withdrawn_on is None for c in consents):
        return None
    since = max(c.withdrawn_on for c in consents)
    return ProcessingRestriction(CONSENT_WITHDRAWN, since, _(
        "La persona retiró su consentimiento de tratamiento de datos el %(date)s: no se registran nuevas "
        "atenciones, cambios ni documentos. Se puede registrar un nuevo consentimiento, egresar o cerrar el "
        "caso, o la gestora puede autorizar el tratamiento con una base legal.")
        % {"date": since.strftime("%d-%m-%Y")})


def _latest_case(field):
    return Subquery(
        Case.objects.filter(participant=OuterRef("pk")).order_by("-number").values(field)[:1]
    )


def participant_search(queryset, query):
    """Accent-insensitive match on names, or on the RUT when the query looks like one."""
    query = (query or "").strip()
    if not query:
        return queryset
    if rut_utils.looks_like_rut(query):
        key = rut_utils.search_key(query)
        if "-" in key:
            return queryset.filter(rut=key)
        # Without a dash the last character may be the check digit or part of the body.
        return queryset.filter(Q(rut__startswith=key) | Q(rut=f"{key[:-1]}-{key[-1]}"))
    for term in fold(query).split():
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def participant_list(*, user, query="", status="", cohort=None, category=""):
    queryset = Participant.objects.visible_to(user).select_related("commune").annotate(
        current_case_id=_latest_case("pk"),
        current_case_number=_latest_case("number"),
        current_status=_latest_case("status"),
        current_cohort=_latest_case("cohort__name"),
        current_category=_latest_case("category"),
        # A subquery, not Count("cases"): a join and GROUP BY would run over every person
        # before the page is cut (and again for the page count).
        case_count=Subquery(Case.objects.filter(participant=OuterRef("pk")).order_by()
                            .values("participant").annotate(n=Count("pk")).values("n")[:1]),
    )
    queryset = participant_search(queryset, query)
    # A latest case with this status is a case with this status: the indexed `pk__in` narrows
    # the people first, the annotation then keeps those whose latest case it is.
    if status:
        queryset = queryset.filter(pk__in=Case.objects.filter(status=status).values("participant"),
                                   current_status=status)
    if cohort:
        # Any episode in the cohort counts, as in the cohort list's case count.
        queryset = queryset.filter(Exists(Case.objects.filter(participant=OuterRef("pk"), cohort=cohort)))
    if category and permissions.can_see_sensitive(user):
        queryset = queryset.filter(pk__in=Case.objects.filter(category=category).values("participant"),
                                   current_category=category)
    return queryset.order_by("paternal_surname", "maternal_surname", "given_names", "pk")


def participant_case_file(*, pk, user):
    """The person with everything the case file shows, prefetched; DoesNotExist when out of `user`'s sight."""
    cases = Case.objects.select_related(
        "cohort", "referral_source", "supervising_institution", "exception_granted_by",
        "psychologist", "social_worker", "occupational_therapist", "followup_psychologist",
    ).prefetch_related(
        Prefetch(
            "status_changes",
            queryset=CaseStatusChange.objects.select_related("actor"),
            to_attr="timeline",
        )
    ).order_by("-number")
    return (
        Participant.objects.visible_to(user)
        .select_related("commune__region", "created_by", "blocked_by", "processing_authorised_by")
        .prefetch_related(
            Prefetch("cases", queryset=cases, to_attr="case_list"),
            "family_members",
            Prefetch("consents", to_attr="consent_list"),
            Prefetch("documents", queryset=ReceivedDocument.objects.select_related("received_by"), to_attr="document_list"),
        )
        .get(pk=pk)
    )


def status_counts(*, cases, viewer=None):
    """{status: count} over a case queryset, every status present (zero included).

    With `viewer`, `cases` is not yet narrowed to what the viewer may see: the counts are
    taken over the cases alone (an index count, however long the program's history) and the
    cases of blocked people, a handful, are taken off, instead of joining every case to its
    person."""
    counts = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
    if viewer is not None and not permissions.can_see_blocked_people(viewer):
        hidden = cases.filter(participant__blocked_on__isnull=False)
        for status, n in hidden.values_list("status").annotate(n=Count("id")).order_by():
            counts[status] -= n
    return [(value, label, counts.get(value, 0)) for value, label in CaseStatus.choices]


CASELOAD_FIELDS = {
    permissions.PSYCHOLOGIST: "psychologist",
    permissions.SOCIAL_WORKER: "social_worker",
    permissions.OCCUPATIONAL_THERAPIST: "occupational_therapist",
    permissions.FOLLOWUP_PSYCHOLOGIST: "followup_psychologist",
}


def caseload_for(*, user, role):
    """The cases a professional carries in the given role."""
    field = CASELOAD_FIELDS.get(role)
    cases = Case.objects.visible_to(user).select_related("participant", "cohort")
    if field is None:
        return cases
    return cases.filter(**{field: user})


def caseload_status_counts(*, user, role):
    """status_counts of the unfinished cases a professional carries in `role`, blocked people
    left out. Closed and not-admitted cases are the program's history, not a caseload: left
    out, the count costs the same in the first year and the tenth."""
    field = CASELOAD_FIELDS.get(role)
    cases = Case.objects.filter(status__in=UNFINISHED_STATUSES)
    cases = cases.filter(**{field: user}) if field else cases
    return [row for row in status_counts(cases=cases, viewer=user) if row[0] in UNFINISHED_STATUSES]


def semester_bounds(day=None):
    day = day or datetime.date.today()
    if day.month <= 6:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def cohort_list():
    active = [CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION]
    return Cohort.objects.annotate(
        case_count=Count("cases", distinct=True),
        active_count=Count("cases", filter=Q(cases__status__in=active), distinct=True),
    ).order_by("-start_date")


HISTORY_TYPES = {"+": gettext_lazy("Creación"), "~": gettext_lazy("Modificación"), "-": gettext_lazy("Eliminación")}
# Fields never listed in the receptionist's history view.
_RECEPTION_HIDDEN_FIELDS = {"education_level", "household_notes", "blocked_reason", "processing_basis",
                            "processing_basis_detail"}


def participant_history(*, person, sensitive):
    """Change rows of the person (and, for professionals, of their case data), newest first."""
    sources = [(person.history.select_related("history_user"), _("Datos personales"))]
    if sensitive:
        sources += [
            (Case.history.filter(participant_id=person.pk).select_related("history_user"), _("Caso")),
            (FamilyMember.history.filter(participant_id=person.pk).select_related("history_user"), _("Familia")),
            (Consent.history.filter(participant_id=person.pk).select_related("history_user"), _("Consentimiento")),
            (ReceivedDocument.history.filter(participant_id=person.pk).select_related("history_user"), _("Documento")),
        ]
    entries = []
    related = {}  # model → {pk: label}, resolved in one query per model below
    for queryset, label in sources:
        previous_by_object = {}
        for record in queryset.order_by("history_date"):
            previous = previous_by_object.get(record.id)
            changes = []
            if previous is not None:
                for change in record.diff_against(previous).changes:
                    if not sensitive and change.field in _RECEPTION_HIDDEN_FIELDS:
                        continue
                    field = record.instance_type._meta.get_field(change.field)
                    if field.is_relation:
                        for value in (change.old, change.new):
                            if value is not None:
                                related.setdefault(field.related_model, set()).add(value)
                    changes.append([field, change.old, change.new])
            previous_by_object[record.id] = record
            entries.append({"record": record, "section": label, "changes": changes,
                            "action": HISTORY_TYPES.get(record.history_type, record.history_type)})
    labels = {model: {obj.pk: str(obj) for obj in model.objects.filter(pk__in=pks)} for model, pks in related.items()}
    for entry in entries:
        entry["changes"] = [
            (field.verbose_name, _history_value(field, old, labels), _history_value(field, new, labels))
            for field, old, new in entry["changes"]
        ]
    entries.sort(key=lambda e: e["record"].history_date, reverse=True)
    return entries


def _history_value(field, value, labels):
    """A stored value as the user knows it: choice labels, names, Sí/No, dd-mm-aaaa."""
    if value in (None, "", []):
        return "—"
    if field.is_relation:
        return labels.get(field.related_model, {}).get(value, value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, list) and field.name == "vulnerability_factors":
        names = dict(Case.VulnerabilityFactor.choices)
        return "; ".join(str(names.get(v, v)) for v in value)
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return value
