import re

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy

from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition

# An edition without a publication date counts as older than any dated one, then the code
# decides; explicit so that SQLite and PostgreSQL (NULLs at opposite ends) agree.
NEWEST_FIRST: tuple[OrderBy, ...] = (F("published_on").desc(nulls_last=True), F("slug").desc())
OBSERVATORY_ID = re.compile(r"\d{1,9}")


def latest_edition() -> ObservatoryEdition | None:
    """The most recently published observatory edition, or None before any import."""
    return ObservatoryEdition.objects.order_by(*NEWEST_FIRST).first()


def top250_demarches(*, edition: ObservatoryEdition) -> QuerySet[Demarche]:
    """The démarches the edition lists in its top 250, read from its indicator sets."""
    return (
        Demarche.objects.filter(indicator_sets__edition=edition, indicator_sets__in_top250=True)
        .select_related("ministry")
        .order_by("title", "observatory_id")
    )


def indicator_set(*, demarche_id: int, edition: ObservatoryEdition) -> IndicatorSet | None:
    """The edition's figures for the démarche (one row at most: indicatorset_unique), or None. Ordered
    by key, not by the Meta.ordering and its two joins."""
    return IndicatorSet.objects.filter(demarche_id=demarche_id, edition=edition).order_by("pk").first()


def is_in_top250(*, demarche: Demarche, edition: ObservatoryEdition) -> bool:
    """Whether the edition lists the démarche in its top 250."""
    return IndicatorSet.objects.filter(demarche=demarche, edition=edition, in_top250=True).exists()


def demarches_for_list(*, query: str, edition: ObservatoryEdition | None) -> QuerySet[Demarche]:
    """Démarches matching every word of the query (title, administration, ministry, or the exact
    observatory id), each with `edition_indicators`: its indicator set of the edition, as a list of
    at most one."""
    demarches = Demarche.objects.select_related("ministry")
    for word in query.split():
        match = (
            Q(title__icontains=word)
            | Q(administration__icontains=word)
            | Q(ministry_label__icontains=word)
            | Q(ministry__name__icontains=word)
        )
        if OBSERVATORY_ID.fullmatch(word):
            match |= Q(observatory_id=int(word))
        demarches = demarches.filter(match)
    indicators = IndicatorSet.objects.filter(edition=edition) if edition else IndicatorSet.objects.none()
    return demarches.prefetch_related(
        Prefetch("indicator_sets", queryset=indicators, to_attr="edition_indicators")
    ).order_by("title", "observatory_id")


def indicator_history(*, demarche: Demarche) -> QuerySet[IndicatorSet]:
    """The démarche's indicator sets, one per edition that lists it, oldest edition first."""
    return (
        IndicatorSet.objects.filter(demarche=demarche)
        .select_related("edition")
        .order_by(F("edition__published_on").asc(nulls_first=True), "edition__slug")
    )
