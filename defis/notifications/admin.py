from django.contrib import admin

from defis.notifications.models import MessageTemplate, OutboxMessage, ScheduledReminder


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ("created_at", "to", "subject", "status", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to", "subject", "key")
    readonly_fields = ("key", "template", "to", "subject", "body", "status", "sent_at", "error")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin[MessageTemplate]):
    list_display = ("edition", "kind", "language", "subject")
    list_filter = ("kind", "language")


@admin.register(ScheduledReminder)
class ScheduledReminderAdmin(admin.ModelAdmin[ScheduledReminder]):
    list_display = ("due_at", "target_type", "target_id", "days_before", "status", "messages_count")
    list_filter = ("status",)
    readonly_fields = (
        "source",
        "target_type",
        "target_id",
        "deadline",
        "days_before",
        "due_at",
        "status",
        "ran_at",
        "messages_count",
    )
