"""Roles and who sees what: the single place where access rules live.

The role map is the source of the auth Groups (see `sync_role_groups`); the
manager may change who belongs to a role, never what a role may do. Views and
templates ask the capability functions below and never test group names.
"""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

MANAGER = "manager"
PSYCHOLOGIST = "psychologist"
SOCIAL_WORKER = "social_worker"
OCCUPATIONAL_THERAPIST = "occupational_therapist"
FOLLOWUP_PSYCHOLOGIST = "followup_psychologist"
RECEPTIONIST = "receptionist"

ROLES = {
    MANAGER: _("Gestor/a de área de reinserción"),
    PSYCHOLOGIST: _("Psicólogo/a"),
    SOCIAL_WORKER: _("Trabajador/a social"),
    OCCUPATIONAL_THERAPIST: _("Terapeuta ocupacional"),
    FOLLOWUP_PSYCHOLOGIST: _("Psicólogo/a de monitoreo"),
    RECEPTIONIST: _("Asistente administrativa"),
}
ROLE_CHOICES = list(ROLES.items())

# Roles that work with the whole case: justice history, eligibility, assessments.
PROFESSIONAL_ROLES = frozenset(
    {MANAGER, PSYCHOLOGIST, SOCIAL_WORKER, OCCUPATIONAL_THERAPIST, FOLLOWUP_PSYCHOLOGIST}
)
# Psychological session notes are clinical (DESIGN.md, "Who sees what").
CLINICAL_ROLES = frozenset({MANAGER, PSYCHOLOGIST, FOLLOWUP_PSYCHOLOGIST})

# Sections of a case file, as written to the access log.
SECTION_IDENTITY = "identity"
SECTION_CASES = "cases"
SECTION_JUSTICE = "justice"
SECTION_FAMILY = "family"
SECTION_CONSENTS = "consents"
SECTION_DOCUMENTS = "documents"
SECTION_HISTORY = "history"
SECTION_ASSESSMENTS = "assessments"
SECTION_PLAN = "plan"
SECTION_SESSIONS = "sessions"
SECTION_APPOINTMENTS = "appointments"
SECTION_REFERRALS = "referrals"
SECTION_WORKSHOPS = "workshops"
SECTION_CHOICES = [
    (SECTION_IDENTITY, _("Identificación y contacto")),
    (SECTION_CASES, _("Casos y estados")),
    (SECTION_JUSTICE, _("Situación judicial y elegibilidad")),
    (SECTION_FAMILY, _("Familia")),
    (SECTION_CONSENTS, _("Consentimientos")),
    (SECTION_DOCUMENTS, _("Documentos recibidos")),
    (SECTION_HISTORY, _("Historial de cambios")),
    (SECTION_ASSESSMENTS, _("Evaluaciones")),
    (SECTION_PLAN, _("Plan de intervención")),
    (SECTION_SESSIONS, _("Sesiones")),
    (SECTION_APPOINTMENTS, _("Citas")),
    (SECTION_REFERRALS, _("Derivaciones")),
    (SECTION_WORKSHOPS, _("Talleres y capacitación")),
]

# Which case-file sections each role reads. The receptionist sees identity,
# contact, appointments and attendance only; documents she receives at the
# desk are shown except the sensitive kinds (see `can_see_sensitive_documents`).
_SECTIONS_BY_ROLE = {
    MANAGER: {s for s, _label in SECTION_CHOICES},
    PSYCHOLOGIST: {s for s, _label in SECTION_CHOICES},
    SOCIAL_WORKER: {s for s, _label in SECTION_CHOICES},
    OCCUPATIONAL_THERAPIST: {s for s, _label in SECTION_CHOICES},
    FOLLOWUP_PSYCHOLOGIST: {s for s, _label in SECTION_CHOICES},
    RECEPTIONIST: {SECTION_IDENTITY, SECTION_CASES, SECTION_DOCUMENTS, SECTION_HISTORY,
                   SECTION_APPOINTMENTS, SECTION_WORKSHOPS},
}


def sync_role_groups():
    """Create the Group of every role; safe to run any number of times."""
    return [Group.objects.get_or_create(name=code)[0] for code in ROLES]


def user_roles(user):
    """The role codes a user holds, in the order of ROLES (cached per request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_conecta_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [code for code in ROLES if code in names]
        user._conecta_roles = cached
    return cached


def has_role(user, *roles):
    return any(role in user_roles(user) for role in roles)


def is_manager(user):
    return has_role(user, MANAGER)


def is_staff_member(user):
    """Any member of the program team (holds at least one role)."""
    return bool(user_roles(user))


def can_see_sensitive(user):
    """Justice history, eligibility reasons, vulnerability factors, family, consents."""
    return has_role(user, *PROFESSIONAL_ROLES)


def can_see_sensitive_documents(user):
    return can_see_sensitive(user)


def can_read_clinical_notes(user):
    return has_role(user, *CLINICAL_ROLES)


def visible_sections(user):
    sections = set()
    for role in user_roles(user):
        sections |= _SECTIONS_BY_ROLE[role]
    return sections


def can_edit_identity(user):
    """Register people and correct their identity and contact data."""
    return is_staff_member(user)


def can_manage_cases(user):
    """Open cases, record eligibility and move cases through the lifecycle."""
    return can_see_sensitive(user)


def can_grant_exception(user):
    """Admitting someone who does not meet the eligibility rules."""
    return is_manager(user)


def can_see_blocked_people(user):
    """A blocked person (bloqueo, Ley 21.719) is out of every list and file except the manager's."""
    return is_manager(user)


def can_manage_data_protection(user):
    """Block and unblock a person's data; authorise processing without consent on a legal basis."""
    return is_manager(user)


def can_manage_program(user):
    """Program settings, cohorts, users, access log."""
    return is_manager(user)


def requires_second_factor(user):
    """The manager and Django-admin accounts must give a second factor; everyone else may."""
    return user.is_staff or user.is_superuser or is_manager(user)


def can_reset_second_factor(user):
    """Clearing another person's authenticator and recovery codes (a lost phone)."""
    return is_manager(user)


def can_record_documents(user):
    return is_staff_member(user)


# --- Data protection (Ley 21.719): rights requests, access export, breaches, privacy page ---
# A request reaches the program wherever the person turns up, so anyone on the team
# registers its intake (the desk receives most of them in person). Its content tells
# what the person wants to know, correct or erase about their case: only the manager,
# who runs the register and answers, reads requests after intake. Nobody else sees the
# list, the details, the export, the recipients to tell or the breach register.


def can_register_rights_request(user):
    """Record the intake of a rights request (and, at the desk, the identity check)."""
    return is_staff_member(user)


def can_manage_rights_requests(user):
    """The register: read requests, verify identity, extend, answer, tell recipients."""
    return is_manager(user)


def can_export_personal_data(user):
    """Everything held on a person, as a PDF for them and as JSON/XLSX."""
    return is_manager(user)


def can_manage_breaches(user):
    """The security-breach register (Ley 21.719 art. 14 sexies)."""
    return is_manager(user)


def can_edit_privacy_notice(user):
    """Publish a new version of the privacy page (readable by anyone, without login)."""
    return is_manager(user)


# --- Casework (interventions) ---------------------------------------------
# Which roles write each area's section of the intervention plan and log that
# area's sessions. The manager may step in for any area (seed 000, gestor j).
AREA_PSYCHOLOGICAL = "psychological"
AREA_SOCIAL = "social"
AREA_OCCUPATIONAL = "occupational"
AREA_ROLES = {
    AREA_PSYCHOLOGICAL: frozenset({PSYCHOLOGIST, FOLLOWUP_PSYCHOLOGIST, MANAGER}),
    AREA_SOCIAL: frozenset({SOCIAL_WORKER, MANAGER}),
    AREA_OCCUPATIONAL: frozenset({OCCUPATIONAL_THERAPIST, MANAGER}),
}


def can_work_cases(user):
    """Assessments, plans, sessions, referrals: professionals and manager, never the desk."""
    return has_role(user, *PROFESSIONAL_ROLES)


def areas_of(user):
    """The plan/session areas a user writes in."""
    roles = set(user_roles(user))
    return [area for area, allowed in AREA_ROLES.items() if roles & allowed]


def can_write_area(user, area):
    return has_role(user, *AREA_ROLES.get(area, ()))


def can_read_session_content(user, session):
    """Notes, objectives worked and next steps of a session.

    Psychological sessions are clinical: psychologists (both roles), the
    manager and the session's author only. Other sessions: any professional.
    Everyone else learns only that the session took place."""
    if session.area == AREA_PSYCHOLOGICAL:
        return can_read_clinical_notes(user) or session.professional_id == user.pk
    return can_work_cases(user)


def can_approve_plans(user):
    return is_manager(user)


def can_manage_instruments(user):
    return is_manager(user)


def can_manage_agenda(user):
    """Book, move and cancel appointments; check people in (the desk runs the agenda)."""
    return is_staff_member(user)


def can_read_appointment_purpose(user):
    """The free-text reason of an appointment. The desk reads only its neutral label (kind and
    area): a reason such as «Evaluación de riesgo de reincidencia» reveals a criminal record."""
    return can_see_sensitive(user)


def can_manage_network(user):
    """The institution catalogue (catastro comunal de redes) and referrals."""
    return can_work_cases(user)


def can_manage_training(user):
    """Trade-training courses and enrolments (seed 000: the occupational therapist's component)."""
    return has_role(user, OCCUPATIONAL_THERAPIST, MANAGER)


def can_edit_assessment(user, assessment):
    """A draft assessment is finished by the professional who applies it, or by the manager."""
    return can_work_cases(user) and (assessment.professional_id == user.pk or is_manager(user))
