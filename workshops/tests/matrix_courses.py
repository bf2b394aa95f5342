"""Access-matrix rows of trade training (tests/test_access_matrix.py collects them)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from conecta import permissions as p
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory
from tests.roles import PROFESSIONALS, only
from workshops.models import CourseEnrolment
from workshops.tests.factories_courses import CourseEnrolmentFactory, TrainingCourseFactory

TRAINING = [p.MANAGER, p.OCCUPATIONAL_THERAPIST]


def build(objects):
    course = TrainingCourseFactory(created_by=objects["users"][p.OCCUPATIONAL_THERAPIST])
    enrolment = CourseEnrolmentFactory(course=course, case=CaseFactory(status=CaseStatus.INTERVENTION))
    certified = CourseEnrolmentFactory(course=course, case=CaseFactory(status=CaseStatus.EXITED),
                                       status=CourseEnrolment.Status.CERTIFIED)
    certified.certificate.save("certificado.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"courses_course": course, "courses_enrolment": enrolment, "courses_certified": certified}


ROWS = [
    ("course_list", lambda o: reverse("workshops:course_list"), only(PROFESSIONALS), 302),
    ("course_create", lambda o: reverse("workshops:course_create"), only(TRAINING), 302),
    ("course_detail", lambda o: reverse("workshops:course_detail", args=[o["courses_course"].pk]),
     only(PROFESSIONALS), 302),
    ("course_update", lambda o: reverse("workshops:course_update", args=[o["courses_course"].pk]), only(TRAINING), 302),
    ("enrolment_create", lambda o: reverse("workshops:enrolment_create", args=[o["courses_course"].pk]),
     only(TRAINING), 302),
    ("course_enrol_case", lambda o: reverse("workshops:course_enrol_case", args=[o["case"].pk]), only(TRAINING), 302),
    ("course_enrol_case:missing", lambda o: reverse("workshops:course_enrol_case", args=[999999]),
     only(TRAINING, status=404), 302),
    ("enrolment_list", lambda o: reverse("workshops:enrolment_list"), only(PROFESSIONALS), 302),
    ("enrolment_certified_list", lambda o: reverse("workshops:enrolment_certified_list"), only(PROFESSIONALS), 302),
    ("enrolment_detail", lambda o: reverse("workshops:enrolment_detail", args=[o["courses_enrolment"].pk]),
     only(PROFESSIONALS), 302),
    ("enrolment_move", lambda o: reverse("workshops:enrolment_move", args=[o["courses_enrolment"].pk, "enrol"]),
     only(TRAINING), 302),
    ("enrolment_certificate",
     lambda o: reverse("workshops:enrolment_certificate", args=[o["courses_certified"].pk]), only(PROFESSIONALS), 302),
]
