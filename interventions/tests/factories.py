import datetime

import factory
from django.utils import timezone

from conecta.models import Institution
from interventions.models import (
    Appointment, Area, Assessment, Cutoff, Instrument, InstrumentDomain, Item, ItemOption, Level, Plan,
    PlanSection, Referral, Session,
)
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, InstitutionFactory, UserFactory


def make_instrument(*, code="tamizaje-prueba", domains=2, items_per_domain=2, status=Instrument.Status.ACTIVE,
                    kind=Instrument.Kind.RISK_NEED, area=Area.PSYCHOLOGICAL):
    """An instrument with scored items (options 0/1/2) and level cut-offs on total and domains."""
    instrument = Instrument.objects.create(code=code, name=f"Instrumento {code}", kind=kind, area=area,
                                           status=status, is_screening=True)
    for d in range(domains):
        domain = InstrumentDomain.objects.create(
            instrument=instrument, order=d, code=f"d{d}", name=f"Dominio {d + 1}", plan_area=area,
            suggested_objective=f"Trabajar el dominio {d + 1}",
        )
        for i in range(items_per_domain):
            item = Item.objects.create(domain=domain, order=i, text=f"Pregunta {d + 1}.{i + 1}")
            for score, label in enumerate(["Nunca", "A veces", "Siempre"]):
                ItemOption.objects.create(item=item, order=score, label=label, score=score)
        top = 2 * items_per_domain
        Cutoff.objects.create(instrument=instrument, domain=domain, min_score=0, level=Level.LOW, label="Bajo")
        Cutoff.objects.create(instrument=instrument, domain=domain, min_score=top // 2, level=Level.HIGH, label="Alto")
    total = 2 * items_per_domain * domains
    for min_score, level in [(0, Level.LOW), (total // 4, Level.MODERATE), (total // 2, Level.HIGH),
                             (3 * total // 4, Level.VERY_HIGH)]:
        Cutoff.objects.create(instrument=instrument, domain=None, min_score=min_score, level=level,
                              label=Level(level).label)
    return instrument


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory, status=CaseStatus.DIAGNOSIS)
    instrument = factory.LazyFunction(lambda: make_instrument(code=f"inst-{Instrument.objects.count()}"))
    applied_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=20))
    professional = factory.SubFactory(UserFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory, status=CaseStatus.INTERVENTION)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        for area in Area.values:
            PlanSection.objects.get_or_create(plan=self, area=area)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    case = factory.SubFactory(CaseFactory, status=CaseStatus.INTERVENTION)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    professional = factory.SubFactory(UserFactory)
    area = Area.PSYCHOLOGICAL
    notes = "Texto clínico de prueba"
    next_steps = "Próximos pasos de prueba"


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    case = factory.SubFactory(CaseFactory, status=CaseStatus.INTERVENTION)
    professional = factory.SubFactory(UserFactory)
    area = Area.PSYCHOLOGICAL
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))
    purpose = "Sesión de seguimiento"
    created_by = factory.SelfAttribute("professional")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory, status=CaseStatus.INTERVENTION)
    institution = factory.SubFactory(InstitutionFactory, kind=Institution.Kind.HEALTH)
    need = Referral.Need.HEALTH
    sent_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    created_by = factory.SubFactory(UserFactory)
