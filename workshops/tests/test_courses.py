"""Trade training: course rules, enrolment lifecycle, certificate upload and the pages."""

import datetime

import pytest
from django.utils import timezone
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog, Institution
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory, InstitutionFactory
from workshops.forms.courses import CourseForm, EnrolmentMoveForm
from workshops.models import CourseEnrolment, EnrolmentEvent, TrainingCourse
from workshops.selectors import courses as selectors
from workshops.services import courses as services
from workshops.tests.factories_courses import CourseEnrolmentFactory, TrainingCourseFactory


def today():
    # Evaluated per call: a module constant goes stale when a run crosses midnight.
    return timezone.localdate()

pytestmark = pytest.mark.django_db
Status = CourseEnrolment.Status
PDF = b"%PDF-1.4 certificado"


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def therapist(role_users):
    return role_users[p.OCCUPATIONAL_THERAPIST]


@pytest.fixture
def course(therapist):
    return TrainingCourseFactory(created_by=therapist, places=2)


def apply(course, actor, *, status=CaseStatus.INTERVENTION, date=None):
    case = CaseFactory(status=status, applied_on=days(-200))
    return services.enrolment_create(course=course, case=case, actor=actor, date=date or days(-30))


def walk(enrolment, actor, steps, start=-29, dates=None):
    """Move through `steps` on consecutive days from `start`, or on the given `dates` (day offsets)."""
    dates = dates or [start + offset for offset in range(len(steps))]
    for step, offset in zip(steps, dates):
        certificate = ContentFile(PDF, name="cert.pdf") if step == Status.CERTIFIED else None
        enrolment = services.enrolment_move(enrolment=enrolment, to_status=step, actor=actor,
                                            date=days(offset), certificate=certificate)
    return enrolment


# --- Courses ------------------------------------------------------------------

def course_data(provider, **overrides):
    data = {
        "trade": "Electricidad", "name": "Electricidad domiciliaria", "provider": provider.pk,
        "sence_certified": "on", "sence_code": "1237998120", "hours": "120",
        "start_date": days(10).isoformat(), "end_date": days(60).isoformat(), "schedule": "Lunes 18:30",
        "place": "Sede OTEC", "places": "10", "cost": "380000", "funding_source": "sence", "status": "open",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_sence_code_required_when_certified():
    provider = InstitutionFactory(kind=Institution.Kind.TRAINING)
    form = CourseForm(data=course_data(provider, sence_code=""))
    assert not form.is_valid()
    assert form.errors["sence_code"] == ["Indique el código SENCE del curso certificado."]
    assert CourseForm(data=course_data(provider, sence_certified=None, sence_code="")).is_valid()


def test_course_end_before_start_and_non_training_provider_refused():
    provider = InstitutionFactory(kind=Institution.Kind.TRAINING)
    form = CourseForm(data=course_data(provider, end_date=days(5).isoformat()))
    assert not form.is_valid()
    assert "end_date" in form.errors
    health = InstitutionFactory(kind=Institution.Kind.HEALTH)
    form = CourseForm(data=course_data(health))
    assert "provider" in form.errors  # only active OTEC institutions are offered


def test_course_save_service_checks_rules_and_keeps_history(therapist):
    provider = InstitutionFactory(kind=Institution.Kind.TRAINING)
    course = TrainingCourse(trade="Gasfitería", name="Gasfitería SEC", provider=provider, sence_certified=True,
                            hours=100, start_date=days(1), end_date=days(30), places=5,
                            funding_source="municipal")
    with pytest.raises(DomainError, match="código SENCE"):
        services.course_save(course=course, actor=therapist)
    course.sence_code = "1238033007"
    services.course_save(course=course, actor=therapist)
    record = course.history.latest()
    assert record.history_user == therapist and record.history_change_reason == "Registro del curso"


def test_places_cannot_drop_below_seats_taken(course, therapist):
    for _i in range(2):
        walk(apply(course, therapist), therapist, [Status.ENROLLED])
    form = CourseForm(data=course_data(course.provider, places="1"), instance=course)
    assert "places" in form.errors


def test_course_create_view_keeps_input_and_shows_error(client_for, therapist):
    provider = InstitutionFactory(kind=Institution.Kind.TRAINING)
    client = client_for(therapist)
    response = client.post(reverse("workshops:course_create"), course_data(provider, sence_code=""))
    assert response.status_code == 200
    assert "Indique el código SENCE" in response.content.decode()
    assert "Electricidad domiciliaria" in response.content.decode()
    response = client.post(reverse("workshops:course_create"), course_data(provider))
    course = TrainingCourse.objects.get()
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert course.created_by == therapist and course.cost == 380000


# --- Enrolment lifecycle ------------------------------------------------------------

def test_full_lifecycle_leaves_timeline_and_history(therapist):
    course = TrainingCourseFactory(created_by=therapist, start_date=days(-40), end_date=days(-28))
    enrolment = apply(course, therapist, date=days(-45))
    enrolment = walk(enrolment, therapist, [Status.ENROLLED, Status.IN_PROGRESS, Status.COMPLETED, Status.CERTIFIED],
                     dates=[-42, -40, -28, -26])
    assert enrolment.status == Status.CERTIFIED
    assert enrolment.certified_on == days(-26)
    assert enrolment.certificate.name.endswith(".pdf")
    assert list(enrolment.events.values_list("status", flat=True)) == [
        Status.APPLIED, Status.ENROLLED, Status.IN_PROGRESS, Status.COMPLETED, Status.CERTIFIED]
    assert enrolment.history.count() == 5
    assert enrolment.history.latest().history_user == therapist


@pytest.mark.parametrize("start,target", [
    (Status.APPLIED, Status.IN_PROGRESS),
    (Status.APPLIED, Status.CERTIFIED),
    (Status.ENROLLED, Status.COMPLETED),
    (Status.IN_PROGRESS, Status.ENROLLED),
    (Status.CERTIFIED, Status.DROPPED),
    (Status.DROPPED, Status.ENROLLED),
])
def test_illegal_transitions_refused(start, target, therapist):
    enrolment = CourseEnrolmentFactory(status=start, created_by=therapist)
    with pytest.raises(DomainError, match="No se puede pasar"):
        services.enrolment_move(enrolment=enrolment, to_status=target, actor=therapist, date=today(), reason="x",
                                certificate=ContentFile(PDF, name="c.pdf"))
    enrolment.refresh_from_db()
    assert enrolment.status == start


@pytest.mark.parametrize("start", [Status.APPLIED, Status.ENROLLED, Status.IN_PROGRESS, Status.COMPLETED])
def test_drop_from_any_non_final_state_needs_reason(start, therapist):
    enrolment = CourseEnrolmentFactory(status=start, created_by=therapist)
    with pytest.raises(DomainError, match="motivo del retiro"):
        services.enrolment_move(enrolment=enrolment, to_status=Status.DROPPED, actor=therapist, date=today(),
                                reason="   ")
    enrolment = services.enrolment_move(enrolment=enrolment, to_status=Status.DROPPED, actor=therapist, date=today(),
                                        reason="Encontró trabajo")
    assert enrolment.status == Status.DROPPED and enrolment.drop_reason == "Encontró trabajo"
    assert enrolment.events.last().note == "Encontró trabajo"


def test_dates_not_in_future_nor_before_previous_move(course, therapist):
    enrolment = apply(course, therapist, date=days(-10))
    with pytest.raises(DomainError, match="futuro"):
        services.enrolment_move(enrolment=enrolment, to_status=Status.ENROLLED, actor=therapist, date=days(1))
    with pytest.raises(DomainError, match="anterior al último movimiento"):
        services.enrolment_move(enrolment=enrolment, to_status=Status.ENROLLED, actor=therapist, date=days(-11))
    services.enrolment_move(enrolment=enrolment, to_status=Status.ENROLLED, actor=therapist, date=days(-10))
    with pytest.raises(DomainError, match="futuro"):
        apply(course, therapist, date=days(2))


def test_duplicate_enrolment_refused(course, therapist):
    enrolment = apply(course, therapist)
    with pytest.raises(DomainError, match="ya está inscrito"):
        services.enrolment_create(course=course, case=enrolment.case, actor=therapist, date=today())
    assert CourseEnrolment.objects.count() == 1


def test_places_respected_when_enrolling(course, therapist):
    first, second, third = (apply(course, therapist) for _i in range(3))
    walk(first, therapist, [Status.ENROLLED])
    walk(second, therapist, [Status.ENROLLED])
    with pytest.raises(DomainError, match="no tiene cupos"):
        walk(third, therapist, [Status.ENROLLED])
    # A dropped person frees their place.
    services.enrolment_move(enrolment=first, to_status=Status.DROPPED, actor=therapist, date=today(), reason="Cambio")
    assert walk(third, therapist, [Status.ENROLLED]).status == Status.ENROLLED


@pytest.mark.parametrize("case_status,allowed", [
    (CaseStatus.APPLICANT, False), (CaseStatus.DIAGNOSIS, True), (CaseStatus.INTERVENTION, True),
    (CaseStatus.EXITED, True), (CaseStatus.FOLLOWUP, False), (CaseStatus.CLOSED, False),
    (CaseStatus.NOT_ADMITTED, False),
])
def test_only_open_or_exited_cases_can_enrol(course, therapist, case_status, allowed):
    if allowed:
        assert apply(course, therapist, status=case_status).status == Status.APPLIED
    else:
        with pytest.raises(DomainError, match="Solo se pueden inscribir"):
            apply(course, therapist, status=case_status)


def test_cancelled_course_takes_no_applications(therapist):
    course = TrainingCourseFactory(status=TrainingCourse.Status.CANCELLED)
    with pytest.raises(DomainError, match="no recibe postulaciones"):
        apply(course, therapist)


def test_certified_requires_certificate(therapist):
    enrolment = CourseEnrolmentFactory(status=Status.COMPLETED, created_by=therapist)
    with pytest.raises(DomainError, match="Adjunte el certificado"):
        services.enrolment_move(enrolment=enrolment, to_status=Status.CERTIFIED, actor=therapist, date=today())
    form = EnrolmentMoveForm(data={"date": today().isoformat()}, target=Status.CERTIFIED, enrolment=enrolment)
    assert "certificate" in form.errors


@pytest.mark.parametrize("name,content,message", [
    ("cert.exe", b"MZ...", "Formato no permitido"),
    ("cert.pdf", b"\x89PNG....", "no corresponde a su extensión"),
])
def test_certificate_upload_validated(client_for, therapist, name, content, message):
    enrolment = CourseEnrolmentFactory(status=Status.COMPLETED, created_by=therapist)
    client = client_for(therapist)
    url = reverse("workshops:enrolment_move", args=[enrolment.pk, "certify"])
    response = client.post(url, {"date": today().isoformat(), "certificate": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED


def test_certify_through_view_then_file_served_and_logged(client_for, therapist, role_users):
    enrolment = CourseEnrolmentFactory(status=Status.COMPLETED, created_by=therapist)
    client = client_for(therapist)
    response = client.post(reverse("workshops:enrolment_move", args=[enrolment.pk, "certify"]),
                           {"date": today().isoformat(), "certificate": SimpleUploadedFile("c.pdf", PDF),
                            "version": enrolment.version})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CERTIFIED and enrolment.certified_on == today()
    response = client.get(reverse("workshops:enrolment_certificate", args=[enrolment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AccessLog.objects.with_section(p.SECTION_WORKSHOPS).filter(
        user=therapist, subject_id=enrolment.case.participant_id).exists()
    client = client_for(role_users[p.RECEPTIONIST])
    assert client.get(reverse("workshops:enrolment_certificate", args=[enrolment.pk])).status_code == 403


def test_drop_view_shows_error_next_to_reason(client_for, therapist):
    enrolment = CourseEnrolmentFactory(status=Status.ENROLLED, created_by=therapist)
    response = client_for(therapist).post(reverse("workshops:enrolment_move", args=[enrolment.pk, "drop"]),
                                          {"date": today().isoformat(), "reason": ""})
    assert response.status_code == 200
    assert "Motivo del retiro" in response.content.decode()
    assert 'id="error_1_id_reason"' in response.content.decode()


def test_unknown_action_is_404(client_for, therapist):
    enrolment = CourseEnrolmentFactory(created_by=therapist)
    response = client_for(therapist).get(reverse("workshops:enrolment_move", args=[enrolment.pk, "teleport"]))
    assert response.status_code == 404


def test_enrol_view_refuses_duplicate_with_message(client_for, course, therapist):
    enrolment = apply(course, therapist)
    other = CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days(-100))
    client = client_for(therapist)
    url = reverse("workshops:enrolment_create", args=[course.pk])
    # The already-enrolled case is not offered: choosing it is a field error, not a 500.
    response = client.post(url, {"cases": [enrolment.case.pk], "date": today().isoformat()})
    assert response.status_code == 200 and CourseEnrolment.objects.count() == 1
    response = client.post(url, {"cases": [other.pk], "date": today().isoformat()})
    assert response.status_code == 302
    assert CourseEnrolment.objects.filter(case=other, status=Status.APPLIED).exists()


# --- Lists and selectors ----------------------------------------------------------

def test_course_list_filters(client_for, therapist):
    sence = TrainingCourseFactory(name="Grúa horquilla", status=TrainingCourse.Status.OPEN)
    plain = TrainingCourseFactory(name="Peluquería básica", sence_certified=False, sence_code="",
                                  status=TrainingCourse.Status.FINISHED)
    assert list(selectors.course_list(sence="yes")) == [sence]
    assert list(selectors.course_list(sence="no")) == [plain]
    assert list(selectors.course_list(status="finished")) == [plain]
    assert list(selectors.course_list(provider=plain.provider)) == [plain]
    content = client_for(therapist).get(reverse("workshops:course_list") + "?sence=no").content.decode()
    assert "Peluquería básica" in content and "Grúa horquilla" not in content


@pytest.mark.parametrize("url_name,query", [
    ("workshops:course_list", "?status=zzz&provider=abc&sence=maybe&page=-4"),
    ("workshops:course_list", "?provider=999999&page=99999"),
    ("workshops:enrolment_list", "?status=<script>&page=x"),
    ("workshops:enrolment_certified_list", "?page=0"),
])
def test_lists_survive_bad_params(client_for, therapist, url_name, query):
    TrainingCourseFactory()
    response = client_for(therapist).get(reverse(url_name) + query)
    assert response.status_code == 200


def test_bad_course_detail_params(client_for, therapist, course):
    client = client_for(therapist)
    assert client.get(reverse("workshops:course_detail", args=[course.pk]) + "?page=abc").status_code == 200
    assert client.get(reverse("workshops:course_detail", args=[999999])).status_code == 404
    assert client.get(reverse("workshops:enrolment_detail", args=[999999])).status_code == 404


def test_in_training_and_certified_lists(therapist):
    training = CourseEnrolmentFactory(status=Status.IN_PROGRESS)
    enrolled = CourseEnrolmentFactory(status=Status.ENROLLED)
    CourseEnrolmentFactory(status=Status.APPLIED)
    this_semester = CourseEnrolmentFactory(status=Status.CERTIFIED, certified_on=today())
    CourseEnrolmentFactory(status=Status.CERTIFIED, certified_on=today() - datetime.timedelta(days=400))
    assert set(selectors.enrolment_list(viewer=None)) == {training, enrolled}
    certified, start, end = selectors.certified_in_semester(viewer=None)
    assert list(certified) == [this_semester]
    assert start <= today() <= end


def test_status_counts_and_home_panel(client_for, therapist):
    CourseEnrolmentFactory(status=Status.IN_PROGRESS)
    CourseEnrolmentFactory(status=Status.IN_PROGRESS)
    TrainingCourseFactory(name="Curso que empieza pronto", start_date=days(5), end_date=days(40))
    counts = {status: n for status, _label, n in selectors.enrolment_status_counts()}
    assert counts[Status.IN_PROGRESS] == 2 and counts[Status.CERTIFIED] == 0
    content = client_for(therapist).get(reverse("role_home", args=[p.OCCUPATIONAL_THERAPIST])).content.decode()
    assert "Capacitación por estado" in content and "Curso que empieza pronto" in content
    assert reverse("workshops:enrolment_list") + "?status=in_progress" in content


def test_enrolment_detail_logs_access(client_for, therapist):
    enrolment = CourseEnrolmentFactory(status=Status.ENROLLED)
    response = client_for(therapist).get(reverse("workshops:enrolment_detail", args=[enrolment.pk]))
    assert response.status_code == 200
    assert "Iniciar curso" in response.content.decode()
    assert AccessLog.objects.with_section(p.SECTION_WORKSHOPS).filter(user=therapist).count() == 1


# --- Case-file tab ------------------------------------------------------------

def test_casefile_tab_hides_drop_reason_from_reception(client_for, role_users, therapist):
    enrolment = CourseEnrolmentFactory(status=Status.APPLIED)
    services.enrolment_move(enrolment=enrolment, to_status=Status.DROPPED, actor=therapist, date=today(),
                            reason="Motivo reservado de retiro")
    url = reverse("participants:participant_detail", args=[enrolment.case.participant_id])
    reception = client_for(role_users[p.RECEPTIONIST]).get(url).content.decode()
    assert enrolment.course.name in reception and "Retirado/a" in reception
    assert "Motivo reservado de retiro" not in reception
    assert enrolment.get_absolute_url() not in reception
    professional = client_for(therapist).get(url).content.decode()
    assert "Motivo reservado de retiro" in professional


def test_menu_entries(client_for, therapist, role_users):
    content = client_for(therapist).get(reverse("workshops:course_list")).content.decode()
    assert reverse("workshops:enrolment_certified_list") in content
    reception = client_for(role_users[p.RECEPTIONIST]).get(reverse("home"), follow=True).content.decode()
    assert reverse("workshops:course_list") not in reception


def test_events_model_ordering(therapist, course):
    enrolment = walk(apply(course, therapist), therapist, [Status.ENROLLED])
    assert [e.status for e in EnrolmentEvent.objects.filter(enrolment=enrolment)] == [Status.APPLIED, Status.ENROLLED]
