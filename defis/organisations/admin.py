from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from defis.common.cache import invalidate_public_pages_on_commit
from defis.organisations.models import Membership, Ministry, MinistryLabel, Organisation


@admin.register(Ministry)
class MinistryAdmin(admin.ModelAdmin[Ministry]):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "labels__label")

    # The démarches catalogue shows a ministry's name where a démarche has no label of its own.
    def save_model(self, request: HttpRequest, obj: Ministry, form: ModelForm[Ministry], change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_public_pages_on_commit("demarches")

    def delete_model(self, request: HttpRequest, obj: Ministry) -> None:
        super().delete_model(request, obj)
        invalidate_public_pages_on_commit("demarches")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Ministry]) -> None:
        super().delete_queryset(request, queryset)
        invalidate_public_pages_on_commit("demarches")


@admin.register(MinistryLabel)
class MinistryLabelAdmin(admin.ModelAdmin[MinistryLabel]):
    list_display = ("label", "ministry")
    list_select_related = ("ministry",)
    search_fields = ("label", "ministry__name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "acronym", "kind", "siret")
    list_filter = ("kind",)
    search_fields = ("name", "acronym", "siret", "slug")
    filter_horizontal = ("parent_ministries",)
    # The kind is set through its service, on the organisation's page, so that it is audited.
    readonly_fields = ("kind", "kind_basis")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Read-only: requests are made and decided through their services, which audit and notify."""

    list_display = ("user", "organisation", "role", "status", "decided_at")
    list_filter = ("status", "role")
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "organisation__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        return False
