"""The demo data of the registers: requests in every status (one overdue), a breach; twice adds nothing."""

import io

import pytest

from dataprotection import demo
from dataprotection.deadlines import annotate_deadlines
from dataprotection.models import RecipientNotice, RightsRequest, SecurityBreach
from interventions.tests.factories import ReferralFactory
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_demo_covers_every_status_and_a_second_run_adds_nothing(role_users):
    cases = [CaseFactory(status=CaseStatus.INTERVENTION) for _i in range(7)]
    ReferralFactory(case=cases[0])
    demo.seed(users=role_users, seed=2026, stdout=io.StringIO())
    counts = (RightsRequest.objects.count(), SecurityBreach.objects.count(), RecipientNotice.objects.count())
    assert set(RightsRequest.objects.values_list("status", flat=True)) == set(RightsRequest.Status.values)
    assert set(RightsRequest.objects.values_list("kind", flat=True)) == set(RightsRequest.Kind.values)
    requests = annotate_deadlines(list(RightsRequest.objects.all()))
    assert sum(1 for r in requests if r.deadline and r.deadline.overdue) == 1
    assert counts[1] == 1 and counts[2] == 1
    demo.seed(users=role_users, seed=2026, stdout=io.StringIO())
    assert (RightsRequest.objects.count(), SecurityBreach.objects.count(), RecipientNotice.objects.count()) == counts
