from django.db.models import Prefetch, QuerySet

from defis.programmes.models import Edition, Phase, Programme


def _editions_with_phases() -> QuerySet[Edition]:
    return Edition.objects.select_related("programme", "observatory_edition").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("opens_at"))
    )


def published_editions() -> QuerySet[Edition]:
    """Published editions with their programme and phases, newest first."""
    return _editions_with_phases().filter(is_published=True).order_by("-year", "name")


def programmes_with_published_editions() -> QuerySet[Programme]:
    """Programmes that have a published edition, each with those editions and their phases."""
    return (
        Programme.objects.filter(editions__is_published=True)
        .distinct()
        .prefetch_related(Prefetch("editions", queryset=published_editions(), to_attr="published_editions"))
        .order_by("name")
    )


def editions_for_team() -> QuerySet[Edition]:
    """Every edition, published or not, for the programme team."""
    return _editions_with_phases().order_by("-year", "name")
