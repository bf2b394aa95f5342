"""Enrolling several people at once: each through the single-person service, in its own
savepoint, so one refusal is reported without undoing the others."""

from django.db import transaction
from django.utils.translation import gettext as _

from conecta.errors import DomainError


class EnrolmentResult:
    """What a group enrolment did: the enrolments made and, per person refused, why."""

    def __init__(self):
        self.enrolled = []
        self.refused = []  # [(case, message)]

    def summary(self, singular=None, plural=None):
        """One message for the page (Spanish); `singular`/`plural` name what was done, with %(count)s."""
        parts = []
        if self.enrolled:
            singular = singular or _("%(count)s persona inscrita.")
            plural = plural or _("%(count)s personas inscritas.")
            parts.append((singular if len(self.enrolled) == 1 else plural) % {"count": len(self.enrolled)})
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
