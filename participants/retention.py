"""Retention periods and anonymisation (principle of proportionality, Ley 19.628 art. 3 as
given by Ley 21.719: data are kept only as long as their purpose needs, then anonymised).

The periods are settings (`CONECTA_RETENTION`, set by the program's lawyer). The
monthly command `anonymise_expired` finds what is past them and, with `--apply`,
replaces identity and free text — in the live tables and in every simple-history
row — while dates, statuses, cohorts, categories and counts stay, so the
program's statistics do not change.

Every app says which of its fields hold identity or free text by registering them
here (`register_fields`, in AppConfig.ready()): `participants` knows nothing of the
apps built on it, and a test checks that every text field of every model is either
registered or knowingly kept (`KEPT_TEXT_FIELDS`)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta.models import AccessLog
from conecta.services import save_with_history

ANONYMISED_NAME = "Anonimizado"
ANONYMISED_TEXT = "[anonimizado]"


@dataclass(frozen=True)
class FieldSpec:
    """The fields of `model` to anonymise for the people whose ids `path` leads to.

    `path`: lookup from the model to the Participant ("" for Participant itself).
    `values`: {field: value or callable(instance)}; a field named in `fields`
    without a value gets "" when it may be blank, else ANONYMISED_TEXT.
    `files`: file fields whose stored file is deleted and whose name is cleared."""

    model: type
    path: str
    fields: tuple = ()
    values: dict = field(default_factory=dict)
    files: tuple = ()

    def replacement(self, instance):
        result = {}
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            result[name] = "" if model_field.blank else ANONYMISED_TEXT
        for name, value in self.values.items():
            result[name] = value(instance) if callable(value) else value
        for name in self.files:
            result[name] = ""
        return result

    def rows_of(self, participant_ids):
        lookup = f"{self.path}__in" if self.path else "pk__in"
        return self.model._default_manager.filter(**{lookup: list(participant_ids)}).order_by("pk")


_SPECS = []


def register_fields(model, *, path, fields=(), values=None, files=()):
    """Declare the identity and free-text fields of `model` (AppConfig.ready(); once per model)."""
    if any(spec.model is model for spec in _SPECS):
        return
    _SPECS.append(FieldSpec(model, path, tuple(fields), dict(values or {}), tuple(files)))


def registered_specs():
    return list(_SPECS)


def keep_fields(model_label, fields):
    """Text fields of a person's record that stay as they are (codes, computed labels), on purpose."""
    KEPT_TEXT_FIELDS.setdefault(model_label, set()).update(fields)


def _has_history(model):
    return hasattr(model, "history") and hasattr(model.history, "model")


def anonymise_rows(spec, rows, *, reason):
    """Replace the spec's fields in `rows` and in all their history rows; returns how many rows."""
    count = 0
    for instance in rows:
        values = spec.replacement(instance)
        for name in spec.files:
            stored = getattr(instance, name)
            if stored:
                stored.storage.delete(stored.name)
        if _has_history(spec.model):
            # Rewrite the past versions first, then save: the new version records why.
            spec.model.history.filter(id=instance.pk).update(history_change_reason=ANONYMISED_TEXT, **values)
            for name, value in values.items():
                setattr(instance, name, value)
            save_with_history(instance, actor=None, reason=reason)
        else:
            spec.model._default_manager.filter(pk=instance.pk).update(**values)
        count += 1
    return count


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class RetentionReport:
    """What is past its retention period on `today` (ids), before or after anonymising."""

    today: datetime.date
    people: list = field(default_factory=list)
    skipped_blocked: list = field(default_factory=list)
    access_log: int = 0
    phone_followups: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)  # model label → rows anonymised (after --apply)


def _limits(today):
    periods = settings.CONECTA_RETENTION
    return {name: _years_before(today, years) for name, years in periods.items()}


def expired_people(*, today=None):
    """(ids to anonymise, ids skipped because blocked): people all of whose cases are past retention.

    A person qualifies when none of their cases is open or in follow-up, every closed
    case closed before `closed_case_years`, every not-admitted one was decided before
    `not_admitted_years`, and someone with no case at all was registered before
    `no_case_years`. A blocked person is kept as is: the block holds the data (e.g.
    for a claim) until the manager lifts it."""
    from participants.models import Case, CaseStatus, CaseStatusChange, Participant

    today = today or timezone.localdate()
    limits = _limits(today)
    cases = Case.objects.filter(participant=OuterRef("pk"))
    not_finished = cases.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.NOT_ADMITTED])
    recently_closed = cases.filter(status=CaseStatus.CLOSED).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=limits["closed_case_years"]))
    recently_refused = cases.filter(status=CaseStatus.NOT_ADMITTED).exclude(Exists(
        CaseStatusChange.objects.filter(case=OuterRef("pk"), to_status=CaseStatus.NOT_ADMITTED,
                                        date__lte=limits["not_admitted_years"])))
    recent_without_case = Q(created_at__date__gt=limits["no_case_years"]) & ~Exists(cases)
    candidates = (
        Participant.objects.filter(anonymised_on__isnull=True)
        .exclude(Exists(not_finished)).exclude(Exists(recently_closed)).exclude(Exists(recently_refused))
        .exclude(recent_without_case)
        .order_by("pk")
    )
    ids, blocked = [], []
    for pk, blocked_on in candidates.values_list("pk", "blocked_on"):
        (blocked if blocked_on else ids).append(pk)
    return ids, blocked


def expired_phone_followups(*, today=None):
    """Finished phone follow-ups whose missed date is past `phone_followup_years`, not yet cleared."""
    from participants.models import PhoneFollowUp

    limit = _limits(today or timezone.localdate())["phone_followup_years"]
    return list(
        PhoneFollowUp.objects.filter(missed_on__lte=limit)
        .exclude(status=PhoneFollowUp.Status.OPEN)
        .exclude(description=ANONYMISED_TEXT)
        .order_by("pk").values_list("pk", flat=True)
    )


def expired_access_log(*, today=None):
    limit = _limits(today or timezone.localdate())["access_log_years"]
    start = timezone.make_aware(datetime.datetime.combine(limit, datetime.time.min))
    return AccessLog.objects.filter(at__lt=start).exclude(subject_label=ANONYMISED_NAME)


def retention_report(*, today=None):
    today = today or timezone.localdate()
    people, blocked = expired_people(today=today)
    return RetentionReport(today=today, people=people, skipped_blocked=blocked,
                           access_log=expired_access_log(today=today).count(),
                           phone_followups=expired_phone_followups(today=today))


def anonymise_people(participant_ids, *, today=None):
    """Anonymise the people and everything every app registered about them; {model label: rows}."""
    from participants.models import Participant

    today = today or timezone.localdate()
    participant_ids = list(participant_ids)
    reason = _("Anonimización por vencimiento del plazo de conservación (Ley 21.719)")
    counts = {}
    with transaction.atomic():
        for spec in _SPECS:
            if spec.model is Participant:
                continue  # last: the other specs reach their rows through the person
            counts[spec.model._meta.label] = anonymise_rows(spec, spec.rows_of(participant_ids), reason=reason)
        person_spec = next(s for s in _SPECS if s.model is Participant)
        people = Participant.objects.filter(pk__in=participant_ids).order_by("pk")
        for person in people:
            person.anonymised_on = today
        counts[Participant._meta.label] = anonymise_rows(person_spec, people, reason=reason)
        Participant.history.filter(id__in=participant_ids).update(anonymised_on=today)
        subject_type = _participant_type()
        counts[AccessLog._meta.label] = AccessLog.objects.filter(
            subject_type=subject_type, subject_id__in=participant_ids).update(subject_label=ANONYMISED_NAME)
    return counts


def _participant_type():
    from django.contrib.contenttypes.models import ContentType

    from participants.models import Participant

    return ContentType.objects.get_for_model(Participant)


def anonymise_phone_followups(followup_ids):
    """Clear what was said on the phone about old absences (the rows and their counts stay)."""
    from participants.models import PhoneCall, PhoneFollowUp

    reason = _("Anonimización por vencimiento del plazo de conservación (Ley 21.719)")
    followup_spec = next(s for s in _SPECS if s.model is PhoneFollowUp)
    call_spec = next(s for s in _SPECS if s.model is PhoneCall)
    with transaction.atomic():
        calls = anonymise_rows(call_spec, PhoneCall.objects.filter(followup_id__in=followup_ids).order_by("pk"),
                               reason=reason)
        followups = anonymise_rows(followup_spec, PhoneFollowUp.objects.filter(pk__in=followup_ids).order_by("pk"),
                                   reason=reason)
    return {PhoneFollowUp._meta.label: followups, PhoneCall._meta.label: calls}


def apply_retention(*, today=None):
    """Anonymise everything past retention on `today`; the report carries the row counts."""
    report = retention_report(today=today)
    report.rows.update(anonymise_people(report.people, today=report.today))
    for label, count in anonymise_phone_followups(report.phone_followups).items():
        report.rows[label] = report.rows.get(label, 0) + count
    # Past its period a log row no longer says whose file was seen; who looked and when stay.
    expired = expired_access_log(today=report.today).update(subject_label=ANONYMISED_NAME, subject_id=0)
    report.rows[AccessLog._meta.label] = report.rows.get(AccessLog._meta.label, 0) + expired
    return report


# --- What participants itself anonymises --------------------------------------------------------

def anonymised_rut(person):
    """Unique, and never a valid RUT (letters in the body), so it cannot match a real person."""
    return f"ANON{person.pk:08d}"


def _birth_year_only(person):
    # The year keeps age statistics; the exact date identifies.
    return person.birth_date.replace(month=1, day=1) if person.birth_date else None


# Text fields of any model that the anonymisation knowingly leaves: codes, reference data
# and wording of the program (not about a person). A test checks every other text field
# of every model is registered above or in the apps' registrations.
KEPT_TEXT_FIELDS = {
    "participants.Participant": {"nationality", "search_text", "processing_basis"},
    "participants.Consent": {"version"},
    "participants.Cohort": {"name"},
    # subject_label is replaced by anonymise_people / apply_retention; path holds ids only.
    "conecta.AccessLog": {"subject_label", "path"},
}


def register_core_fields():
    from participants.models import (
        Case, CaseStatusChange, Consent, FamilyMember, Participant, PhoneCall, PhoneFollowUp, ReceivedDocument,
    )

    register_fields(Participant, path="", values={
        "given_names": ANONYMISED_NAME, "paternal_surname": "", "maternal_surname": "", "social_name": "",
        "rut": anonymised_rut, "birth_date": _birth_year_only,
    }, fields=("phone", "email", "address", "sector", "household_notes", "blocked_reason",
               "processing_basis_detail"))
    register_fields(FamilyMember, path="participant", values={"name": ANONYMISED_NAME},
                    fields=("phone", "email", "notes"))
    register_fields(Case, path="participant",
                    fields=("offences", "not_admitted_reason", "exception_reason", "referral_notes"))
    register_fields(CaseStatusChange, path="case__participant", fields=("reason",))
    register_fields(Consent, path="participant", fields=("withdrawal_reason",), files=("file",))
    register_fields(ReceivedDocument, path="participant", fields=("notes",), files=("file",))
    register_fields(PhoneFollowUp, path="case__participant", fields=("description", "resolution"))
    register_fields(PhoneCall, path="followup__case__participant", fields=("notes",))


def is_text_field(model_field):
    return isinstance(model_field, (models.CharField, models.TextField)) and not model_field.choices
