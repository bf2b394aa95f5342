import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.forms import InstitutionForm
from conecta.models import AccessLog, Institution
from interventions.models import Area, DomainResult, Referral, ReferralEvent
from interventions.services import referrals as services
from interventions.tests.factories import (
    AssessmentFactory, ReferralFactory, SessionFactory, make_instrument,
)
from participants.models import CaseStatus, FamilyMember
from participants.services import DomainError
from participants.tests.factories import CaseFactory, InstitutionFactory


def today():
    # Evaluated per call: a module constant goes stale when a run crosses midnight.
    return timezone.localdate()

pytestmark = pytest.mark.django_db

Status = Referral.Status


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def case():
    return CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days_ago(90), admitted_on=days_ago(80))


@pytest.fixture
def institution():
    return InstitutionFactory(name="OMIL Quillota", kind=Institution.Kind.EMPLOYMENT)


@pytest.fixture
def referral(case, institution, role_users):
    return services.referral_create(case=case, institution=institution, need=Referral.Need.EMPLOYMENT,
                                    sent_on=days_ago(30), actor=role_users[p.SOCIAL_WORKER], detail="Bolsa de empleo")


# --- services ----------------------------------------------------------------

def test_create_records_sent_event_and_history(referral, role_users):
    assert referral.status == Status.SENT
    event = referral.events.get()
    assert (event.status, event.date, event.actor) == (Status.SENT, days_ago(30), role_users[p.SOCIAL_WORKER])
    version = referral.history.get()
    assert version.history_user == role_users[p.SOCIAL_WORKER]
    assert version.history_change_reason == "Derivación enviada"


@pytest.mark.parametrize("status", [CaseStatus.APPLICANT, CaseStatus.NOT_ADMITTED, CaseStatus.CLOSED])
def test_create_refuses_cases_not_in_work(status, institution, role_users):
    case = CaseFactory(status=status)
    with pytest.raises(DomainError, match="No se puede derivar"):
        services.referral_create(case=case, institution=institution, need=Referral.Need.HEALTH,
                                 sent_on=today(), actor=role_users[p.SOCIAL_WORKER])
    assert not Referral.objects.exists()


def test_create_refuses_future_date_date_before_admission_and_inactive_institution(case, institution, role_users):
    actor = role_users[p.SOCIAL_WORKER]
    with pytest.raises(DomainError, match="futuro"):
        services.referral_create(case=case, institution=institution, need="health", sent_on=today() + datetime.timedelta(days=1),
                                 actor=actor)
    with pytest.raises(DomainError, match="anterior al ingreso"):
        services.referral_create(case=case, institution=institution, need="health", sent_on=days_ago(81), actor=actor)
    with pytest.raises(DomainError, match="seguimiento"):
        services.referral_create(case=case, institution=institution, need="health", sent_on=days_ago(5),
                                 next_followup_on=days_ago(6), actor=actor)
    institution.active = False
    institution.save()
    with pytest.raises(DomainError, match="no está vigente"):
        services.referral_create(case=case, institution=institution, need="health", sent_on=days_ago(5), actor=actor)


def test_full_flow_to_completed_sets_dates_and_timeline(referral, role_users):
    actor = role_users[p.SOCIAL_WORKER]
    services.referral_update(referral=referral, version=referral.version, actor=actor, outcome="", next_followup_on=days_ago(1))
    services.referral_transition(referral=referral, to_status=Status.ACCEPTED, date=days_ago(25), actor=actor,
                                 note="Confirman cupo")
    services.referral_transition(referral=referral, to_status=Status.ATTENDED, date=days_ago(20), actor=actor)
    done = services.referral_transition(referral=referral, to_status=Status.COMPLETED, date=days_ago(2), actor=actor,
                                        outcome="Contratado con contrato indefinido")
    assert done.status == Status.COMPLETED
    assert (done.answered_on, done.attended_on, done.closed_on) == (days_ago(25), days_ago(20), days_ago(2))
    assert done.outcome == "Contratado con contrato indefinido"
    assert done.next_followup_on is None  # nothing left to follow up once closed
    assert list(done.events.values_list("status", flat=True)) == ["sent", "accepted", "attended", "completed"]
    assert done.history.count() == 5  # created, follow-up set, three moves
    assert services.available_moves(done) == []


@pytest.mark.parametrize("final", [Status.REJECTED, Status.NO_ANSWER])
def test_sent_can_close_without_acceptance(referral, role_users, final):
    moved = services.referral_transition(referral=referral, to_status=final, date=days_ago(3),
                                         actor=role_users[p.SOCIAL_WORKER])
    assert moved.status == final and moved.answered_on == moved.closed_on == days_ago(3)


@pytest.mark.parametrize("path,illegal", [
    ([], Status.ATTENDED),
    ([], Status.COMPLETED),
    ([Status.ACCEPTED], Status.REJECTED),
    ([Status.ACCEPTED], Status.COMPLETED),
    ([Status.REJECTED], Status.ACCEPTED),
    ([Status.NO_ANSWER], Status.ACCEPTED),
    ([Status.ACCEPTED, Status.ATTENDED, Status.COMPLETED], Status.ATTENDED),
])
def test_illegal_moves_are_refused_in_spanish(referral, role_users, path, illegal):
    actor = role_users[p.SOCIAL_WORKER]
    for status in path:
        referral = services.referral_transition(referral=referral, to_status=status, date=days_ago(10), actor=actor)
    events = ReferralEvent.objects.count()
    with pytest.raises(DomainError, match="no puede pasar a"):
        services.referral_transition(referral=referral, to_status=illegal, date=days_ago(5), actor=actor)
    assert ReferralEvent.objects.count() == events


def test_move_dates_must_follow_previous_and_not_be_future(referral, role_users):
    actor = role_users[p.SOCIAL_WORKER]
    with pytest.raises(DomainError, match="anterior al movimiento anterior"):
        services.referral_transition(referral=referral, to_status=Status.ACCEPTED, date=days_ago(31), actor=actor)
    with pytest.raises(DomainError, match="futuro"):
        services.referral_transition(referral=referral, to_status=Status.ACCEPTED,
                                     date=today() + datetime.timedelta(days=1), actor=actor)
    services.referral_transition(referral=referral, to_status=Status.ACCEPTED, date=days_ago(30), actor=actor)
    with pytest.raises(DomainError, match="anterior"):
        services.referral_transition(referral=referral, to_status=Status.ATTENDED, date=days_ago(31), actor=actor)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_update_followup_and_outcome(referral, role_users):
    actor = role_users[p.SOCIAL_WORKER]
    services.referral_update(referral=referral, version=referral.version, actor=actor, outcome="Llamar a la OMIL",
                             next_followup_on=today() + datetime.timedelta(days=3))
    referral.refresh_from_db()
    assert referral.next_followup_on == today() + datetime.timedelta(days=3)
    with pytest.raises(DomainError, match="anterior a la fecha de envío"):
        services.referral_update(referral=referral, version=referral.version, actor=actor, outcome="", next_followup_on=days_ago(40))
    closed = services.referral_transition(referral=referral, to_status=Status.NO_ANSWER, date=today(), actor=actor)
    with pytest.raises(DomainError, match="cerrada"):
        services.referral_update(referral=closed, version=closed.version, actor=actor, outcome="x", next_followup_on=today())


# --- institution form and catalogue --------------------------------------------

def institution_data(**overrides):
    data = {"name": "CDP Quillota", "kind": "justice", "level": "communal", "active": "on",
            "has_agreement": "on", "agreement_detail": "Convenio de colaboración",
            "agreement_start": "2026-03-01", "agreement_end": "2027-03-01"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_institution_form_validates_agreement_dates():
    assert InstitutionForm(data=institution_data()).is_valid()
    form = InstitutionForm(data=institution_data(agreement_end="2026-02-28"))
    assert not form.is_valid()
    assert form.errors["agreement_end"] == ["El término del convenio no puede ser anterior a su inicio."]
    form = InstitutionForm(data=institution_data(has_agreement=None))
    assert not form.is_valid() and "has_agreement" in form.errors
    form = InstitutionForm(data=institution_data(agreement_start="31-31-2026"))
    assert not form.is_valid() and "agreement_start" in form.errors


def test_institution_create_view_keeps_input_and_shows_error(client, role_users):
    login(client, role_users[p.SOCIAL_WORKER])
    response = client.post(reverse("institution_create"), institution_data(agreement_end="2025-01-01"))
    assert response.status_code == 200
    assert "no puede ser anterior a su inicio" in response.content.decode()
    assert 'value="CDP Quillota"' in response.content.decode()
    response = client.post(reverse("institution_create"), institution_data(services="Apoyo técnico"))
    assert response.status_code == 302
    saved = Institution.objects.get(name="CDP Quillota")
    assert saved.has_agreement and saved.agreement_end == datetime.date(2027, 3, 1)
    assert saved.history.get().history_user == role_users[p.SOCIAL_WORKER]


def test_institution_list_filters_and_highlights_expired(client, role_users):
    InstitutionFactory(name="Convenio al día", kind="health", has_agreement=True,
                       agreement_end=today() + datetime.timedelta(days=30))
    InstitutionFactory(name="Convenio caducado", kind="health", has_agreement=True, agreement_end=days_ago(3))
    InstitutionFactory(name="Sin convenio", kind="housing", level="regional")
    InstitutionFactory(name="Cerrada", kind="health", active=False)
    login(client, role_users[p.SOCIAL_WORKER])
    url = reverse("institution_list")
    body = client.get(url).content.decode()
    assert "Convenio vencido" in body
    assert f"vence el {(today() + datetime.timedelta(days=30)).strftime('%d-%m-%Y')}" in body
    names = lambda response: [i.name for i in response.context["page"]]  # noqa: E731
    assert names(client.get(url, {"agreement": "current"})) == ["Convenio al día"]
    assert names(client.get(url, {"agreement": "yes", "q": "caduc"})) == ["Convenio caducado"]
    assert names(client.get(url, {"kind": "housing", "level": "regional"})) == ["Sin convenio"]
    assert names(client.get(url, {"active": "no"})) == ["Cerrada"]
    # Nonsense parameters are ignored or shown as field errors, never a 500.
    for params in ({"kind": "zzz"}, {"agreement": ["yes", "no"]}, {"page": "abc"}, {"active": "ñ"},
                   {"q": "x" * 500}, {"level": "<script>"}):
        assert client.get(url, params).status_code == 200
    # A NUL byte is refused before the view (conecta/inputguard.py).
    assert client.get(url, {"active": "\x00"}).status_code == 400


def test_institution_detail_lists_its_referrals(client, role_users, referral):
    login(client, role_users[p.OCCUPATIONAL_THERAPIST])
    response = client.get(reverse("institution_detail", args=[referral.institution.pk]))
    assert response.status_code == 200
    assert referral.case.participant.display_name in response.content.decode()
    assert client.get(reverse("institution_detail", args=[99999])).status_code == 404


# --- views ---------------------------------------------------------------------

def test_create_view_makes_referral_and_shows_domain_errors(client, role_users, case, institution):
    login(client, role_users[p.SOCIAL_WORKER])
    url = reverse("interventions:referral_create", args=[case.pk])
    response = client.post(url, {"institution": institution.pk, "need": "employment",
                                 "sent_on": days_ago(85).isoformat(), "detail": "Empleo formal"})
    assert response.status_code == 200
    assert "anterior al ingreso del caso" in response.content.decode()
    assert "Empleo formal" in response.content.decode()  # input kept
    response = client.post(url, {"institution": institution.pk, "need": "nope", "sent_on": "ayer"})
    assert response.status_code == 200 and not Referral.objects.exists()
    response = client.post(url, {"institution": institution.pk, "need": "employment",
                                 "sent_on": days_ago(2).isoformat(), "detail": "Empleo formal"})
    referral = Referral.objects.get()
    assert response["Location"] == reverse("interventions:referral_detail", args=[referral.pk])
    assert referral.created_by == role_users[p.SOCIAL_WORKER]


def test_move_view_applies_legal_move_and_refuses_illegal(client, role_users, referral):
    login(client, role_users[p.PSYCHOLOGIST])
    url = reverse("interventions:referral_detail", args=[referral.pk])
    response = client.post(url, {"move": "completed", "date": today().isoformat(), "note": "x",
                                 "version": referral.version})
    assert response.status_code == 200 and "move" in response.context["form"].errors
    response = client.post(url, {"move": "accepted", "date": days_ago(1).isoformat(), "note": "Cupo confirmado",
                                 "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    detail = client.get(url).content.decode()
    assert "Cupo confirmado" in detail and 'value="attended"' in detail


def test_detail_writes_access_log(client, role_users, referral):
    login(client, role_users[p.MANAGER])
    client.get(reverse("interventions:referral_detail", args=[referral.pk]))
    entry = AccessLog.objects.get()
    assert (entry.sections, entry.subject_id) == (p.SECTION_REFERRALS, referral.case.participant_id)


def test_update_view(client, role_users, referral):
    login(client, role_users[p.SOCIAL_WORKER])
    url = reverse("interventions:referral_update", args=[referral.pk])
    response = client.post(url, {"next_followup_on": days_ago(60).isoformat(), "outcome": "Sin novedad",
                                 "version": referral.version})
    assert response.status_code == 200 and "anterior a la fecha de envío" in response.content.decode()
    response = client.post(url, {"next_followup_on": today().isoformat(), "outcome": "Sin novedad",
                                 "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "Sin novedad"


def test_list_defaults_to_waiting_oldest_first_and_filters(client, role_users):
    social = role_users[p.SOCIAL_WORKER]
    old = ReferralFactory(sent_on=days_ago(40), created_by=social, next_followup_on=days_ago(2))
    new = ReferralFactory(sent_on=days_ago(3), created_by=role_users[p.PSYCHOLOGIST], need=Referral.Need.HOUSING)
    accepted = ReferralFactory(status=Status.ACCEPTED, sent_on=days_ago(20), created_by=social)
    login(client, social)
    url = reverse("interventions:referral_list")
    response = client.get(url)
    assert list(response.context["page"]) == [old, new]
    assert response.context["page"][0].days_waiting == 40
    assert response.context["page"][0].followup_overdue
    assert "table-warning" in response.content.decode()
    assert list(client.get(url, {"status": "accepted"}).context["page"]) == [accepted]
    assert list(client.get(url, {"status": "open"}).context["page"]) == [old, accepted, new]
    assert list(client.get(url, {"need": "housing"}).context["page"]) == [new]
    assert list(client.get(url, {"professional": social.pk, "status": "all"}).context["page"]) == [old, accepted]
    assert list(client.get(url, {"institution": accepted.institution_id, "status": "all"}).context["page"]) == [accepted]
    for params in ({"status": "zzz"}, {"institution": "abc"}, {"professional": "-1"}, {"need": "ñ"},
                   {"page": "9999"}, {"institution": "99999999999999999999"}):
        assert client.get(url, params).status_code == 200
    assert client.get(url, {"need": "\x00"}).status_code == 400


def test_receptionist_is_refused_everywhere(client, role_users, referral):
    login(client, role_users[p.RECEPTIONIST])
    urls = [
        reverse("interventions:referral_list"),
        reverse("interventions:referral_create", args=[referral.case_id]),
        reverse("interventions:referral_detail", args=[referral.pk]),
        reverse("interventions:referral_update", args=[referral.pk]),
        reverse("interventions:socio_family_pdf", args=[referral.case_id]),
        reverse("institution_detail", args=[referral.institution_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"date": today().isoformat()}).status_code == 403, url
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_case_file_tab_for_professionals_only(client, role_users, referral):
    url = reverse("participants:participant_detail", args=[referral.case.participant_id])
    login(client, role_users[p.SOCIAL_WORKER])
    body = client.get(url).content.decode()
    assert "OMIL Quillota" in body and "Nueva derivación" in body
    login(client, role_users[p.RECEPTIONIST])
    body = client.get(url).content.decode()
    assert "OMIL Quillota" not in body and "Derivaciones" not in body


def test_home_panels(client, role_users, referral):
    services.referral_update(referral=referral, version=referral.version, actor=role_users[p.SOCIAL_WORKER], outcome="",
                             next_followup_on=today())
    login(client, role_users[p.SOCIAL_WORKER])
    body = client.get(reverse("role_home", args=[p.SOCIAL_WORKER])).content.decode()
    assert "Derivaciones esperando respuesta" in body
    assert body.count(referral.case.participant.display_name) >= 2  # waiting and due this week
    # The psychologist sees only the referrals she made.
    login(client, role_users[p.PSYCHOLOGIST])
    body = client.get(reverse("role_home", args=[p.PSYCHOLOGIST])).content.decode()
    assert "Mis derivaciones esperando respuesta" in body
    assert referral.case.participant.display_name not in body


# --- socio-family report ---------------------------------------------------------

def test_socio_family_pdf_content_and_no_session_notes(client, role_users, referral, monkeypatch):
    case = referral.case
    person = case.participant
    person.household_notes = "Vive con su madre y dos hijos en Villa Los Aromos."
    person.save()
    FamilyMember.objects.create(participant=person, name="Rosa Pérez", relationship="mother", age=61,
                                lives_with_participant=True, takes_part_in_sessions=True)
    instrument = make_instrument(code="sociofamiliar", kind="socio_family", area=Area.SOCIAL)
    assessment = AssessmentFactory(case=case, instrument=instrument, status="completed",
                                   conclusions="Red familiar protectora.", professional=role_users[p.SOCIAL_WORKER])
    DomainResult.objects.create(assessment=assessment, domain=instrument.domains.get(code="d0"), score=3,
                                max_score=4, level="high", label="Alto")
    SessionFactory(case=case, area=Area.PSYCHOLOGICAL, notes="NOTA CLÍNICA SECRETA", professional=role_users[p.PSYCHOLOGIST])
    captured = {}

    def fake_pdf_bytes(*, template, context, request=None):
        from django.template.loader import render_to_string
        captured["html"] = render_to_string(template, {"program": None, "issued_at": None, **context}, request=request)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr("conecta.pdf.pdf_bytes", fake_pdf_bytes)
    login(client, role_users[p.OCCUPATIONAL_THERAPIST])
    response = client.get(reverse("interventions:socio_family_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    html = captured["html"]
    for text in ("Villa Los Aromos", "Rosa Pérez", "Red familiar protectora.", "OMIL Quillota", "Dominio 1",
                 "Trabajador/a social"):
        assert text in html, text
    assert "NOTA CLÍNICA SECRETA" not in html
    assert AccessLog.objects.with_section(p.SECTION_REFERRALS).exists()
    assert client.get(reverse("interventions:socio_family_pdf", args=[99999])).status_code == 404


def test_socio_family_pdf_renders_real_pdf(client, role_users, referral):
    login(client, role_users[p.SOCIAL_WORKER])
    response = client.get(reverse("interventions:socio_family_pdf", args=[referral.case_id]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def _step(client, url, **values):
    page = client.get(url)
    form = page.context["form"]
    return client.post(url, {"version": form["version"].value(), "note": "", "outcome": "", **values})


def test_referral_reaches_concluida_from_its_own_page(client, role_users, referral):
    """One form on the referral's page per step: no link and confirmation page per step."""
    login(client, role_users[p.SOCIAL_WORKER])
    url = reverse("interventions:referral_detail", args=[referral.pk])
    page = client.get(url)
    assert [value for value, _label in page.context["form"].fields["move"].widget.choices] == [
        Status.ACCEPTED, Status.REJECTED, Status.NO_ANSWER]
    assert 'name="move"' in page.content.decode() and 'name="date"' in page.content.decode()
    for status, day, note in [(Status.ACCEPTED, days_ago(20), "Cupo confirmado"),
                              (Status.ATTENDED, days_ago(10), "Primera atención"),
                              (Status.COMPLETED, days_ago(2), "Terminó el programa")]:
        response = _step(client, url, move=status, date=day.isoformat(), note=note,
                         outcome="Contrato indefinido" if status == Status.COMPLETED else "")
        assert response.status_code == 302 and response["Location"] == url
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED and referral.closed_on == days_ago(2)
    assert referral.outcome == "Contrato indefinido"
    assert list(referral.events.order_by("date", "pk").values_list("status", "note")) == [
        (Status.SENT, "Bolsa de empleo"), (Status.ACCEPTED, "Cupo confirmado"), (Status.ATTENDED, "Primera atención"),
        (Status.COMPLETED, "Terminó el programa")]
    assert referral.history.count() == 4
    # Closed: no more steps offered.
    assert 'name="move"' not in client.get(url).content.decode()


def test_referral_step_dates_are_refused_next_to_the_field(client, role_users, referral):
    login(client, role_users[p.SOCIAL_WORKER])
    url = reverse("interventions:referral_detail", args=[referral.pk])
    response = _step(client, url, move=Status.ACCEPTED, date=days_ago(31).isoformat(), note="Lo que escribí")
    assert response.status_code == 200
    assert "anterior al movimiento anterior" in response.context["form"].errors["date"][0]
    assert "Lo que escribí" in response.content.decode()
    tomorrow = today() + datetime.timedelta(days=1)
    response = _step(client, url, move=Status.ACCEPTED, date=tomorrow.isoformat())
    assert "no puede estar en el futuro" in response.context["form"].errors["date"][0]
    # Only the allowed transitions: from «Enviada», «Concluida» is not a choice.
    response = _step(client, url, move=Status.COMPLETED, date=today().isoformat())
    assert response.status_code == 200 and "move" in response.context["form"].errors
    # The date input says its bounds up front.
    page = client.get(url).content.decode()
    assert f'min="{days_ago(30).isoformat()}"' in page and f'max="{today().isoformat()}"' in page
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.events.count() == 1
