from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from patients.models import ConsentText


@admin.register(ConsentText)
class ConsentTextAdmin(SimpleHistoryAdmin):
    """The manager publishes consent texts. A published text is never edited: a change is a new
    version, so every signature points at exactly the words the patient agreed to."""

    list_display = ["title", "kind", "version", "published_at", "in_use"]
    list_filter = ["kind"]
    fields = ["kind", "title", "body", "published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_is_current()

    @admin.display(description="In use", boolean=True)
    def in_use(self, obj):
        return obj.is_current

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
