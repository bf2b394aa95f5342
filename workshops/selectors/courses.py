"""Reads of trade training, each at a fixed number of queries."""

import datetime

from django.db.models import Count, Prefetch, Q

from participants.models import Case, CaseStatus
from participants.querysets import visible_filter
from participants.selectors import semester_bounds
from workshops.models import CourseEnrolment, EnrolmentEvent, TrainingCourse

Status = CourseEnrolment.Status

# Cases that may join a course: those being worked with, and those who exited
# (trade training often follows the intervention).
ENROLLABLE_CASE_STATUSES = (CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION, CaseStatus.EXITED)

# Courses that still take applications.
ENROLLING_COURSE_STATUSES = (
    TrainingCourse.Status.PLANNED, TrainingCourse.Status.OPEN, TrainingCourse.Status.IN_PROGRESS,
)


def course_list(*, status="", provider=None, sence=""):
    """Courses with their seat and applicant counts; `sence` is "yes", "no" or ""."""
    courses = TrainingCourse.objects.select_related("provider").annotate(
        seats_taken=Count("enrolments", filter=Q(enrolments__status__in=CourseEnrolment.SEAT_STATUSES)),
        applicants=Count("enrolments", filter=Q(enrolments__status=Status.APPLIED)),
        certified=Count("enrolments", filter=Q(enrolments__status=Status.CERTIFIED)),
    )
    if status:
        courses = courses.filter(status=status)
    if provider:
        courses = courses.filter(provider=provider)
    if sence == "yes":
        courses = courses.filter(sence_certified=True)
    elif sence == "no":
        courses = courses.filter(sence_certified=False)
    return courses.order_by("-start_date", "name", "pk")


def course_detail(*, pk, viewer):
    """The course with the enrolments `viewer` may see (person and case) prefetched."""
    enrolments = CourseEnrolment.objects.filter(visible_filter(viewer, "case__participant")).select_related(
        "case__participant").order_by(
        "case__participant__paternal_surname", "case__participant__given_names", "pk",
    )
    return (
        TrainingCourse.objects.select_related("provider", "created_by")
        .prefetch_related(Prefetch("enrolments", queryset=enrolments, to_attr="enrolment_list"))
        .get(pk=pk)
    )


def _enrolments():
    return CourseEnrolment.objects.select_related("course__provider", "case__participant")


def enrolment_list(*, viewer, status=""):
    """Enrolments in the given status; without one, who is in training now (enrolled or in progress)."""
    enrolments = _enrolments().filter(visible_filter(viewer, "case__participant"))
    if status:
        enrolments = enrolments.filter(status=status)
    else:
        enrolments = enrolments.filter(status__in=CourseEnrolment.TRAINING_STATUSES)
    return enrolments.order_by("course__start_date", "course__name", "case__participant__paternal_surname", "pk")


def certified_in_semester(*, viewer, day=None):
    start, end = semester_bounds(day)
    enrolments = _enrolments().filter(visible_filter(viewer, "case__participant"), status=Status.CERTIFIED, certified_on__range=(start, end))
    return enrolments.order_by("-certified_on", "pk"), start, end


def enrolment_detail(*, pk):
    return (
        CourseEnrolment.objects.select_related("course__provider", "case__participant", "created_by")
        .prefetch_related(Prefetch("events", queryset=EnrolmentEvent.objects.select_related("actor"),
                                   to_attr="timeline"))
        .get(pk=pk)
    )


def enrolment_status_counts():
    """[(status, label, count)] over every enrolment, zero included."""
    counts = dict(CourseEnrolment.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def courses_starting_soon(*, days=30, today=None):
    today = today or datetime.date.today()
    return (
        TrainingCourse.objects.select_related("provider")
        .filter(start_date__range=(today, today + datetime.timedelta(days=days)),
                status__in=[TrainingCourse.Status.PLANNED, TrainingCourse.Status.OPEN])
        .annotate(seats_taken=Count("enrolments", filter=Q(enrolments__status__in=CourseEnrolment.SEAT_STATUSES)))
        .order_by("start_date", "pk")
    )


def person_enrolments(*, person):
    """Every enrolment of the person's cases, newest first (case-file tab)."""
    return list(
        CourseEnrolment.objects.select_related("course__provider", "case")
        .filter(case__participant=person)
        .order_by("-applied_on", "-pk")
    )


def enrollable_cases():
    # Nobody enrols a blocked person (their data are read-only), the manager included.
    return Case.objects.select_related("participant").filter(
        status__in=ENROLLABLE_CASE_STATUSES, participant__blocked_on__isnull=True).order_by(
        "participant__paternal_surname", "participant__maternal_surname", "participant__given_names", "number",
    )


def courses_open_to(*, case, today=None):
    """Courses taking applications that have not ended and `case` has not applied to."""
    today = today or datetime.date.today()
    return (
        TrainingCourse.objects.select_related("provider")
        .filter(status__in=ENROLLING_COURSE_STATUSES, end_date__gte=today)
        .exclude(enrolments__case=case)
        .order_by("start_date", "name", "pk")
    )
