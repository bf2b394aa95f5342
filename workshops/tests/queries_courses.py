"""Trade-training list pages for tests/test_queries.py: 2 rows and 30 rows cost the same queries."""

import datetime

from django.urls import reverse

from conecta import permissions as p
from workshops.models import CourseEnrolment, TrainingCourse
from workshops.tests.factories_courses import CourseEnrolmentFactory, TrainingCourseFactory

Status = CourseEnrolment.Status


def _course():
    course = TrainingCourse.objects.filter(name="Curso de consultas").first()
    return course or TrainingCourseFactory(name="Curso de consultas", places=100)


def add_courses(users, n):
    for _i in range(n):
        course = TrainingCourseFactory(start_date=datetime.date.today() + datetime.timedelta(days=5))
        CourseEnrolmentFactory(course=course, status=Status.ENROLLED)


def add_enrolments(status):
    def add(users, n):
        course = _course()
        for _i in range(n):
            enrolment = CourseEnrolmentFactory(course=course, status=status)
            if status == Status.CERTIFIED:
                enrolment.certified_on = datetime.date.today()
                enrolment.save()
    return add


def course_detail_url(users):
    return reverse("workshops:course_detail", args=[_course().pk])


QUERY_PAGES = [
    ("courses-list", p.OCCUPATIONAL_THERAPIST, lambda users: reverse("workshops:course_list"), add_courses),
    ("courses-list-filtered", p.MANAGER,
     lambda users: reverse("workshops:course_list") + "?status=open&sence=yes", add_courses),
    ("courses-detail", p.OCCUPATIONAL_THERAPIST, course_detail_url, add_enrolments(Status.IN_PROGRESS)),
    ("courses-in-training", p.PSYCHOLOGIST, lambda users: reverse("workshops:enrolment_list"),
     add_enrolments(Status.IN_PROGRESS)),
    ("courses-by-status", p.MANAGER, lambda users: reverse("workshops:enrolment_list") + "?status=applied",
     add_enrolments(Status.APPLIED)),
    ("courses-certified", p.OCCUPATIONAL_THERAPIST, lambda users: reverse("workshops:enrolment_certified_list"),
     add_enrolments(Status.CERTIFIED)),
    ("courses-therapist-home", p.OCCUPATIONAL_THERAPIST,
     lambda users: reverse("role_home", args=[p.OCCUPATIONAL_THERAPIST]), add_courses),
]
