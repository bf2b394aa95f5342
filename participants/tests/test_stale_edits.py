"""Two people edit the same record from forms loaded at the same version: the
second save is refused, shows what changed, keeps what was typed, and a second
submit applies it on top of the first person's change."""

import pytest
from django.urls import reverse

from conecta import permissions as p
from participants.models import Participant
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def form_data(response):
    """The submitted values of the rendered form, as a browser would send them."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%Y-%m-%d")
        else:
            data[name] = str(value)
    return data


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def person():
    return CaseFactory().participant


def test_second_stale_participant_save_is_refused_and_rebased(client, role_users, person):
    url = reverse("participants:participant_update", args=[person.pk])
    first = login(client, role_users[p.PSYCHOLOGIST]).get(url)
    mine = form_data(first)
    theirs = dict(mine)

    theirs["phone"] = "+56 9 1111 2222"
    response = client.post(url, theirs)
    assert response.status_code == 302

    login(client, role_users[p.RECEPTIONIST])
    mine["address"] = "Av. Apoquindo 3000"
    refused = client.post(url, mine)
    assert refused.status_code == 200
    person.refresh_from_db()
    assert person.address != "Av. Apoquindo 3000", "the stale save must not reach the database"
    assert person.phone == "+56 9 1111 2222"
    page = refused.content.decode()
    assert "Otra persona guardó cambios" in page
    assert "1111 2222" in page  # what changed in between is shown
    rebased = refused.context["form"]
    assert rebased.data["address"] == "Av. Apoquindo 3000", "what the person typed is kept"
    assert rebased.data["phone"] == "+56 9 1111 2222", "the other person's change is taken"
    assert rebased.data["version"] == str(person.version)

    again = client.post(url, dict(rebased.data.items()))
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.address == "Av. Apoquindo 3000" and person.phone == "+56 9 1111 2222"


def test_conflicting_field_keeps_the_second_persons_value_and_says_so(client, role_users, person):
    url = reverse("participants:participant_update", args=[person.pk])
    mine = form_data(login(client, role_users[p.PSYCHOLOGIST]).get(url))
    theirs = dict(mine, email="primera@example.cl")
    assert client.post(url, theirs).status_code == 302
    refused = client.post(url, dict(mine, email="segunda@example.cl"))
    change = next(c for c in refused.context["stale"]["changes"] if str(c["label"]).lower() == str(Participant._meta.get_field("email").verbose_name).lower())
    assert change["conflict"] and change["now"] == "primera@example.cl" and "segunda" in change["mine"]
    assert refused.context["form"].data["email"] == "segunda@example.cl"


def test_stale_case_save_refused_including_justice_fields(client, role_users):
    case = CaseFactory()
    url = reverse("participants:case_update", args=[case.pk])
    login(client, role_users[p.SOCIAL_WORKER])
    mine = form_data(client.get(url))
    assert client.post(url, dict(mine, offences="Robo con intimidación")).status_code == 302
    refused = client.post(url, dict(mine, referral_notes="Derivada por OPD"))
    assert refused.status_code == 200 and refused.context["stale"]
    case.refresh_from_db()
    assert case.offences == "Robo con intimidación" and case.referral_notes != "Derivada por OPD"
    assert refused.context["form"].data["offences"] == "Robo con intimidación"
    assert refused.context["form"].data["referral_notes"] == "Derivada por OPD"


def test_a_status_move_also_makes_an_open_case_form_stale(client, role_users):
    from datetime import date

    from participants import services
    from participants.models import CaseStatus

    case = CaseFactory(status=CaseStatus.APPLICANT)
    url = reverse("participants:case_update", args=[case.pk])
    mine = form_data(login(client, role_users[p.MANAGER]).get(url))
    services.case_transition(case=case, to_status=CaseStatus.NOT_ADMITTED, actor=role_users[p.MANAGER],
                             date=date.today(), reason="No reside en la comuna")
    assert client.post(url, mine).context["stale"]


def test_version_missing_or_forged_is_a_field_error_not_a_500(client, role_users, person):
    url = reverse("participants:participant_update", args=[person.pk])
    mine = form_data(login(client, role_users[p.PSYCHOLOGIST]).get(url))
    for bad in ("", "abc", "99999999999999999999", "-1"):
        response = client.post(url, dict(mine, version=bad))
        assert response.status_code == 200
        assert response.context["form"].errors or response.context.get("stale")
