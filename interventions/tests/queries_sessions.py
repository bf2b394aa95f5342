"""Session lists: the same queries for 2 rows and for 30."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from participants.models import CaseStatus, FamilyMember, Participant

CASE_FILE_RUT = "7654321-6"


def add_my_sessions(users, n):
    from interventions.tests.factories import SessionFactory

    for i in range(n):
        SessionFactory(professional=users[p.PSYCHOLOGIST], starts_at=timezone.now() - datetime.timedelta(days=i + 1),
                       attendance="no_show" if i % 5 == 0 else "attended")


def _case_file_case():
    from participants.tests.factories import CaseFactory, ParticipantFactory

    person = Participant.objects.filter(rut=CASE_FILE_RUT).first() or ParticipantFactory(rut=CASE_FILE_RUT)
    return person.cases.first() or CaseFactory(participant=person, status=CaseStatus.INTERVENTION)


def add_case_file_sessions(users, n):
    """Sessions of every area, with family members and worked objectives, on one person's case file."""
    from django.contrib.contenttypes.models import ContentType

    from interventions.models import Plan, PlanObjective, PlanSection
    from interventions.services.plans import plan_create
    from interventions.tests.factories import SessionFactory

    # The access log's first write looks up the content type once per process; keep it out of the count.
    ContentType.objects.get_for_model(Participant)
    case = _case_file_case()
    plan = Plan.objects.filter(case=case).first() or plan_create(case=case, actor=users[p.MANAGER])
    member = FamilyMember.objects.create(participant=case.participant, name="Familiar", relationship="mother")
    areas = ["psychological", "social", "occupational"]
    for i in range(n):
        area = areas[i % 3]
        objective = PlanObjective.objects.create(section=PlanSection.objects.get(plan=plan, area=area),
                                                 text=f"Objetivo {i}")
        session = SessionFactory(case=case, area=area, professional=users[p.PSYCHOLOGIST])
        session.objectives.add(objective)
        session.family_members.add(member)


QUERY_PAGES = [
    ("sessions-mine", p.PSYCHOLOGIST, lambda users: reverse("interventions:session_list"), add_my_sessions),
    ("sessions-mine-filtered", p.PSYCHOLOGIST,
     lambda users: reverse("interventions:session_list") + "?date_from=2000-01-01&area=psychological", add_my_sessions),
    ("sessions-case-file", p.SOCIAL_WORKER,
     lambda users: reverse("participants:participant_detail", args=[_case_file_case().participant_id]),
     add_case_file_sessions),
]
