"""Every URL × every role (and anonymous) → the expected HTTP status.

Later issues add their rows to ROWS. A row names the URL through a function of
the standing objects, and gives the expected status per role; roles left out
take `default`.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conecta import permissions as p
from participants.models import Consent, FamilyMember, ReceivedDocument
from participants.tests.factories import CaseFactory, CohortFactory, InstitutionFactory

from tests.roles import ANON, PROFESSIONALS, ROLES, everyone, extension_modules, only

# Apps above the foundation keep their rows in `<app>/tests/matrix*.py`: a
# module there has ROWS like the ones below and, optionally,
# `build(objects) -> dict` adding the objects its URLs need.
EXTENSIONS = extension_modules("matrix")

ROWS = [
    # (name, url builder, {role: status}, anonymous status)
    ("healthz", lambda o: reverse("healthz"), everyone(), 200),
    ("login", lambda o: reverse("login"), everyone(302), 200),
    ("home", lambda o: reverse("home"), everyone(302), 302),
    ("password_change", lambda o: reverse("password_change"), everyone(), 302),
    *[
        (f"role_home:{role}", (lambda r: lambda o: reverse("role_home", args=[r]))(role), only([role]), 302)
        for role in ROLES
    ],
    ("participant_list", lambda o: reverse("participants:participant_list"), everyone(), 302),
    ("participant_create", lambda o: reverse("participants:participant_create"), everyone(), 302),
    # POST only (the search text stays out of URLs): a GET is refused with 405.
    ("participant_search", lambda o: reverse("participants:participant_search"), everyone(405), 302),
    ("participant_detail", lambda o: reverse("participants:participant_detail", args=[o["person"].pk]), everyone(), 302),
    ("participant_update", lambda o: reverse("participants:participant_update", args=[o["person"].pk]), everyone(), 302),
    ("participant_history", lambda o: reverse("participants:participant_history", args=[o["person"].pk]), everyone(), 302),
    ("participant_block", lambda o: reverse("participants:participant_block", args=[o["person"].pk]), only([p.MANAGER]), 302),
    ("participant_block_request", lambda o: reverse("participants:participant_block", args=[o["person"].pk]) + "?solicitud=7",
     only([p.MANAGER]), 302),
    ("participant_unblock", lambda o: reverse("participants:participant_unblock", args=[o["person"].pk]), only([p.MANAGER]), 302),
    ("processing_authorise", lambda o: reverse("participants:processing_authorise", args=[o["person"].pk]), only([p.MANAGER]), 302),
    ("processing_revoke", lambda o: reverse("participants:processing_revoke", args=[o["person"].pk]), only([p.MANAGER]), 302),
    ("case_create", lambda o: reverse("participants:case_create", args=[o["person"].pk]), only(PROFESSIONALS), 302),
    ("case_update", lambda o: reverse("participants:case_update", args=[o["case"].pk]), only(PROFESSIONALS), 302),
    ("case_transition", lambda o: reverse("participants:case_transition", args=[o["case"].pk, "admit"]), only(PROFESSIONALS), 302),
    ("case_exception", lambda o: reverse("participants:case_exception", args=[o["case"].pk]), only([p.MANAGER]), 302),
    ("familymember_create", lambda o: reverse("participants:familymember_create", args=[o["person"].pk]), only(PROFESSIONALS), 302),
    ("familymember_update", lambda o: reverse("participants:familymember_update", args=[o["member"].pk]), only(PROFESSIONALS), 302),
    ("consent_create", lambda o: reverse("participants:consent_create", args=[o["person"].pk]), only(PROFESSIONALS), 302),
    ("consent_withdraw", lambda o: reverse("participants:consent_withdraw", args=[o["consent"].pk]), only(PROFESSIONALS), 302),
    ("consent_file", lambda o: reverse("participants:consent_file", args=[o["consent"].pk]), only(PROFESSIONALS), 302),
    ("document_create", lambda o: reverse("participants:document_create", args=[o["person"].pk]), everyone(), 302),
    ("document_file", lambda o: reverse("participants:document_file", args=[o["id_card"].pk]), everyone(), 302),
    # 404, not 403: the receptionist must not learn that a sentence is on file.
    ("document_file_sensitive", lambda o: reverse("participants:document_file", args=[o["sentence"].pk]),
     only(PROFESSIONALS, others=404), 302),
    ("cohort_list", lambda o: reverse("participants:cohort_list"), only(PROFESSIONALS), 302),
    ("cohort_create", lambda o: reverse("participants:cohort_create"), only([p.MANAGER]), 302),
    ("cohort_update", lambda o: reverse("participants:cohort_update", args=[o["case"].cohort_id]), only([p.MANAGER]), 302),
    ("institution_list", lambda o: reverse("institution_list"), only(PROFESSIONALS), 302),
    ("institution_create", lambda o: reverse("institution_create"), only(PROFESSIONALS), 302),
    ("institution_update", lambda o: reverse("institution_update", args=[o["institution"].pk]), only(PROFESSIONALS), 302),
    ("program_settings", lambda o: reverse("program_settings"), only([p.MANAGER]), 302),
    ("user_list", lambda o: reverse("user_list"), only([p.MANAGER]), 302),
    ("user_create", lambda o: reverse("user_create"), only([p.MANAGER]), 302),
    ("user_update", lambda o: reverse("user_update", args=[o["users"][p.PSYCHOLOGIST].pk]), only([p.MANAGER]), 302),
    # POST only: the manager's GET is refused with 405, everyone else's with 403.
    ("user_unlock", lambda o: reverse("user_unlock", args=[o["users"][p.PSYCHOLOGIST].pk]), only([p.MANAGER], status=405), 302),
    ("accesslog_list", lambda o: reverse("accesslog_list"), only([p.MANAGER]), 302),
    # Second factor. The matrix's manager is verified (root conftest.py); the verification page
    # sends a verified session on, and a user without an authenticator to set one up.
    ("otp_verify", lambda o: reverse("otp_verify"), everyone(302), 302),
    ("mfa_setup", lambda o: reverse("mfa_setup"), everyone(), 302),
    ("mfa_recovery_codes", lambda o: reverse("mfa_recovery_codes"), everyone(), 302),
    ("user_mfa_reset", lambda o: reverse("user_mfa_reset", args=[o["users"][p.PSYCHOLOGIST].pk]), only([p.MANAGER]), 302),
]
ROWS += [row for module in EXTENSIONS for row in module.ROWS]

CASES = [
    pytest.param(builder, role, expected.get(role, 403) if role != ANON else anon, id=f"{name}-{role}")
    for name, builder, expected, anon in ROWS
    for role in ROLES + [ANON]
]


@pytest.fixture
def objects(role_users):
    case = CaseFactory(cohort=CohortFactory())
    person = case.participant
    consent = Consent(participant=person, kind=Consent.Kind.DATA_PROTECTION, version="1",
                      signed_on=datetime.date(2026, 1, 5), recorded_by=role_users[p.MANAGER])
    consent.file.save("consent.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    consent.save()
    id_card = ReceivedDocument(participant=person, document_type="id_card", received_on=datetime.date(2026, 1, 5),
                               received_by=role_users[p.RECEPTIONIST])
    id_card.file.save("cedula.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    id_card.save()
    sentence = ReceivedDocument(participant=person, document_type="sentence", received_on=datetime.date(2026, 1, 5),
                                received_by=role_users[p.MANAGER])
    sentence.file.save("sentencia.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    sentence.save()
    objects = {
        "person": person, "case": case, "consent": consent, "id_card": id_card, "sentence": sentence,
        "member": FamilyMember.objects.create(participant=person, name="Ana", relationship="mother"),
        "institution": InstitutionFactory(), "users": role_users,
    }
    for module in EXTENSIONS:
        if hasattr(module, "build"):
            objects.update(module.build(objects))
    return objects


@pytest.mark.django_db
@pytest.mark.parametrize("builder,role,expected", CASES)
def test_access_matrix(client, objects, builder, role, expected):
    if role != ANON:
        client.force_login(objects["users"][role], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(builder(objects))
    assert response.status_code == expected
    if role == ANON and expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_every_url_has_a_row():
    """A new named URL without a matrix row fails here, so no page escapes the matrix."""
    from django.urls import get_resolver

    covered = {name.split(":")[0] for name, *_rest in ROWS}
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace or ""
                if ns in {"admin"}:
                    continue
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    # Logout answers POST only and password_change_done is Django's confirmation page.
    missing = names - covered - {"logout", "password_change_done"}
    assert not missing, f"URLs without access-matrix rows: {sorted(missing)}"
