from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from participants.models import Case, CaseStatusChange, Cohort, Consent, FamilyMember, Participant, ReceivedDocument


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Case data changes only through the app's services (rules, timeline, access log)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
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
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["participant", "number", "status", "cohort", "applied_on"]
    list_filter = ["status", "cohort", "category"]
    list_select_related = ["participant", "cohort"]
    inlines = [CaseStatusChangeInline]


admin.site.register(Cohort, SimpleHistoryAdmin)
admin.site.register(Consent, ReadOnlyAdmin)
admin.site.register(ReceivedDocument, ReadOnlyAdmin)
