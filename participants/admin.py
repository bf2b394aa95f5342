from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from participants.models import Case, CaseStatusChange, Cohort, Consent, FamilyMember, Participant, ReceivedDocument


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["rut", "paternal_surname", "maternal_surname", "given_names", "commune"]
    search_fields = ["rut", "search_text"]
    list_select_related = ["commune"]
    inlines = [FamilyMemberInline]


class CaseStatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "date", "actor", "reason", "recorded_at"]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    # Status moves only through the services (participants.services.case_transition).
    list_display = ["participant", "number", "status", "cohort", "applied_on"]
    list_filter = ["status", "cohort", "category"]
    list_select_related = ["participant", "cohort"]
    readonly_fields = ["status", "admitted_on", "intervention_started_on", "exited_on", "exit_type", "closed_on"]
    inlines = [CaseStatusChangeInline]


admin.site.register(Cohort, SimpleHistoryAdmin)
admin.site.register(Consent, SimpleHistoryAdmin)
admin.site.register(ReceivedDocument, SimpleHistoryAdmin)
