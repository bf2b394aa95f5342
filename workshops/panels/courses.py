"""Trade training on the role homes, in the case file and in the menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.home import register_panel
from conecta.navigation import register_nav
from workshops.models import CourseEnrolment
from workshops.selectors import courses as selectors

STARTING_SOON_DAYS = 30
STARTING_SOON_LIMIT = 8

register_nav(label=_("Capacitación"), url_name="workshops:course_list", allowed=permissions.can_work_cases,
             order=60, group=_("Talleres"))
register_nav(label=_("Certificados del semestre"), url_name="workshops:enrolment_certified_list",
             allowed=permissions.can_work_cases, order=61, group=_("Talleres"))


def _status_link(status):
    if status == CourseEnrolment.Status.CERTIFIED:
        return reverse("workshops:enrolment_certified_list")
    return reverse("workshops:enrolment_list") + f"?status={status}"


@register_panel(roles=[permissions.OCCUPATIONAL_THERAPIST, permissions.MANAGER],
                template="workshops/panels/_courses.html", order=40)
def training_overview(*, request, role):
    counts = selectors.enrolment_status_counts()
    return {
        "counts": [(label, count, _status_link(status)) for status, label, count in counts],
        "in_training": sum(count for status, _label, count in counts if status in CourseEnrolment.TRAINING_STATUSES),
        "starting_soon": list(selectors.courses_starting_soon(days=STARTING_SOON_DAYS)[:STARTING_SOON_LIMIT]),
        "days": STARTING_SOON_DAYS,
    }


@register_tab(key="capacitacion", label=_("Capacitación"), section=permissions.SECTION_WORKSHOPS,
              template="workshops/tabs/_courses.html", order=60)
def casefile_courses(*, request, person, cases):
    enrolments = selectors.person_enrolments(person=person)
    return {
        "enrolments": enrolments,
        "count": len(enrolments),
        # The desk sees course, dates and status only: no drop reason, no certificate.
        "details": permissions.can_work_cases(request.user),
        "can_manage": permissions.can_manage_training(request.user),
        "open_case": next((c for c in cases if c.status in selectors.ENROLLABLE_CASE_STATUSES), None),
    }
