import datetime

import factory

from conecta.models import Institution
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, InstitutionFactory, UserFactory
from workshops.models import CourseEnrolment, EnrolmentEvent, TrainingCourse


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    trade = "Construcción"
    name = factory.Sequence(lambda n: f"Maestro en obras menores {n}")
    provider = factory.SubFactory(InstitutionFactory, kind=Institution.Kind.TRAINING)
    sence_certified = True
    sence_code = factory.Sequence(lambda n: f"12380{n:05d}")
    hours = 120
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=20))
    end_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=40))
    places = 10
    cost = 350000
    funding_source = TrainingCourse.FundingSource.SENCE
    status = TrainingCourse.Status.OPEN
    created_by = factory.SubFactory(UserFactory)


class CourseEnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment written straight to the database in the given status (tests of reads)."""

    class Meta:
        model = CourseEnrolment
        skip_postgeneration_save = True

    class Params:
        # An enrolment that passed belongs to a course that has ended (the services' date rule).
        course_ended = factory.LazyAttribute(
            lambda o: o.status in (CourseEnrolment.Status.COMPLETED, CourseEnrolment.Status.CERTIFIED))

    course = factory.Maybe(
        "course_ended",
        yes_declaration=factory.SubFactory(
            TrainingCourseFactory, status=TrainingCourse.Status.FINISHED,
            start_date=factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=90)),
            end_date=factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=31))),
        no_declaration=factory.SubFactory(TrainingCourseFactory),
    )
    case = factory.SubFactory(CaseFactory, status=CaseStatus.INTERVENTION)
    status = CourseEnrolment.Status.APPLIED
    applied_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    status_changed_on = factory.SelfAttribute("applied_on")
    created_by = factory.SelfAttribute("course.created_by")

    @factory.post_generation
    def events(self, create, extracted, **kwargs):
        if create:
            EnrolmentEvent.objects.create(enrolment=self, status=self.status, date=self.status_changed_on,
                                          actor=self.created_by)
