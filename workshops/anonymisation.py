"""Which workshop and training fields hold free text about a person, for the retention
command (participants.retention): anonymised with the person, statistics kept."""

from participants.retention import register_fields


def register():
    from workshops.models import CourseEnrolment, EnrolmentEvent, WorkshopEnrolment

    # The certificate code links the row to a printed certificate with the person's name.
    register_fields(WorkshopEnrolment, path="case__participant", fields=("withdrawal_reason",),
                    values={"certificate_code": None})
    register_fields(CourseEnrolment, path="case__participant", fields=("drop_reason",), files=("certificate",))
    register_fields(EnrolmentEvent, path="enrolment__case__participant", fields=("note",))
