"""The banner every page about a person shows when their data may not be processed."""

from django.template.loader import render_to_string

from conecta import permissions
from conecta.notices import register_notice
from participants.models import Participant
from participants.selectors import ProcessingRestriction, processing_block


def _person_in(context):
    person = context.get("person")
    if isinstance(person, Participant):
        return person
    case = context.get("case")
    participant = getattr(case, "participant", None) if case is not None else None
    return participant if isinstance(participant, Participant) else None


@register_notice
def processing_banner(context):
    person = _person_in(context)
    request = context.get("request")
    if person is None or request is None or not person.pk:
        return ""
    restriction = context.get("restriction")
    if not isinstance(restriction, ProcessingRestriction):
        restriction = processing_block(person)
    if restriction is None:
        return ""
    user = request.user
    return render_to_string("participants/_processing_banner.html", {
        "restriction": restriction, "person": person,
        "can_manage": permissions.can_manage_data_protection(user),
        "can_record_consent": permissions.can_see_sensitive(user),
    }, request=request)
