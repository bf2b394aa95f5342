"""Demo data: the six team users and about 60 people over every lifecycle state."""

import datetime
import importlib
import random

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker

from conecta import permissions
from conecta.models import Commune, Institution, ProgramSettings
from conecta.rut import check_digit
from participants import services
from participants.models import Case, CaseStatus, Cohort, Consent, FamilyMember, Participant, ReceivedDocument

DEMO_PASSWORD = "conecta-demo"
DEMO_USERS = [
    ("gestora", "Karina", "Caball Riquelme", permissions.MANAGER),
    ("psicologa", "Daniela", "Fuentes Soto", permissions.PSYCHOLOGIST),
    ("trabajador.social", "Rodrigo", "Muñoz Pérez", permissions.SOCIAL_WORKER),
    ("terapeuta", "Camila", "Rojas Araya", permissions.OCCUPATIONAL_THERAPIST),
    ("monitoreo", "Felipe", "Contreras Díaz", permissions.FOLLOWUP_PSYCHOLOGIST),
    ("recepcion", "Marisol", "Vega Tapia", permissions.RECEPTIONIST),
]
INSTITUTIONS = [
    ("Centro de Reinserción Social Santiago Oriente (Gendarmería)", Institution.Kind.JUSTICE, Institution.Level.REGIONAL),
    ("Seremía de Justicia y Derechos Humanos RM", Institution.Kind.JUSTICE, Institution.Level.REGIONAL),
    ("Defensoría Penal Pública, Defensoría Local Las Condes", Institution.Kind.JUSTICE, Institution.Level.REGIONAL),
    ("Juzgado de Garantía de Santiago", Institution.Kind.JUSTICE, Institution.Level.REGIONAL),
    ("Oficina Municipal de Intermediación Laboral (OMIL) Las Condes", Institution.Kind.EMPLOYMENT, Institution.Level.COMMUNAL),
    ("OTEC Municipal de Capacitación", Institution.Kind.TRAINING, Institution.Level.COMMUNAL),
    ("SENDA Previene Las Condes", Institution.Kind.ADDICTION, Institution.Level.COMMUNAL),
    ("CESFAM Apoquindo", Institution.Kind.HEALTH, Institution.Level.COMMUNAL),
    ("Servicio de Vivienda y Urbanización (SERVIU)", Institution.Kind.HOUSING, Institution.Level.REGIONAL),
    ("Programa Abriendo Caminos", Institution.Kind.SOCIAL, Institution.Level.COMMUNAL),
    ("Dirección de Desarrollo Comunitario Las Condes", Institution.Kind.SOCIAL, Institution.Level.COMMUNAL),
]
SECTORS = ["Colón Oriente", "Villa La Escuela", "Santa Rosa de Apoquindo", "Los Dominicos",
           "San Luis", "Villa El Dorado", "Nueva Las Condes", "Cerro Colorado"]
OFFENCES = ["Robo con intimidación", "Hurto simple", "Microtráfico (Ley 20.000)", "Receptación",
            "Robo en lugar habitado", "Lesiones menos graves", "Conducción en estado de ebriedad"]
# Everyone in the demo is Chilean: expulsion (art. 34 Ley 18.216) applies only to foreigners.
SENTENCES_OF_NATIONALS = [value for value in Case.SentenceType.values if value != Case.SentenceType.EXPULSION]
# How many people end in each state; the sum is the demo size (60).
PLAN = [
    (CaseStatus.APPLICANT, 8), (CaseStatus.DIAGNOSIS, 8), (CaseStatus.INTERVENTION, 18),
    (CaseStatus.EXITED, 6), (CaseStatus.FOLLOWUP, 10), (CaseStatus.CLOSED, 6),
    (CaseStatus.NOT_ADMITTED, 4),
]


class Command(BaseCommand):
    help = "Crea usuarios y datos de demostración (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Ejecutar aunque DEBUG esté desactivado.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, force=False, seed=2026, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo crea usuarios con contraseña conocida: use --force si de verdad lo quiere con DEBUG desactivado.")
        permissions.sync_role_groups()
        with transaction.atomic():
            users = self.create_users()
            institutions = self.create_institutions()
            cohorts = self.create_cohorts()
            created = self.create_people(users, institutions, cohorts, seed)
            for app_seed in self.app_seeders():
                app_seed(users=users, seed=seed, stdout=self.stdout)
            # Last: once a consent is withdrawn or a person blocked, the apps' seeds could not add to them.
            self.create_data_protection_examples(users)
        self.stdout.write(self.style.SUCCESS(
            f"Demo lista: {len(users)} usuarios, {Participant.objects.count()} personas ({created} nuevas)."
        ))

    def app_seeders(self):
        """`seed(*, users, seed, stdout)` of each app above this one that has a `demo` module.

        participants knows nothing of those apps; they bring their own demo
        data (idempotent too), in INSTALLED_APPS order."""
        seeders = []
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            seeders.append(module.seed)
        return seeders

    def create_users(self):
        users = {}
        for username, first, last, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last,
                                             "email": f"{username}@conecta.example"})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[role] = user
        return users

    def create_data_protection_examples(self, users):
        """One person who withdrew consent, one processed anyway on the manager's legal basis, one blocked
        (Ley 21.719), so the case-file banners and the blocked badge show in the demo."""
        manager = users[permissions.MANAGER]
        if Consent.objects.filter(withdrawn_on__isnull=False).exists() or Participant.objects.filter(
                blocked_on__isnull=False).exists():
            return
        today = datetime.date.today()
        in_intervention = list(Case.objects.filter(status=CaseStatus.INTERVENTION).select_related("participant")
                               .order_by("pk")[:2])
        for case, authorise in zip(in_intervention, (False, True)):
            consent = case.participant.consents.filter(kind=Consent.Kind.DATA_PROTECTION).first()
            if consent is None:
                continue
            services.consent_withdraw(consent=consent, actor=users[permissions.PSYCHOLOGIST],
                                      date=today - datetime.timedelta(days=3),
                                      reason="La persona pidió por escrito retirar su consentimiento.")
            if authorise:
                services.processing_authorise(
                    participant=case.participant, actor=manager, basis="legal_obligation",
                    detail="Cumple libertad vigilada: el tribunal exige informes mensuales de asistencia al "
                           "programa (Ley 18.216); se tratan solo los datos necesarios para esos informes.")
        in_followup = Case.objects.filter(status=CaseStatus.FOLLOWUP).select_related("participant").order_by("pk").first()
        if in_followup is not None:
            services.participant_block(
                participant=in_followup.participant, actor=manager, on=today,
                reason="Solicitud de bloqueo de la persona mientras se resuelve su reclamo por datos inexactos.")
        self.stdout.write("  protección de datos: un consentimiento retirado, una autorización de la gestora, "
                          "una persona bloqueada")

    def create_institutions(self):
        return [
            Institution.objects.get_or_create(name=name, defaults={"kind": kind, "level": level})[0]
            for name, kind, level in INSTITUTIONS
        ]

    def create_cohorts(self):
        cohorts = []
        for year in (2025, 2026):
            for semester in (1, 2):
                start = datetime.date(year, 1 if semester == 1 else 7, 1)
                end = datetime.date(year, 6, 30) if semester == 1 else datetime.date(year, 12, 31)
                cohort, _created = Cohort.objects.get_or_create(
                    name=f"{year}-{semester}",
                    defaults={"year": year, "semester": semester, "start_date": start, "end_date": end},
                )
                cohorts.append(cohort)
        return cohorts

    def create_people(self, users, institutions, cohorts, seed):
        if Participant.objects.filter(created_by=users[permissions.RECEPTIONIST]).count() >= sum(n for _s, n in PLAN):
            return 0
        fake = Faker("es_CL")
        Faker.seed(seed)
        rng = random.Random(seed)
        today = datetime.date.today()
        program = ProgramSettings.load()
        others = list(Commune.objects.filter(region__code="13").exclude(pk=program.commune_id)[:20])
        justice = [i for i in institutions if i.kind == Institution.Kind.JUSTICE]
        created = 0
        index = 0
        for final_status, count in PLAN:
            for _n in range(count):
                index += 1
                body = 10_000_000 + rng.randrange(15_000_000)
                rut = f"{body}-{check_digit(body)}"
                if Participant.objects.filter(rut=rut).exists():
                    continue
                female = rng.random() < 0.35
                first = fake.first_name_female() if female else fake.first_name_male()
                second = first
                while second == first:  # never «Luis Luis»
                    second = fake.first_name_female() if female else fake.first_name_male()
                resident = final_status != CaseStatus.NOT_ADMITTED or rng.random() < 0.5
                person = services.participant_create(actor=users[permissions.RECEPTIONIST], data={
                    "rut": rut,
                    "given_names": f"{first} {second}",
                    "paternal_surname": fake.last_name(),
                    "maternal_surname": fake.last_name(),
                    "birth_date": today - datetime.timedelta(days=rng.randrange(19 * 365, 55 * 365)),
                    "sex": Participant.Sex.FEMALE if female else Participant.Sex.MALE,
                    "gender": Participant.Gender.WOMAN if female else Participant.Gender.MAN,
                    "phone": f"+56 9 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
                    "email": fake.free_email() if rng.random() < 0.6 else "",
                    "address": fake.street_address(),
                    "commune": program.commune if resident else rng.choice(others),
                    "sector": rng.choice(SECTORS),
                    "education_level": rng.choice(Participant.Education.values),
                    "household_notes": rng.choice(["Vive con su madre y dos hermanos.", "Vive con su pareja e hijos.",
                                                   "Vive solo en pieza arrendada.", "Vive con abuela materna."]),
                })
                created += 1
                self.build_case(person, final_status, index, users, institutions, justice, cohorts, rng, today)
        return created

    def build_case(self, person, final_status, index, users, institutions, justice, cohorts, rng, today):
        # Later states started longer ago, so their dates stay in order and in the past.
        depth = [s for s, _n in PLAN].index(final_status)
        applied = today - datetime.timedelta(days=40 + depth * 70 + rng.randrange(30))
        cohort = min(cohorts, key=lambda c: abs((c.start_date - applied).days))
        is_justice = rng.random() < 0.7
        manager = users[permissions.MANAGER]
        case = services.case_open(
            participant=person, actor=users[permissions.RECEPTIONIST], applied_on=applied, cohort=cohort,
            referral_source=rng.choice(institutions),
            category=Case.Category.JUSTICE if is_justice else Case.Category.VULNERABILITY,
            sentence_type=rng.choice(SENTENCES_OF_NATIONALS) if is_justice else "",
            supervising_institution=rng.choice(justice) if is_justice else None,
            offences=rng.choice(OFFENCES) if is_justice else "",
            vulnerability_factors=[] if is_justice else rng.sample(Case.VulnerabilityFactor.values[:6], 2),
            psychologist=users[permissions.PSYCHOLOGIST] if final_status != CaseStatus.APPLICANT else None,
            social_worker=users[permissions.SOCIAL_WORKER] if final_status != CaseStatus.APPLICANT else None,
            occupational_therapist=users[permissions.OCCUPATIONAL_THERAPIST] if final_status != CaseStatus.APPLICANT else None,
            followup_psychologist=users[permissions.FOLLOWUP_PSYCHOLOGIST]
            if final_status in (CaseStatus.EXITED, CaseStatus.FOLLOWUP, CaseStatus.CLOSED) else None,
        )
        services.family_member_save(actor=users[permissions.SOCIAL_WORKER], member=FamilyMember(
            participant=person, name=f"{Faker('es_CL').first_name_female()} {person.paternal_surname}",
            relationship=FamilyMember.Relationship.MOTHER, age=rng.randrange(45, 75),
            phone=f"+56 9 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
            lives_with_participant=rng.random() < 0.5, takes_part_in_sessions=rng.random() < 0.4,
        ))
        services.document_receive(actor=users[permissions.RECEPTIONIST], document=ReceivedDocument(
            participant=person, document_type=ReceivedDocument.DocumentType.ID_CARD, received_on=applied,
        ))
        if final_status == CaseStatus.APPLICANT:
            return
        if final_status == CaseStatus.NOT_ADMITTED:
            services.case_transition(case=case, to_status=CaseStatus.NOT_ADMITTED, actor=manager,
                                     date=applied + datetime.timedelta(days=10),
                                     reason="No reside en la comuna ni presenta factores de riesgo suficientes.")
            return
        if not services.case_eligibility(case).eligible:
            services.case_grant_exception(case=case, actor=manager, reason="Caso derivado por tribunal; se evalúa en diagnóstico.")
        actor = users[permissions.PSYCHOLOGIST]
        services.consent_record(actor=actor, consent=Consent(
            participant=person, case=case, kind=Consent.Kind.DATA_PROTECTION, version="2026.1",
            signed_on=applied + datetime.timedelta(days=7)))
        steps = [(CaseStatus.DIAGNOSIS, 7, "", "")]
        if final_status != CaseStatus.DIAGNOSIS:
            steps.append((CaseStatus.INTERVENTION, 30, "Diagnóstico completo.", ""))
        if final_status in (CaseStatus.EXITED, CaseStatus.FOLLOWUP, CaseStatus.CLOSED):
            exit_type = rng.choice([Case.ExitType.COMPLETED] * 3 + [Case.ExitType.DROPOUT])
            steps.append((CaseStatus.EXITED, 170, "Término del plan de intervención.", exit_type))
        if final_status in (CaseStatus.FOLLOWUP, CaseStatus.CLOSED):
            steps.append((CaseStatus.FOLLOWUP, 180, "Inicio del seguimiento de un año.", ""))
        if final_status == CaseStatus.CLOSED:
            steps.append((CaseStatus.CLOSED, 400, "Seguimiento completo.", ""))
        for status, offset, reason, exit_type in steps:
            date = min(applied + datetime.timedelta(days=offset), today)
            services.case_transition(case=case, to_status=status, actor=actor, date=date,
                                     reason=reason, exit_type=exit_type)
