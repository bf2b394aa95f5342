"""Add N people's history to a demo database, fast (PostgreSQL COPY), for `make bench`.

    DATABASE_URL=postgres://…/conecta_bench_5000 python -m bench.generate --people 5000

The database must hold `seed_demo` first: its people are "today" (the same desk, agenda and
caseloads whatever N), and this adds N people whose cases ended in the past ten years —
about 22 sessions, 22 appointments, 3 assessments with every answer, a plan, referrals and
closed phone follow-ups each — assigned to the same professionals, as a program's archive
grows. Rows are built as model instances (so every default and `auto_now` applies) and
written with COPY; no history rows and no per-row services (this is a load, not a use).
"""

import argparse
import datetime
import os
import random
import sys
import time

CHUNK = 20_000

GIVEN_F = ["María José", "Camila", "Valentina", "Javiera", "Constanza", "Francisca", "Daniela", "Catalina",
           "Fernanda", "Carolina", "Paula", "Andrea", "Claudia", "Marcela", "Patricia", "Rocío", "Ximena"]
GIVEN_M = ["José Luis", "Juan Pablo", "Matías", "Sebastián", "Diego", "Felipe", "Cristián", "Rodrigo",
           "Nicolás", "Francisco", "Gonzalo", "Mauricio", "Claudio", "Patricio", "Héctor", "Iván", "Álvaro"]
SURNAMES = ["González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva", "Martínez",
            "Sepúlveda", "Morales", "Rodríguez", "López", "Fuentes", "Hernández", "Torres", "Araya",
            "Flores", "Espinoza", "Valenzuela", "Castillo", "Tapia", "Reyes", "Gutiérrez", "Castro",
            "Pizarro", "Álvarez", "Vásquez", "Sánchez", "Fernández", "Ramírez", "Carrasco", "Gómez",
            "Cortés", "Herrera", "Núñez", "Jara", "Vergara", "Rivera", "Figueroa", "Riquelme", "Bravo"]
NOTES = [
    "Se revisan avances del plan; la persona relata una semana estable y cumple la tarea acordada.",
    "Sesión centrada en manejo de la frustración frente a la búsqueda de empleo.",
    "Se trabaja la relación con su familia de origen; refiere menos conflictos en el hogar.",
    "Se acuerda asistir a la entrevista en la OMIL y llevar el certificado de antecedentes.",
    "Revisión de la red de apoyo; se identifican dos personas de confianza.",
]


def setup():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conecta.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


class Writer:
    """COPY model instances into their table; primary keys are handed out here."""

    def __init__(self, connection):
        self.connection = connection
        self.next_pk = {}
        self.counts = {}

    def pk(self, model):
        if model not in self.next_pk:
            with self.connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
                self.next_pk[model] = cursor.fetchone()[0] + 1
        value = self.next_pk[model]
        self.next_pk[model] = value + 1
        return value

    def write(self, model, objects):
        if not objects:
            return
        fields = [f for f in model._meta.concrete_fields]
        columns = ", ".join(f'"{f.column}"' for f in fields)
        with self.connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
                for obj in objects:
                    copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), self.connection) for f in fields])
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(objects)

    def reset_sequences(self):
        with self.connection.cursor() as cursor:
            for model in self.next_pk:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))')


def generate(people, seed=7):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from conecta import permissions as p
    from conecta.models import Commune, Institution
    from conecta.rut import check_digit
    from conecta.text import fold
    from interventions.models import (Answer, Appointment, Assessment, Instrument, Plan, PlanObjective,
                                      PlanSection, Referral, Session)
    from interventions.models.base import Area
    from participants.models import Case, CaseStatus, Participant, PhoneCall, PhoneFollowUp

    assert connection.vendor == "postgresql", "the benchmark loads with PostgreSQL COPY"
    rng = random.Random(seed)
    users = {u.username: u for u in get_user_model().objects.all()}
    by_role = {}
    for user in users.values():
        for role in p.user_roles(user):
            by_role.setdefault(role, []).append(user)
    psychologists = by_role[p.PSYCHOLOGIST]
    social = by_role[p.SOCIAL_WORKER]
    therapists = by_role[p.OCCUPATIONAL_THERAPIST]
    followup = by_role[p.FOLLOWUP_PSYCHOLOGIST]
    desk = by_role[p.RECEPTIONIST][0]
    communes = list(Commune.objects.filter(province_code__startswith="13").values_list("pk", flat=True))
    las_condes = Commune.objects.get(code="13114").pk
    institutions = list(Institution.objects.values_list("pk", flat=True))
    instruments = []
    for instrument in Instrument.objects.filter(status="active").prefetch_related("domains__items__options"):
        items = [(item, list(item.options.all())) for domain in instrument.domains.all() for item in domain.items.all()]
        instruments.append((instrument, items))
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    writer = Writer(connection)
    base_rut = 30_000_000 + Participant.objects.count()
    started = time.monotonic()
    for start in range(0, people, CHUNK):
        batch = {}
        def add(model, obj):
            obj.pk = writer.pk(model)
            batch.setdefault(model, []).append(obj)
            return obj
        for i in range(start, min(people, start + CHUNK)):
            female = rng.random() < 0.3
            body = base_rut + i
            person = Participant(
                rut=f"{body}-{check_digit(body)}",
                given_names=rng.choice(GIVEN_F if female else GIVEN_M),
                paternal_surname=rng.choice(SURNAMES), maternal_surname=rng.choice(SURNAMES),
                birth_date=datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                sex="female" if female else "male", phone=f"+56 9 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                commune_id=las_condes if rng.random() < 0.7 else rng.choice(communes),
                address=f"Calle {rng.randint(1, 999)} #{rng.randint(100, 9999)}", created_by_id=desk.pk,
            )
            person.search_text = fold(" ".join([person.given_names, person.paternal_surname,
                                                person.maternal_surname, person.rut.replace("-", "")]))
            add(Participant, person)
            applied = today - datetime.timedelta(days=rng.randint(400, 3650))
            admitted = applied + datetime.timedelta(days=rng.randint(5, 30))
            started_on = admitted + datetime.timedelta(days=rng.randint(10, 40))
            exited = started_on + datetime.timedelta(days=rng.randint(120, 330))
            closed = min(exited + datetime.timedelta(days=365), today - datetime.timedelta(days=1))
            psy, sw, ot = rng.choice(psychologists), rng.choice(social), rng.choice(therapists)
            case = add(Case, Case(
                participant_id=person.pk, number=1, status=CaseStatus.CLOSED, applied_on=applied,
                admitted_on=admitted, intervention_started_on=started_on, exited_on=exited,
                exit_type=rng.choice(["completed"] * 6 + ["dropout"] * 3 + ["transfer"]), closed_on=closed,
                category=rng.choice(["justice", "justice", "vulnerability"]),
                psychologist_id=psy.pk, social_worker_id=sw.pk, occupational_therapist_id=ot.pk,
                followup_psychologist_id=rng.choice(followup).pk,
            ))
            span = (exited - started_on).days
            for k in range(22):
                area, who = rng.choice([(Area.PSYCHOLOGICAL, psy), (Area.SOCIAL, sw), (Area.OCCUPATIONAL, ot)])
                day = started_on + datetime.timedelta(days=rng.randint(0, span))
                when = datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.choice([0, 30])), tz)
                appointment = add(Appointment, Appointment(
                    case_id=case.pk, professional_id=who.pk, area=area, starts_at=when,
                    status=rng.choice(["attended"] * 8 + ["no_show"]), created_by_id=who.pk))
                add(Session, Session(case_id=case.pk, starts_at=when, professional_id=who.pk, area=area,
                                     notes=rng.choice(NOTES), appointment_id=appointment.pk))
            for instrument, items in rng.sample(instruments, min(3, len(instruments))):
                assessment = add(Assessment, Assessment(
                    case_id=case.pk, instrument_id=instrument.pk, professional_id=psy.pk, status="completed",
                    applied_on=admitted + datetime.timedelta(days=rng.randint(0, 20))))
                for item, options in items:
                    add(Answer, Answer(assessment_id=assessment.pk, item_id=item.pk,
                                       option_id=rng.choice(options).pk if options else None,
                                       text="" if options else "Sin observaciones."))
            plan = add(Plan, Plan(case_id=case.pk, status="approved", agreed_on=started_on,
                                  approved_on=started_on, created_by_id=psy.pk))
            for area, who in ((Area.PSYCHOLOGICAL, psy), (Area.SOCIAL, sw), (Area.OCCUPATIONAL, ot)):
                section = add(PlanSection, PlanSection(plan_id=plan.pk, area=area, updated_by_id=who.pk))
                add(PlanObjective, PlanObjective(section_id=section.pk, order=1, status="achieved",
                                                 text="Fortalecer la red de apoyo y la autonomía."))
            for k in range(rng.randint(0, 3)):
                sent = started_on + datetime.timedelta(days=rng.randint(0, span))
                add(Referral, Referral(case_id=case.pk, institution_id=rng.choice(institutions),
                                       need=rng.choice(["health", "housing", "employment", "training", "benefits"]),
                                       status="completed", sent_on=sent, answered_on=sent + datetime.timedelta(days=7),
                                       closed_on=sent + datetime.timedelta(days=40), created_by_id=sw.pk))
            for k in range(2):
                missed = started_on + datetime.timedelta(days=rng.randint(0, span))
                follow = add(PhoneFollowUp, PhoneFollowUp(
                    case_id=case.pk, reason="appointment_no_show", description="Cita con el equipo",
                    missed_on=missed, status="done", resolution="Se reagenda.", opened_by_id=desk.pk,
                    closed_at=datetime.datetime.combine(missed, datetime.time(12), tz)))
                add(PhoneCall, PhoneCall(followup_id=follow.pk, caller_id=desk.pk, outcome="reached",
                                         called_at=datetime.datetime.combine(missed, datetime.time(11), tz)))
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The rows are built consistent; skip the per-row foreign-key triggers (superuser).
                cursor.execute("SET LOCAL session_replication_role = replica")
            for model, objects in batch.items():
                writer.write(model, objects)
        print(f"  {min(people, start + CHUNK)} / {people} people, {time.monotonic() - started:.0f} s", flush=True)
    writer.reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return writer.counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    setup()
    counts = generate(args.people, seed=args.seed)
    for label, count in sorted(counts.items()):
        print(f"  {label}: {count}")


if __name__ == "__main__":
    main()
