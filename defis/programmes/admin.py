from typing import cast

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from defis.accounts.models import User
from defis.programmes.models import DeadlineExtension, Edition, FaqEntry, Phase, Programme, Question


class PhaseInline(admin.TabularInline[Phase, Edition]):
    model = Phase
    extra = 0


class QuestionInline(admin.StackedInline[Question, Edition]):
    model = Question
    extra = 0


class FaqEntryInline(admin.StackedInline[FaqEntry, Edition]):
    model = FaqEntry
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("name", "acronym", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin[Edition]):
    list_display = ("name", "programme", "year", "is_published", "is_historical")
    list_filter = ("programme", "is_published", "is_historical")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PhaseInline, QuestionInline, FaqEntryInline]
    fieldsets = (
        (None, {"fields": ("programme", "name", "slug", "year", "is_published", "is_historical", "summary")}),
        (
            "Call for challenges",
            {
                "fields": (
                    "allowed_kinds",
                    "requires_demarche",
                    "requires_top250",
                    "observatory_edition",
                    "full_funding_kinds",
                    "funding_alternative",
                    "attachment_max_mb",
                )
            },
        ),
        (
            "Offer",
            {
                "fields": (
                    "presentation",
                    "offer",
                    "profiles_offered",
                    "positions_per_defi_max",
                    "defis_to_select_min",
                    "defis_to_select_max",
                    "contract_type",
                    "contract_months_min",
                    "contract_months_max",
                    "salary",
                )
            },
        ),
    )


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin[DeadlineExtension]):
    list_display = ("edition", "phase_kind", "organisation", "user", "closes_at", "granted_by")
    list_filter = ("edition", "phase_kind")
    raw_id_fields = ("organisation", "user")
    readonly_fields = ("granted_by",)

    def save_model(
        self, request: HttpRequest, obj: DeadlineExtension, form: ModelForm[DeadlineExtension], change: bool
    ) -> None:
        from defis.audit.services import record_event

        obj.granted_by = cast(User, request.user)  # the admin lets only signed-in staff in
        super().save_model(request, obj, form, change)
        record_event(
            actor=obj.granted_by,
            action="extension.granted",
            target=obj,
            data={"closes_at": obj.closes_at.isoformat(), "reason": obj.reason},
        )
