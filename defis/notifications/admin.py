from django.contrib import admin

from defis.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ("created_at", "to", "subject", "status", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to", "subject", "key")
    readonly_fields = ("key", "template", "to", "subject", "body", "status", "sent_at", "error")
