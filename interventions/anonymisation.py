"""Which casework fields hold identity or free text, for the retention command
(participants.retention): anonymised with the person, statistics kept."""

from participants.retention import keep_fields, register_fields


def register():
    from interventions.models import (
        Answer, Appointment, Assessment, Plan, PlanAction, PlanObjective, PlanReview, PlanSection, Referral,
        ReferralEvent, Session,
    )

    register_fields(Session, path="case__participant", fields=("notes", "next_steps"))
    register_fields(Appointment, path="case__participant", fields=("purpose", "cancel_reason"))
    register_fields(Assessment, path="case__participant", fields=("strengths", "conclusions", "override_reason"))
    register_fields(Answer, path="assessment__case__participant", fields=("text",))
    register_fields(Plan, path="case__participant", fields=("agreement_notes", "approval_notes"))
    register_fields(PlanSection, path="plan__case__participant", fields=("needs_summary",))
    register_fields(PlanObjective, path="section__plan__case__participant", fields=("text",))
    register_fields(PlanAction, path="objective__section__plan__case__participant", fields=("description",))
    register_fields(PlanReview, path="section__plan__case__participant", fields=("progress",))
    register_fields(Referral, path="case__participant", fields=("detail", "outcome"))
    register_fields(ReferralEvent, path="referral__case__participant", fields=("note",))
    # Labels computed from the instrument's cut-offs ("Riesgo alto"): results, not words about the person.
    keep_fields("interventions.Assessment", {"computed_label", "override_label"})  # names of result levels
    keep_fields("interventions.DomainResult", {"label"})
