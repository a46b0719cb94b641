"""The admin shows the selection for support; changes go through the team's pages, which audit them.
Only the configuration (criteria and jury settings) is editable here."""

from django.contrib import admin
from django.http import HttpRequest

from defis.reviews.models import Assignment, ConflictOfInterest, Criterion, DecisionNotice, Juror, JurySettings


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin[Criterion]):
    list_display = ("label", "edition", "position", "weight", "scale_min", "scale_max")
    list_filter = ("edition",)


@admin.register(JurySettings)
class JurySettingsAdmin(admin.ModelAdmin[JurySettings]):
    list_display = ("edition", "reviewers_per_defi", "scores_visibility", "positions_budget")


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # shared by several models
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(Juror)
class JurorAdmin(ReadOnlyAdmin):
    list_display = ("email", "edition", "status", "organisation", "responded_at")
    list_filter = ("edition", "status")
    exclude = ("token",)


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ("juror", "organisation", "defi", "source")
    list_filter = ("source",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("juror", "defi", "source")
    list_filter = ("source",)


@admin.register(DecisionNotice)
class DecisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ("defi", "decision", "queued_at")
