from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from defis.programmes.models import Edition, Phase, Programme

PARIS = ZoneInfo("Europe/Paris")


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = "commando-ux"
    name = "Commando UX"


class EditionFactory(factory.django.DjangoModelFactory[Edition]):
    class Meta:
        model = Edition

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"edition-{n}")
    name = factory.Sequence(lambda n: f"Commando UX {2020 + n}")
    year = 2020
    is_published = True


class PhaseFactory(factory.django.DjangoModelFactory[Phase]):
    """By default the call for défis of Commando UX 2020: 8 June 2020 – 19 June 2020 23:59, Paris."""

    class Meta:
        model = Phase

    edition = factory.SubFactory(EditionFactory)
    kind = Phase.Kind.CALL_FOR_DEFIS
    opens_at = datetime(2020, 6, 8, 0, 0, tzinfo=PARIS)
    closes_at = datetime(2020, 6, 19, 23, 59, tzinfo=PARIS)
    precision = Phase.Precision.MINUTE
