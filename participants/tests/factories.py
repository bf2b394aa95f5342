import datetime

import factory
from django.contrib.auth.models import Group, User

from conecta.models import Commune, Institution
from conecta.rut import check_digit
from participants.models import Case, CaseStatus, Cohort, Consent, Participant


def valid_rut(n):
    body = 10_000_000 + n * 7919
    return f"{body}-{check_digit(body)}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = factory.Faker("first_name", locale="es_CL")
    last_name = factory.Faker("last_name", locale="es_CL")
    password = factory.PostGenerationMethodCall("set_password", "conecta-demo")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=role)[0])
        self.save()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institución {n}")
    kind = Institution.Kind.JUSTICE


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ("name",)

    name = "2026-2"
    year = 2026
    semester = 2
    start_date = datetime.date(2026, 7, 1)
    end_date = datetime.date(2026, 12, 31)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    rut = factory.Sequence(valid_rut)
    given_names = factory.Faker("first_name", locale="es_CL")
    paternal_surname = factory.Faker("last_name", locale="es_CL")
    maternal_surname = factory.Faker("last_name", locale="es_CL")
    birth_date = datetime.date(1990, 5, 17)
    phone = "+56 9 1234 5678"
    commune = factory.LazyFunction(lambda: Commune.objects.get(code="13114"))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    participant = factory.SubFactory(ParticipantFactory)
    number = 1
    cohort = factory.SubFactory(CohortFactory)
    status = CaseStatus.APPLICANT
    applied_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=60))
    category = Case.Category.JUSTICE
    sentence_type = Case.SentenceType.LIBERTAD_VIGILADA
    offences = "Robo con intimidación"


def search(client, text, *, follow=True, **filters):
    """Search the participant list the way its form does (a POST, then the list)."""
    from django.urls import reverse

    response = client.post(reverse("participants:participant_search"), {"q": text, **filters})
    assert response.status_code == 302
    return client.get(response["Location"], follow=follow)
class ConsentFactory(factory.django.DjangoModelFactory):
    """An active data-protection consent (Ley 21.719), signed long enough ago for any admission date."""

    class Meta:
        model = Consent

    participant = factory.SubFactory(ParticipantFactory)
    kind = Consent.Kind.DATA_PROTECTION
    version = "2026.1"
    signed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=400))
    recorded_by = factory.SubFactory(UserFactory)
