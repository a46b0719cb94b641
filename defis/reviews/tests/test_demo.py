import pytest

from defis.accounts.tests.factories import UserFactory
from defis.programmes.tests.factories import EditionFactory
from defis.reviews.demo import load_review_demo
from defis.reviews.models import Criterion, Juror

pytestmark = pytest.mark.django_db


def test_load_review_demo_loads_the_real_criteria_and_seats_the_demo_juror_once() -> None:
    dig = EditionFactory(slug="dig-2019", name="Designers d'Intérêt Général 2019", is_historical=True)
    cux = EditionFactory(slug="commando-ux-2020", name="Commando UX 2020", is_historical=True)
    demo = EditionFactory(slug="commando-ux-2026-demo", name="Commando UX 2026 (démonstration)")
    user = UserFactory(email="jure@defis.example")
    slugs = ["dig-2019", "commando-ux-2020", "commando-ux-2026-demo"]

    first = load_review_demo(edition_slugs=slugs)
    second = load_review_demo(edition_slugs=slugs)

    assert (
        first
        == second
        == [
            "Commando UX 2020: 2 selection criteria (Commando UX saison 1)",
            "Commando UX 2026 (démonstration): 2 selection criteria (Commando UX saison 1), juror jure@defis.example",
            "Designers d'Intérêt Général 2019: 3 selection criteria (DIG 2019)",
        ]
    )
    assert list(Criterion.objects.filter(edition=dig).values_list("label", "weight")) == [
        ("Importance de l’enjeu pour l’action du ministère", 2),
        ("Potentiel d’amélioration de services publics en ligne en termes d’UX", 2),
        ("Intégration de l’accessibilité", 1),
    ]
    assert Criterion.objects.filter(edition=cux).count() == Criterion.objects.filter(edition=demo).count() == 2
    criterion = Criterion.objects.filter(edition=dig).first()
    assert criterion is not None
    assert criterion.levels[5] == (5, "Excellent")
    assert criterion.guidance.startswith(
        "Critère publié dans l’appel à défis : « importance de l’enjeu pour "
        "l’action du ministère, notamment dans le cadre de la transformation"
    )
    criterion.full_clean()
    assert list(Juror.objects.values_list("edition__slug", "user", "status")) == [
        ("commando-ux-2026-demo", user.pk, "accepted")
    ]
