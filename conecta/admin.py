from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conecta.models import AccessLog, Commune, Institution, ProgramSettings, Region


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "subject_label", "sections"]
    search_fields = ["subject_label", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Region)
admin.site.register(Institution, SimpleHistoryAdmin)
admin.site.register(ProgramSettings, SimpleHistoryAdmin)
