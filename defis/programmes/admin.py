from django.contrib import admin

from defis.programmes.models import Edition, Phase, Programme


class PhaseInline(admin.TabularInline[Phase, Edition]):
    model = Phase
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
    inlines = [PhaseInline]
