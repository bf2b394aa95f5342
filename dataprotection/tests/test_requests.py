"""The rights register: intake, identity check, extension once, block, reasoned answer with
proof; every date in order and none in the future; only the manager reads requests."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.errors import DomainError
from dataprotection.models import RightsRequest, RightsRequestEvent
from dataprotection.services import requests as services
from dataprotection.tests.factories import days_ago, make_request
from participants.tests.factories import CaseFactory, ParticipantFactory
from participants.tests.test_stale_edits import form_data

pytestmark = pytest.mark.django_db
Kind, Outcome, Status = RightsRequest.Kind, RightsRequest.Outcome, RightsRequest.Status


def today():
    return timezone.localdate()


@pytest.fixture
def manager(role_users):
    return role_users[p.MANAGER]


@pytest.fixture
def person():
    return ParticipantFactory()


def answer(rights_request, actor, **overrides):
    values = {"answered_on": today(), "outcome": Outcome.GRANTED, "answer": "Se entregaron sus datos.",
              "version": rights_request.version, **overrides}
    return services.rights_request_answer(rights_request=rights_request, actor=actor, **values)


# --- Services --------------------------------------------------------------

def test_intake_counts_the_answer_deadline_and_starts_the_timeline(manager, person):
    received = days_ago(4)
    rights_request = make_request(manager, participant=person, received_on=received)
    assert rights_request.status == Status.RECEIVED
    assert rights_request.due_on == received + datetime.timedelta(days=30)
    assert rights_request.block_due_on is None
    assert rights_request.subject_name == person.full_name and rights_request.subject_rut == person.rut
    assert list(rights_request.events.values_list("status", flat=True)) == [RightsRequestEvent.Step.RECEIVED]


def test_blocking_intake_counts_two_business_days(manager, person):
    rights_request = make_request(manager, participant=person, kind=Kind.BLOCKING,
                                  received_on=datetime.date(2026, 11, 27))
    assert rights_request.block_due_on == datetime.date(2026, 12, 1)


def test_desk_may_check_identity_at_intake(role_users, person):
    desk = role_users[p.RECEPTIONIST]
    rights_request = make_request(desk, participant=person, verified=True)
    assert rights_request.status == Status.VERIFIED
    assert rights_request.identity_verified_by == desk
    assert rights_request.identity_verified_on == rights_request.received_on


def test_intake_refuses_a_future_date_and_a_nameless_subject(manager):
    with pytest.raises(DomainError, match="futuro"):
        make_request(manager, participant=ParticipantFactory(), received_on=today() + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="nombre de la persona titular"):
        make_request(manager, subject_name="")


def test_representative_must_be_named(manager, person):
    with pytest.raises(DomainError, match="quien presenta"):
        make_request(manager, participant=person, relation=RightsRequest.Relation.REPRESENTATIVE)


def test_identity_check_not_before_receipt_nor_in_future_nor_twice(manager, person):
    rights_request = make_request(manager, participant=person, received_on=days_ago(5))
    for bad in (days_ago(6), today() + datetime.timedelta(days=1)):
        with pytest.raises(DomainError):
            services.rights_request_verify_identity(rights_request=rights_request, actor=manager, method="id_card",
                                                    verified_on=bad, version=rights_request.version)
    verified = services.rights_request_verify_identity(rights_request=rights_request, actor=manager,
                                                       method="id_card", verified_on=days_ago(5),
                                                       version=rights_request.version)
    with pytest.raises(DomainError, match="ya fue verificada"):
        services.rights_request_verify_identity(rights_request=verified, actor=manager, method="id_card",
                                                verified_on=today(), version=verified.version)


def test_extension_once_only_and_before_the_term_runs_out(manager, person, settings):
    rights_request = make_request(manager, participant=person, received_on=days_ago(10), verified=True)
    first_due = rights_request.due_on
    with pytest.raises(DomainError, match="motivo"):
        services.rights_request_extend(rights_request=rights_request, actor=manager, extended_on=today(),
                                       reason=" ", version=rights_request.version)
    extended = services.rights_request_extend(rights_request=rights_request, actor=manager, extended_on=today(),
                                              reason="Se consulta a la institución.", version=rights_request.version)
    assert extended.status == Status.EXTENDED
    assert extended.due_on == first_due + datetime.timedelta(days=settings.DATA_PROTECTION_EXTENSION_DAYS)
    with pytest.raises(DomainError, match="una sola vez"):
        services.rights_request_extend(rights_request=extended, actor=manager, extended_on=today(),
                                       reason="Otra vez.", version=extended.version)


def test_expired_term_cannot_be_extended(manager, person):
    rights_request = make_request(manager, participant=person, received_on=days_ago(31), verified=True)
    with pytest.raises(DomainError, match="antes de que venza"):
        services.rights_request_extend(rights_request=rights_request, actor=manager, extended_on=today(),
                                       reason="Tarde.", version=rights_request.version)


def test_extension_not_before_receipt(manager, person):
    rights_request = make_request(manager, participant=person, received_on=days_ago(3), verified=True)
    with pytest.raises(DomainError, match="anterior a la recepción"):
        services.rights_request_extend(rights_request=rights_request, actor=manager, extended_on=days_ago(4),
                                       reason="Motivo.", version=rights_request.version)


def test_answer_dates_in_order(manager, person):
    rights_request = make_request(manager, participant=person, received_on=days_ago(10))
    rights_request = services.rights_request_verify_identity(rights_request=rights_request, actor=manager,
                                                             method="id_card", verified_on=days_ago(6),
                                                             version=rights_request.version)
    for bad, message in [(days_ago(11), "recepción"), (days_ago(8), "verificación de identidad"),
                         (today() + datetime.timedelta(days=1), "futuro")]:
        with pytest.raises(DomainError, match=message):
            answer(rights_request, manager, answered_on=bad)
    answered = answer(rights_request, manager, answered_on=days_ago(2))
    assert answered.status == Status.ANSWERED and answered.outcome == Outcome.GRANTED
    with pytest.raises(DomainError, match="ya fue respondida"):
        answer(answered, manager)


def test_granting_needs_a_verified_identity_refusing_does_not(manager, person):
    rights_request = make_request(manager, participant=person)
    with pytest.raises(DomainError, match="Verifique la identidad"):
        answer(rights_request, manager, outcome=Outcome.PARTLY)
    refused = answer(rights_request, manager, outcome=Outcome.REFUSED,
                     answer="No se acreditó la identidad de quien solicita.")
    assert refused.outcome == Outcome.REFUSED


def test_answer_must_give_reasons(manager, person):
    rights_request = make_request(manager, participant=person, verified=True)
    with pytest.raises(DomainError, match="Escriba la respuesta"):
        answer(rights_request, manager, answer="  ")


def test_blocking_granted_only_after_the_block_is_recorded(manager, person):
    rights_request = make_request(manager, participant=person, kind=Kind.BLOCKING, received_on=days_ago(3),
                                  verified=True)
    with pytest.raises(DomainError, match="bloqueo aplicado"):
        answer(rights_request, manager)
    with pytest.raises(DomainError, match="anterior a la recepción"):
        services.rights_request_record_block(rights_request=rights_request, actor=manager, blocked_on=days_ago(4),
                                             version=rights_request.version)
    blocked = services.rights_request_record_block(rights_request=rights_request, actor=manager,
                                                   blocked_on=days_ago(2), version=rights_request.version)
    with pytest.raises(DomainError, match="anterior al bloqueo"):
        answer(blocked, manager, answered_on=days_ago(3))
    assert answer(blocked, manager, answered_on=days_ago(1)).status == Status.ANSWERED


def test_only_a_blocking_request_records_a_block(manager, person):
    rights_request = make_request(manager, participant=person)
    with pytest.raises(DomainError, match="Solo una solicitud de bloqueo"):
        services.rights_request_record_block(rights_request=rights_request, actor=manager, blocked_on=today(),
                                             version=rights_request.version)


def test_correcting_the_intake_recounts_deadlines_but_keeps_steps_in_order(manager, person):
    rights_request = make_request(manager, participant=person, received_on=days_ago(10))
    rights_request = services.rights_request_verify_identity(rights_request=rights_request, actor=manager,
                                                             method="id_card", verified_on=days_ago(8),
                                                             version=rights_request.version)
    rights_request.received_on = days_ago(9)
    corrected = services.rights_request_update(rights_request=rights_request, actor=manager,
                                               version=rights_request.version)
    assert corrected.due_on == days_ago(9) + datetime.timedelta(days=30)
    corrected.received_on = days_ago(7)
    with pytest.raises(DomainError, match="posterior a un paso"):
        services.rights_request_update(rights_request=corrected, actor=manager, version=corrected.version)


def test_an_answered_request_is_not_corrected(manager, person):
    answered = answer(make_request(manager, participant=person, verified=True), manager)
    answered.description = "Otra cosa"
    with pytest.raises(DomainError, match="ya fue respondida"):
        services.rights_request_update(rights_request=answered, actor=manager, version=answered.version)


@pytest.mark.parametrize("role", [p.PSYCHOLOGIST, p.SOCIAL_WORKER, p.RECEPTIONIST])
def test_only_the_manager_moves_a_request(role_users, person, role):
    rights_request = make_request(role_users[role], participant=person, verified=True)
    with pytest.raises(DomainError, match="Solo la gestora"):
        answer(rights_request, role_users[role])
    with pytest.raises(DomainError, match="Solo la gestora"):
        services.rights_request_extend(rights_request=rights_request, actor=role_users[role], extended_on=today(),
                                       reason="Motivo.", version=rights_request.version)


# --- Pages -----------------------------------------------------------------

def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def intake_data(**overrides):
    return {"kind": Kind.ACCESS, "received_on": today().isoformat(), "channel": "in_person", "subject_rut": "",
            "subject_name": "", "relation": "self", "requester_name": "", "requester_rut": "",
            "contact": "persona@example.cl", "description": "Quiere saber qué datos tienen de él.",
            "identity_method": "", "identity_notes": "", **overrides}


def test_receptionist_registers_but_never_reads_the_request(client, role_users):
    person = CaseFactory().participant
    login(client, role_users[p.RECEPTIONIST])
    response = client.post(reverse("dataprotection:rightsrequest_create"),
                           intake_data(subject_rut=person.rut_display, identity_method="id_card"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dataprotection:rightsrequest_create")
    rights_request = RightsRequest.objects.get()
    assert rights_request.participant == person and rights_request.status == Status.VERIFIED
    page = client.get(reverse("dataprotection:rightsrequest_create"))
    assert f"Solicitud N.º {rights_request.pk} registrada" in page.content.decode()
    assert "Quiere saber" not in page.content.decode()
    assert client.get(rights_request.get_absolute_url()).status_code == 403
    assert client.get(reverse("dataprotection:rightsrequest_list")).status_code == 403


def test_manager_intake_leads_to_the_request(client, manager):
    response = login(client, manager).post(reverse("dataprotection:rightsrequest_create"),
                                           intake_data(subject_name="Ana Pérez Soto"))
    rights_request = RightsRequest.objects.get()
    assert response["Location"] == rights_request.get_absolute_url()
    assert rights_request.participant is None and rights_request.subject_name == "Ana Pérez Soto"


@pytest.mark.parametrize("overrides,field", [
    ({"received_on": (datetime.date.today() + datetime.timedelta(days=2)).isoformat()}, "received_on"),
    ({"subject_rut": "12.345.678-9"}, "subject_rut"),
    ({"subject_name": ""}, "subject_name"),
    ({"relation": "attorney", "subject_name": "Ana"}, "requester_name"),
])
def test_bad_intake_shows_the_message_next_to_the_field(client, manager, overrides, field):
    response = login(client, manager).post(reverse("dataprotection:rightsrequest_create"), intake_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Quiere saber qué datos tienen de él." in response.content.decode(), "what was typed is kept"
    assert not RightsRequest.objects.exists()


def test_answer_form_date_before_receipt_is_a_field_error(client, manager, person):
    rights_request = make_request(manager, participant=person, received_on=days_ago(5), verified=True)
    url = reverse("dataprotection:rightsrequest_answer", args=[rights_request.pk])
    response = login(client, manager).post(url, {
        "answered_on": days_ago(6).isoformat(), "outcome": "granted", "answer": "Entregado.",
        "version": rights_request.version})
    assert response.status_code == 200
    assert "anterior a la recepción" in response.context["form"].errors["answered_on"][0]


def test_proof_must_be_a_real_pdf_or_image_and_is_served_to_the_manager_only(client, role_users, person):
    manager = role_users[p.MANAGER]
    rights_request = make_request(manager, participant=person, verified=True)
    url = reverse("dataprotection:rightsrequest_answer", args=[rights_request.pk])
    data = {"answered_on": today().isoformat(), "outcome": "granted", "answer": "Entregado en persona.",
            "version": rights_request.version}
    fake = SimpleUploadedFile("acuse.pdf", b"not a pdf at all", content_type="application/pdf")
    response = login(client, manager).post(url, {**data, "answer_proof": fake})
    assert "answer_proof" in response.context["form"].errors
    real = SimpleUploadedFile("acuse.pdf", b"%PDF-1.4 acuse firmado", content_type="application/pdf")
    assert client.post(url, {**data, "answer_proof": real}).status_code == 302
    proof_url = reverse("dataprotection:rightsrequest_proof_file", args=[rights_request.pk])
    served = client.get(proof_url)
    assert served.status_code == 200 and "no-store" in served["Cache-Control"]
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert login(client, role_users[p.PSYCHOLOGIST]).get(proof_url).status_code == 403


def test_stale_correction_is_refused_then_applied_on_top(client, role_users, person):
    manager = role_users[p.MANAGER]
    rights_request = make_request(manager, participant=person, received_on=days_ago(4))
    url = reverse("dataprotection:rightsrequest_update", args=[rights_request.pk])
    mine = form_data(login(client, manager).get(url))
    # Meanwhile the identity is verified (another step moves the version on).
    services.rights_request_verify_identity(rights_request=rights_request, actor=manager, method="id_card",
                                            verified_on=today(), version=rights_request.version)
    mine["contact"] = "Av. Apoquindo 3000, depto 12"
    refused = client.post(url, mine)
    assert refused.status_code == 200 and refused.context["stale"]
    rights_request.refresh_from_db()
    assert rights_request.contact == "persona@example.cl"
    rebased = form_data(refused)
    assert rebased["contact"] == "Av. Apoquindo 3000, depto 12", "the person's input is kept"
    assert client.post(url, rebased).status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.contact == "Av. Apoquindo 3000, depto 12"
    assert rights_request.status == Status.VERIFIED, "the other change survives"


def test_list_shows_overdue_first_and_filters(client, manager):
    overdue = make_request(manager, participant=ParticipantFactory(), received_on=days_ago(35), verified=True)
    fresh = make_request(manager, participant=ParticipantFactory(), received_on=days_ago(1))
    answered = answer(make_request(manager, participant=ParticipantFactory(), verified=True), manager)
    login(client, manager)
    rows = list(client.get(reverse("dataprotection:rightsrequest_list")).context["page"])
    assert rows == [overdue, fresh]
    assert rows[0].deadline.overdue and rows[0].deadline.days_late == 5
    assert list(client.get(reverse("dataprotection:rightsrequest_list") + "?status=overdue").context["page"]) == [overdue]
    assert answered in client.get(reverse("dataprotection:rightsrequest_list") + "?status=all").context["page"]


def test_manager_home_lists_overdue_and_due_soon_requests_only(client, manager):
    overdue = make_request(manager, participant=ParticipantFactory(), kind=Kind.PORTABILITY,
                           received_on=days_ago(33), verified=True)
    soon = make_request(manager, participant=ParticipantFactory(), received_on=days_ago(26))
    later = make_request(manager, participant=ParticipantFactory(), received_on=days_ago(1))
    answer(make_request(manager, participant=ParticipantFactory(), received_on=days_ago(40), verified=True), manager)
    page = login(client, manager).get(reverse("role_home", args=[p.MANAGER]))
    panel = next(panel for template, panel in page.context["panels"] if template.startswith("dataprotection/"))
    assert [item.pk for item in panel["pending"]] == [overdue.pk, soon.pk]
    assert panel["counts"] == {"open": 3, "overdue": 1}
    html = page.content.decode()
    assert "atrasada 3 días" in html and "vence en 4 días" in html
    assert later.get_absolute_url() not in html


def test_pending_block_is_the_first_deadline(client, manager):
    blocking = make_request(manager, participant=ParticipantFactory(), kind=Kind.BLOCKING, received_on=days_ago(10))
    response = login(client, manager).get(blocking.get_absolute_url())
    deadline = response.context["rights_request"].deadline
    assert deadline.due_on == blocking.block_due_on and deadline.overdue
    assert "Aplicar el bloqueo" in response.content.decode()
