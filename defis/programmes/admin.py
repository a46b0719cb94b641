from typing import Any, TypeVar, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from defis.accounts.models import User
from defis.common.cache import invalidate_public_pages_on_commit
from defis.programmes.models import DeadlineExtension, Edition, FaqEntry, Phase, Programme, Question

ShownModel = TypeVar("ShownModel", bound=Model)


class PublicPagesAdmin(admin.ModelAdmin[ShownModel]):
    """Saves and deletions refresh, on commit, the public pages that showed or show the object.

    The admin saves the inlines (phases, FAQ) after `save_model` in the same transaction: the
    pages are invalidated once it commits, after them too."""

    def public_scopes(self, obj: ShownModel) -> set[str]:
        """The scopes (`defis.common.cache.PUBLIC_PAGES`) of the pages that show the object."""
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: ShownModel, form: ModelForm[ShownModel], change: bool) -> None:
        # As stored before this save: a new code (slug) leaves the page under the old one stale too.
        before = self.public_scopes(self.model._default_manager.get(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        invalidate_public_pages_on_commit(*sorted(before | self.public_scopes(obj)))

    def delete_model(self, request: HttpRequest, obj: ShownModel) -> None:
        scopes = self.public_scopes(obj)
        super().delete_model(request, obj)
        invalidate_public_pages_on_commit(*sorted(scopes))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        scopes = {scope for obj in queryset for scope in self.public_scopes(obj)}
        super().delete_queryset(request, queryset)
        invalidate_public_pages_on_commit(*sorted(scopes))


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
class ProgrammeAdmin(PublicPagesAdmin[Programme]):
    list_display = ("name", "acronym", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def public_scopes(self, obj: Programme) -> set[str]:
        return {"editions"}  # the home page names programmes; an edition's page does not


@admin.register(Edition)
class EditionAdmin(PublicPagesAdmin[Edition]):
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

    def public_scopes(self, obj: Edition) -> set[str]:
        return {"editions", f"edition:{obj.slug}"}


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
