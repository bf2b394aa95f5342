"""Reads of workshops, each at a fixed number of queries whatever the row count."""

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from participants.querysets import visible_filter
from participants.selectors import consents_prefetch, processing_block
from workshops.models import (
    Workshop, WorkshopAttendance, WorkshopEnrolment, WorkshopSession, WorkshopType, required_present,
)

PRESENT = WorkshopAttendance.Status.PRESENT
ENROLLED = WorkshopEnrolment.Status.ENROLLED


class _SubqueryCount(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def _count(queryset):
    """A correlated COUNT(*) subquery: several counts without multiplying joined rows."""
    return _SubqueryCount(queryset.order_by().values("pk"))


def _rate(present, marked):
    return round(100 * present / marked) if marked else None


# Where a person stands in a workshop, as the detail grid and the case-file tab show it.
OUTCOME_LABELS = {
    "withdrawn": _("Retirado/a"),
    "certified": _("Certificado"),
    "completed": _("Aprobado"),
    "not_completed": _("No aprobado"),
    "requirement_met": _("Cumple la asistencia"),
    "in_progress": _("En curso"),
}


def _set_outcome(enrolment, *, workshop, required):
    """Completion (the type's rule, decided here once) and the outcome shown for an enrolment."""
    enrolment.requirement_met = enrolment.present_count >= required > 0
    finished = workshop.status == Workshop.Status.FINISHED
    enrolment.completed = finished and enrolment.is_active and enrolment.requirement_met
    if not enrolment.is_active:
        enrolment.outcome = "withdrawn"
    elif enrolment.certificate_code:
        enrolment.outcome = "certified"
    elif enrolment.completed:
        enrolment.outcome = "completed"
    elif finished:
        enrolment.outcome = "not_completed"
    elif enrolment.requirement_met:
        enrolment.outcome = "requirement_met"
    else:
        enrolment.outcome = "in_progress"
    enrolment.outcome_label = OUTCOME_LABELS[enrolment.outcome]
    # Decided outcomes read as a badge in the grid.
    enrolment.outcome_badge = {"certified": "success", "completed": "success",
                               "not_completed": "secondary"}.get(enrolment.outcome, "")


def workshop_list(*, status="", workshop_type=None, facilitator=None):
    queryset = Workshop.objects.select_related("workshop_type", "cohort").prefetch_related(
        Prefetch("facilitators", to_attr="facilitator_list"),
    ).annotate(
        enrolled_count=_count(WorkshopEnrolment.objects.filter(workshop=OuterRef("pk"), status=ENROLLED)),
        session_total=_count(WorkshopSession.objects.filter(workshop=OuterRef("pk"))),
        held_count=_count(WorkshopSession.objects.filter(workshop=OuterRef("pk")).filter(
            Exists(WorkshopAttendance.objects.filter(session=OuterRef("pk"))))),
        present_total=_count(WorkshopAttendance.objects.filter(session__workshop=OuterRef("pk"), status=PRESENT)),
        marked_total=_count(WorkshopAttendance.objects.filter(session__workshop=OuterRef("pk"))),
        next_session=Subquery(
            WorkshopSession.objects.filter(workshop=OuterRef("pk"), date__gte=datetime.date.today())
            .order_by("date", "number").values("date")[:1]
        ),
    )
    if status:
        queryset = queryset.filter(status=status)
    if workshop_type:
        queryset = queryset.filter(workshop_type=workshop_type)
    if facilitator:
        queryset = queryset.filter(facilitators=facilitator)
    return queryset.order_by("-start_date", "-id")


def with_rates(workshops):
    for workshop in workshops:
        workshop.attendance_rate = _rate(workshop.present_total, workshop.marked_total)
    return workshops


def open_workshops_for_case(*, case, today=None):
    """Planned or running workshops with a session still to come that `case` is not enrolled in,
    each with `enrolled_count` (one query)."""
    today = today or datetime.date.today()
    return (
        Workshop.objects.filter(status__in=Workshop.OPEN_STATUSES)
        .filter(Exists(WorkshopSession.objects.filter(workshop=OuterRef("pk"), date__gte=today)))
        .exclude(Exists(WorkshopEnrolment.objects.filter(workshop=OuterRef("pk"), case=case, status=ENROLLED)))
        .select_related("workshop_type")
        .annotate(enrolled_count=_count(WorkshopEnrolment.objects.filter(workshop=OuterRef("pk"), status=ENROLLED)))
        .order_by("start_date", "pk")
    )


def workshop_type_list():
    return WorkshopType.objects.annotate(workshop_count=Count("workshops")).order_by("-active", "name")


def workshop_detail(*, pk, viewer):
    """The run with its sessions, and the enrolments `viewer` may see with a mark per session.

    Raises Workshop.DoesNotExist."""
    sessions = WorkshopSession.objects.annotate(
        present_count=Count("attendances", filter=Q(attendances__status=PRESENT)),
        marked_count=Count("attendances"),
    ).order_by("number")
    enrolments = WorkshopEnrolment.objects.filter(visible_filter(viewer, "case__participant")).select_related(
        "case__participant").annotate(
        present_count=Count("attendances", filter=Q(attendances__status=PRESENT)),
        justified_count=Count("attendances", filter=Q(attendances__status=WorkshopAttendance.Status.JUSTIFIED)),
        absent_count=Count("attendances", filter=Q(attendances__status=WorkshopAttendance.Status.ABSENT)),
    ).prefetch_related(Prefetch("attendances", to_attr="attendance_list"))
    workshop = (
        Workshop.objects.select_related("workshop_type", "cohort", "created_by")
        .prefetch_related(
            Prefetch("facilitators", to_attr="facilitator_list"),
            Prefetch("sessions", queryset=sessions, to_attr="session_list"),
            Prefetch("enrolments", queryset=enrolments, to_attr="enrolment_list"),
        )
        .get(pk=pk)
    )
    session_count = len(workshop.session_list)
    workshop.required_present = required_present(session_count, workshop.completion_share)
    for session in workshop.session_list:
        session.attendance_rate = _rate(session.present_count, session.marked_count)
    present_total = marked_total = 0
    for enrolment in workshop.enrolment_list:
        by_session = {a.session_id: a for a in enrolment.attendance_list}
        enrolment.marks = [by_session.get(s.pk) for s in workshop.session_list]
        marked = enrolment.present_count + enrolment.justified_count + enrolment.absent_count
        enrolment.attendance_rate = _rate(enrolment.present_count, marked)
        _set_outcome(enrolment, workshop=workshop, required=workshop.required_present)
        present_total += enrolment.present_count
        marked_total += marked
    workshop.attendance_rate = _rate(present_total, marked_total)
    workshop.active_enrolments = [e for e in workshop.enrolment_list if e.is_active]
    return workshop


def attendance_sheet(*, session_pk):
    """A session with every enrolment to mark (active ones enrolled by its date, and withdrawn ones
    already marked); `sheet_rows` are the people the printed signature sheet lists.

    People whose data may not be processed (blocked, consent withdrawn) are left
    out of the sheet and of the PDF for everyone: nothing can be recorded for
    them (workshops.services.attendance_record skips them); `left_out` counts them.
    Raises WorkshopSession.DoesNotExist."""
    session = WorkshopSession.objects.select_related("workshop__workshop_type").prefetch_related(
        Prefetch("workshop__facilitators", to_attr="facilitator_list"),
    ).get(pk=session_pk)
    marks = {a.enrolment_id: a for a in session.attendances.all()}
    rows = []
    enrolments = WorkshopEnrolment.objects.filter(workshop_id=session.workshop_id).select_related(
        "case__participant").prefetch_related(consents_prefetch("case__participant"))
    session.left_out = 0
    for enrolment in enrolments:
        mark = marks.get(enrolment.pk)
        if processing_block(enrolment.case.participant) is not None:
            session.left_out += 1
            continue
        if mark is None and enrolment.enrolled_on > session.date:
            continue  # enrolled after this session: nothing to mark or sign
        if enrolment.is_active or mark is not None:
            enrolment.mark = mark
            rows.append(enrolment)
    session.rows = rows
    # The signature sheet prints (and numbers) the active people only.
    session.sheet_rows = [enrolment for enrolment in rows if enrolment.is_active]
    session.is_future = session.date > datetime.date.today()
    return session


def sessions_on(*, date):
    """Sessions of open runs on a date, for the desk ("Talleres de hoy")."""
    return WorkshopSession.objects.filter(
        date=date, workshop__status__in=Workshop.OPEN_STATUSES,
    ).select_related("workshop__workshop_type").annotate(
        marked_count=Count("attendances"),
        enrolled_count=_count(WorkshopEnrolment.objects.filter(workshop=OuterRef("workshop_id"), status=ENROLLED)),
    ).order_by("start_time", "workshop_id")


def case_workshops(*, cases):
    """Enrolments of the given cases with their progress, for the case-file tab."""
    enrolments = WorkshopEnrolment.objects.filter(case__in=cases).select_related(
        "workshop__workshop_type", "case",
    ).annotate(
        present_count=Count("attendances", filter=Q(attendances__status=PRESENT), distinct=True),
        marked_count=Count("attendances", distinct=True),
        session_total=_count(WorkshopSession.objects.filter(workshop=OuterRef("workshop_id"))),
    ).order_by("-workshop__start_date", "-id")
    result = list(enrolments)
    for enrolment in result:
        workshop = enrolment.workshop
        enrolment.required = required_present(enrolment.session_total, workshop.completion_share)
        enrolment.attendance_rate = _rate(enrolment.present_count, enrolment.marked_count)
        _set_outcome(enrolment, workshop=workshop, required=enrolment.required)
    return result


def certificate_lookup(*, code):
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    if not code:
        return None
    return WorkshopEnrolment.objects.select_related(
        "case__participant", "workshop__workshop_type",
    ).filter(certificate_code=code).first()


def certificate_data(*, enrolment_pk):
    """An enrolment with what its certificate prints. Raises WorkshopEnrolment.DoesNotExist."""
    enrolment = WorkshopEnrolment.objects.select_related(
        "case__participant", "workshop__workshop_type",
    ).prefetch_related(Prefetch("workshop__facilitators", to_attr="facilitator_list")).annotate(
        present_count=Count("attendances", filter=Q(attendances__status=PRESENT)),
    ).get(pk=enrolment_pk)
    sessions = list(enrolment.workshop.sessions.order_by("number"))
    enrolment.session_total = len(sessions)
    enrolment.first_date = sessions[0].date if sessions else None
    enrolment.last_date = sessions[-1].date if sessions else None
    enrolment.hours = enrolment.present_count * enrolment.workshop.hours_per_session
    enrolment.total_hours = enrolment.session_total * enrolment.workshop.hours_per_session
    return enrolment
