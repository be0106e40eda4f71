from django.contrib import admin

from audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, in the admin as everywhere."""

    list_display = ("at", "user", "role", "kind", "object_id", "patient_id", "address")
    list_filter = ("kind", "role")
    date_hierarchy = "at"
    list_select_related = ("user",)
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
