"""Psychological session content never reaches roles that may not read it, on any page or PDF.

A unique marker is written in the notes, next steps and the worked objective
of a psychological session; every interventions page that shows that case,
session or plan is fetched as each role, and the marker must appear exactly
for those `can_read_session_content` allows (so the test can fail both ways)."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import PlanSection
from interventions.services import plans as plan_services
from interventions.services import sessions as session_services
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, UserFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext no está instalado")]

NOTE_MARKER = "MARCADORCLINICO7Q2X"
STEPS_MARKER = "PASOSCLINICOS9K4Z"
SOCIAL_MARKER = "NOTASOCIAL3H8W"


@pytest.fixture
def clinical(role_users):
    users = role_users
    case = CaseFactory(status=CaseStatus.INTERVENTION, psychologist=users[p.PSYCHOLOGIST])
    plan = plan_services.plan_create(case=case, actor=users[p.MANAGER])
    section = PlanSection.objects.get(plan=plan, area="psychological")
    plan_services.plan_section_save(section=section, actor=users[p.PSYCHOLOGIST], revision=0, needs_summary="",
                                    objectives=[{"id": None, "text": "Regular impulsividad", "status": "pending"}],
                                    actions=[])
    # A second psychologist is the author: readable by role for psychologists, and by authorship.
    author = UserFactory(username="psicologo.autor", roles=[p.PSYCHOLOGIST])
    when = timezone.now() - datetime.timedelta(days=1)
    common = {"starts_at": when, "duration_minutes": 50, "modality": "centre", "attendance": "attended",
              "with_participant": True}
    session = session_services.session_create(
        case=case, actor=author,
        data={**common, "professional": author, "area": "psychological",
              "notes": f"Relata episodio de violencia intrafamiliar {NOTE_MARKER}", "next_steps": STEPS_MARKER},
        objectives=section.objectives.all(),
    )
    social = session_services.session_create(
        case=case, actor=users[p.SOCIAL_WORKER],
        data={**common, "professional": users[p.SOCIAL_WORKER], "area": "social",
              "notes": SOCIAL_MARKER, "next_steps": SOCIAL_MARKER},
    )
    return {"case": case, "plan": plan, "session": session, "social": social, "author": author}


def pages(o):
    case, plan, session = o["case"], o["plan"], o["session"]
    return [
        reverse("participants:participant_detail", args=[case.participant_id]),
        reverse("interventions:session_list"),
        reverse("interventions:session_detail", args=[session.pk]),
        reverse("interventions:session_update", args=[session.pk]),
        reverse("interventions:session_create", args=[case.pk]),
        reverse("interventions:plan_detail", args=[plan.pk]),
        reverse("interventions:plan_section_update", args=[plan.pk, "psychological"]),
        reverse("interventions:plan_pdf", args=[plan.pk]),
    ]


def text_of(response):
    if response.get("Content-Type") == "application/pdf":
        result = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True)
        return " ".join(result.stdout.decode().split())  # table cells wrap lines
    return response.content.decode()


def seen(client, user, urls):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        found[url] = text_of(response) if response.status_code == 200 else ""
    return found


@pytest.mark.parametrize("role", [p.RECEPTIONIST, p.SOCIAL_WORKER, p.OCCUPATIONAL_THERAPIST])
def test_marker_never_shown_to_non_clinical_roles(client, role_users, clinical, role):
    found = seen(client, role_users[role], pages(clinical))
    for url, text in found.items():
        assert NOTE_MARKER not in text, url
        assert STEPS_MARKER not in text, url
    if role != p.RECEPTIONIST:
        # They do learn that the session took place, and read social content.
        detail = found[reverse("interventions:session_detail", args=[clinical["session"].pk])]
        assert "Contenido reservado (registro clínico)" in detail
        social_detail = seen(client, role_users[role],
                             [reverse("interventions:session_detail", args=[clinical["social"].pk])])
        assert SOCIAL_MARKER in next(iter(social_detail.values()))
        assert "Contenido reservado (registro clínico)" in found[reverse("interventions:plan_pdf",
                                                                          args=[clinical["plan"].pk])]
    else:
        assert all(SOCIAL_MARKER not in text for text in found.values())


@pytest.mark.parametrize("who", [p.PSYCHOLOGIST, p.MANAGER, p.FOLLOWUP_PSYCHOLOGIST, "author"])
def test_marker_shown_to_clinical_readers(client, role_users, clinical, who):
    user = clinical["author"] if who == "author" else role_users[who]
    session_url = reverse("interventions:session_detail", args=[clinical["session"].pk])
    pdf_url = reverse("interventions:plan_pdf", args=[clinical["plan"].pk])
    case_file = reverse("participants:participant_detail", args=[clinical["case"].participant_id])
    found = seen(client, user, [session_url, pdf_url, case_file])
    assert NOTE_MARKER in found[session_url] and STEPS_MARKER in found[session_url]
    assert STEPS_MARKER in found[pdf_url]
    assert STEPS_MARKER in found[case_file]
