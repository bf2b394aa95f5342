from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from participants.models import Case, CaseStatusChange, Cohort, Consent, FamilyMember, Participant, ReceivedDocument
from participants.services import DomainError, participant_delete, participant_delete_refusal


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
    """Read-only; a superuser may delete a person registered by mistake, never one with cases
    (participants.services.participant_delete refuses with a message, not a ProtectedError)."""

    list_display = ["rut", "paternal_surname", "maternal_surname", "given_names", "commune"]
    search_fields = ["rut", "search_text"]
    list_select_related = ["commune"]
    inlines = [FamilyMemberInline]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_view(self, request, object_id, extra_context=None):
        person = self.get_object(request, object_id)
        refusal = participant_delete_refusal(person) if person is not None else None
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:participants_participant_change", args=[person.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        participant_delete(participant=obj, actor=request.user, reason=_("Eliminada desde la administración"))

    def delete_queryset(self, request, queryset):
        for person in queryset:
            try:
                participant_delete(participant=person, actor=request.user,
                                   reason=_("Eliminada desde la administración"))
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)


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
