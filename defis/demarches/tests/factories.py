from datetime import date
from decimal import Decimal

import factory

from defis.demarches.enums import IndicatorCode
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition


class ObservatoryEditionFactory(factory.django.DjangoModelFactory[ObservatoryEdition]):
    """By default the June 2019 edition, published on 19 June 2019."""

    class Meta:
        model = ObservatoryEdition
        django_get_or_create = ("slug",)

    slug = "2019-06"
    label = "Juin 2019"
    published_on = date(2019, 6, 19)
    source_file = "data/observatoire/editions/2019-06.csv"


class DemarcheFactory(factory.django.DjangoModelFactory[Demarche]):
    class Meta:
        model = Demarche

    observatory_id = factory.Sequence(lambda n: 10_000 + n)
    title = factory.Sequence(lambda n: f"Démarche de test {n:04d}")
    ministry_label = "Intérieur"
    administration = "Délégation à la sécurité routière"


class IndicatorSetFactory(factory.django.DjangoModelFactory[IndicatorSet]):
    """A démarche fully online in the top 250, with the values of démarche 823 in June 2019."""

    class Meta:
        model = IndicatorSet

    edition = factory.SubFactory(ObservatoryEditionFactory)
    demarche = factory.SubFactory(DemarcheFactory)
    in_top250 = True
    title = factory.SelfAttribute("demarche.title")
    ministry_label = factory.SelfAttribute("demarche.ministry_label")
    online_status = "Oui"
    online_status_code = IndicatorCode.YES
    online_weight = 100
    online_opening = "Ouvert"
    volume = 37_239_908
    digital_share_label = "65%"
    digital_share_pct = Decimal("65")
    satisfaction_label = "83%"
    satisfaction_pct = Decimal("83")
    franceconnect = "Oui"
    franceconnect_code = IndicatorCode.YES
    mobile = "Oui"
    mobile_code = IndicatorCode.YES
    support_quality = "Partiel"
    support_quality_code = IndicatorCode.PARTIAL
    availability_label = "9"
    availability_score = 9
