from django.contrib import admin
from django.http import HttpRequest

from defis.challenges.models import Answer, Attachment, CoEditor, Defi, DefiVersion


class CoEditorInline(admin.TabularInline[CoEditor, Defi]):
    model = CoEditor
    extra = 0
    fk_name = "defi"
    raw_id_fields = ("user", "invited_by")


class AnswerInline(admin.TabularInline[Answer, Defi]):
    model = Answer
    extra = 0
    readonly_fields = ("question", "value", "file")
    can_delete = False


class AttachmentInline(admin.TabularInline[Attachment, Defi]):
    """Listed only: the files are served by the permission-checking view, never by the admin."""

    model = Attachment
    extra = 0
    fields = ("name", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = False


class DefiVersionInline(admin.TabularInline[DefiVersion, Defi]):
    """Every version is kept: read only."""

    model = DefiVersion
    extra = 0
    fields = ("number", "reason", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Defi)
class DefiAdmin(admin.ModelAdmin[Defi]):
    list_display = ("title", "organisation", "edition", "status", "decision", "submitted_at", "updated_at")
    list_filter = ("edition", "status", "decision", "is_historical")
    search_fields = ("title", "organisation__name", "demarche__title")
    list_select_related = ("organisation", "edition")
    raw_id_fields = ("demarche", "created_by")
    readonly_fields = (
        "status",
        "submitted_at",
        "withdrawn_at",
        "version",
        "creation_token",
        "created_at",
        "updated_at",
    )
    inlines = [CoEditorInline, AnswerInline, AttachmentInline, DefiVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a défi starts in the agent's space (services.create_defi), which records it
