"""Enrolling several people at once: each through the single-person service, in its own
savepoint, so one refusal is reported without undoing the others."""

from django.db import transaction
from django.utils.translation import gettext as _, ngettext

from conecta.errors import DomainError


class EnrolmentResult:
    """What a group enrolment did: the enrolments made and, per person refused, why."""

    def __init__(self):
        self.enrolled = []
        self.refused = []  # [(case, message)]

    def summary(self):
        """One message for the page (Spanish)."""
        parts = []
        if self.enrolled:
            parts.append(ngettext("%(count)s persona inscrita.", "%(count)s personas inscritas.",
                                  len(self.enrolled)) % {"count": len(self.enrolled)})
        if self.refused:
            parts.append(_("No se inscribió a: %(people)s.") % {"people": "; ".join(
                f"{case.participant.full_name} ({message})" for case, message in self.refused)})
        return " ".join(parts)


def enrol_each(cases, enrol_one):
    """Call `enrol_one(case)` for each case in its own savepoint; a refusal leaves the others enrolled."""
    result = EnrolmentResult()
    for case in cases:
        try:
            with transaction.atomic():
                result.enrolled.append(enrol_one(case))
        except DomainError as error:
            result.refused.append((case, str(error)))
    return result
