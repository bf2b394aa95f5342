"""List pages of referrals and the network catalogue: same queries for 2 rows and for 30."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.models import Institution
from interventions.tests.factories import ReferralFactory
from participants.tests.factories import InstitutionFactory


def add_referrals(status):
    def add(users, n):
        today = timezone.localdate()
        for i in range(n):
            ReferralFactory(status=status, created_by=users[p.SOCIAL_WORKER if i % 2 else p.PSYCHOLOGIST],
                            next_followup_on=today + datetime.timedelta(days=(i % 9) - 4))
    return add


def add_institutions(users, n):
    today = timezone.localdate()
    for i in range(n):
        InstitutionFactory(kind=Institution.Kind.HEALTH, has_agreement=bool(i % 2),
                           agreement_end=today + datetime.timedelta(days=(i % 3 - 1) * 100) if i % 2 else None)


def add_referrals_to_one_institution(users, n):
    institution = Institution.objects.filter(name="Institución catastro").first() or InstitutionFactory(
        name="Institución catastro")
    for _i in range(n):
        ReferralFactory(institution=institution, created_by=users[p.SOCIAL_WORKER])


def institution_detail_url(users):
    institution = Institution.objects.get(name="Institución catastro")
    return reverse("institution_detail", args=[institution.pk])


QUERY_PAGES = [
    ("referrals-waiting", p.SOCIAL_WORKER, lambda users: reverse("interventions:referral_list"),
     add_referrals("sent")),
    ("referrals-all-filtered", p.MANAGER,
     lambda users: reverse("interventions:referral_list") + "?status=all&need=health",
     add_referrals("accepted")),
    ("referrals-social-home", p.SOCIAL_WORKER, lambda users: reverse("role_home", args=[p.SOCIAL_WORKER]),
     add_referrals("sent")),
    ("referrals-psychologist-home", p.PSYCHOLOGIST, lambda users: reverse("role_home", args=[p.PSYCHOLOGIST]),
     add_referrals("accepted")),
    ("referrals-institution-list", p.SOCIAL_WORKER,
     lambda users: reverse("institution_list") + "?kind=health&agreement=yes", add_institutions),
    ("referrals-institution-detail", p.SOCIAL_WORKER, institution_detail_url, add_referrals_to_one_institution),
]
