"""Demo trade-training courses and enrolments over every status, through the services."""

import datetime

from django.core.files.base import ContentFile

from conecta import permissions
from conecta.models import Institution
from conecta.services import reference_save
from conecta.workdays import is_program_day
from participants.models import Case, CaseStatus
from participants.selectors import semester_bounds
from workshops.models import CourseEnrolment, TrainingCourse
from workshops.services import courses as services

Status = CourseEnrolment.Status

PROVIDERS = [
    ("OTEC Municipal de Capacitación", "Coordinación de cursos", "+56 2 2956 8100"),
    ("Fundación Oficios para Chile OTEC", "Paula Henríquez", "+56 2 2431 7720"),
    ("Capacitación Cordillera OTEC Ltda.", "Jorge Saavedra", "+56 9 8123 4470"),
]

# (trade, name, provider index, SENCE code, hours, start offset, length in days, schedule, place, places,
#  cost, funding, status, [final enrolment statuses])
COURSES = [
    ("Gastronomía", "Manipulación de alimentos", 0, "1238014556", 40, -100, 30,
     "Lunes a jueves, 09:00 a 13:00", "Centro Comunitario Colón Oriente", 12, 0,
     TrainingCourse.FundingSource.MUNICIPAL, TrainingCourse.Status.FINISHED,
     [Status.CERTIFIED, Status.CERTIFIED, Status.CERTIFIED, Status.COMPLETED, Status.DROPPED]),
    ("Electricidad", "Electricidad domiciliaria", 2, "1237998120", 120, -85, 50,
     "Lunes, miércoles y viernes, 18:30 a 21:30", "Sede OTEC, Av. Apoquindo 6400", 10, 380000,
     TrainingCourse.FundingSource.OTEC_SCHOLARSHIP, TrainingCourse.Status.FINISHED,
     [Status.CERTIFIED, Status.CERTIFIED, Status.COMPLETED]),
    ("Construcción", "Maestro general en obras menores (Becas Laborales)", 1, "1238020311", 180, -40, 90,
     "Lunes a viernes, 08:30 a 13:00", "Taller Fundación Oficios, Peñalolén", 15, 0,
     TrainingCourse.FundingSource.SENCE, TrainingCourse.Status.IN_PROGRESS,
     [Status.IN_PROGRESS, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.DROPPED]),
    ("Logística", "Operador de grúa horquilla", 2, "", 60, 12, 20,
     "Martes y jueves, 09:00 a 14:00", "Centro de distribución, Quilicura", 8, 250000,
     TrainingCourse.FundingSource.PROGRAM, TrainingCourse.Status.OPEN,
     [Status.ENROLLED, Status.ENROLLED, Status.APPLIED, Status.APPLIED]),
    ("Gasfitería", "Gasfitería certificada SEC", 0, "1238033007", 150, 25, 75,
     "Sábados, 09:00 a 17:00", "Liceo Técnico Municipal", 12, 0,
     TrainingCourse.FundingSource.SENCE, TrainingCourse.Status.OPEN,
     [Status.APPLIED, Status.APPLIED]),
]

# The weekdays each course meets (as its schedule says): its first and last day are such days.
MEETING_DAYS = {
    "Manipulación de alimentos": {0, 1, 2, 3},
    "Electricidad domiciliaria": {0, 2, 4},
    "Maestro general en obras menores (Becas Laborales)": {0, 1, 2, 3, 4},
    "Operador de grúa horquilla": {1, 3},
    "Gasfitería certificada SEC": {5},
}


def _meeting_day(day, weekdays, step):
    """`day`, or the nearest day in direction `step` (±1) the course meets and the program works."""
    while day.weekday() not in weekdays or not is_program_day(day):
        day += datetime.timedelta(days=step)
    return day


def _take_case(cases, *, applied_by):
    """Pop a case that had applied to the program by `applied_by` (None if there is none left)."""
    for index, case in enumerate(cases):
        if case.applied_on <= applied_by:
            return cases.pop(index)
    return None


# The path each final status takes from «postulado/a».
PATHS = {
    Status.APPLIED: [],
    Status.ENROLLED: [Status.ENROLLED],
    Status.IN_PROGRESS: [Status.ENROLLED, Status.IN_PROGRESS],
    Status.COMPLETED: [Status.ENROLLED, Status.IN_PROGRESS, Status.COMPLETED],
    Status.CERTIFIED: [Status.ENROLLED, Status.IN_PROGRESS, Status.COMPLETED, Status.CERTIFIED],
    Status.DROPPED: [Status.ENROLLED, Status.IN_PROGRESS, Status.DROPPED],
}
DROP_REASONS = [
    "Consiguió trabajo con horario incompatible con el curso.",
    "Dejó de asistir; no responde a los llamados de seguimiento.",
]


def certificate_pdf(name, course):
    """A small but valid one-page PDF standing in for the scanned certificate."""
    text = f"Certificado de aprobacion - {course} - {name}".encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
    if TrainingCourse.objects.exists():
        return
    therapist = users[permissions.OCCUPATIONAL_THERAPIST]
    today = datetime.date.today()
    semester_start, _end = semester_bounds(today)
    providers = []
    for name, contact, phone in PROVIDERS:
        institution = Institution.objects.filter(name=name).first()
        if institution is None:
            institution = reference_save(
                instance=Institution(name=name, kind=Institution.Kind.TRAINING, level=Institution.Level.COMMUNAL,
                                     contact_name=contact, phone=phone,
                                     services="Cursos de oficio con y sin certificación SENCE."),
                actor=therapist, reason="Catastro de OTEC")
        providers.append(institution)

    cases = list(Case.objects.filter(status__in=[CaseStatus.INTERVENTION, CaseStatus.EXITED])
                 .select_related("participant").order_by("pk"))
    rng.shuffle(cases)
    enrolments = 0
    for (trade, name, provider, code, hours, start, length, schedule, place, places, cost, funding, status,
         finals) in COURSES:
        start_date = _meeting_day(today + datetime.timedelta(days=start), MEETING_DAYS[name], 1)
        end_date = _meeting_day(start_date + datetime.timedelta(days=length), MEETING_DAYS[name], -1)
        course = services.course_save(course=TrainingCourse(
            trade=trade, name=name, provider=providers[provider], sence_certified=bool(code), sence_code=code,
            hours=hours, start_date=start_date, end_date=end_date,
            schedule=schedule, place=place, places=places, cost=cost, funding_source=funding,
            status=TrainingCourse.Status.OPEN,
        ), actor=therapist)
        for final in finals:
            # Dates go forward from the application and never pass today; certificates land in this semester.
            date = min(start_date - datetime.timedelta(days=rng.randrange(10, 25)), today)
            case = _take_case(cases, applied_by=date)
            if case is None:
                break
            enrolments += 1
            enrolment = services.enrolment_create(course=course, case=case, actor=therapist, date=date,
                                                  note="Derivado/a desde la evaluación ocupacional.")
            for step in PATHS[final]:
                if step == Status.IN_PROGRESS:
                    date = max(date, start_date)
                elif step == Status.COMPLETED:
                    date = max(date, course.end_date)
                elif step == Status.CERTIFIED:
                    date = max(date + datetime.timedelta(days=rng.randrange(5, 20)), semester_start)
                else:
                    date = date + datetime.timedelta(days=rng.randrange(1, 5))
                date = min(date, today)
                certificate = None
                if step == Status.CERTIFIED:
                    certificate = ContentFile(certificate_pdf(case.participant.full_name, course.name),
                                              name=f"certificado-{enrolment.pk}.pdf")
                services.enrolment_move(
                    enrolment=enrolment, to_status=step, actor=therapist, date=date,
                    reason=rng.choice(DROP_REASONS) if step == Status.DROPPED else "", certificate=certificate,
                )
        if status != course.status:
            course.status = status
            services.course_save(course=course, actor=therapist, reason="Cambio de estado del curso",
                                 version=course.version)
    stdout.write(f"Capacitación: {len(COURSES)} cursos, {enrolments} inscripciones.")
