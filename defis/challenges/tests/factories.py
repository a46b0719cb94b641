import factory

from defis.accounts.models import User
from defis.accounts.tests.factories import UserFactory
from defis.challenges.models import CoEditor, Defi
from defis.demarches.tests.factories import ObservatoryEditionFactory
from defis.organisations.models import Membership, Organisation
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory
from defis.programmes.models import Edition
from defis.programmes.tests.factories import EditionFactory, PhaseFactory


class DefiFactory(factory.django.DjangoModelFactory[Defi]):
    """A draft défi with a title only; `DefiFactory(complete=True)` fills every field the call asks for
    (not the démarche, nor the edition's own questions)."""

    class Meta:
        model = Defi

    edition = factory.SubFactory(EditionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Défi n° {n}")

    class Params:
        complete = factory.Trait(
            summary="Simplifier la demande pour les usagers.",
            problem="Les usagers abandonnent la démarche en cours de route.",
            expected_impact="Moitié moins d'abandons.",
            sponsor="Claire Dupont, directrice",
            team="Une cheffe de produit et deux agents de l'accueil.",
            accessibility_plan="Audit RGAA puis plan pluriannuel.",
            profiles=["designer"],
            positions_count=1,
        )


class CoEditorFactory(factory.django.DjangoModelFactory[CoEditor]):
    """A person who may edit the défi; give them an approved membership of its organisation for them
    to act on it."""

    class Meta:
        model = CoEditor

    defi = factory.SubFactory(DefiFactory)
    user = factory.SubFactory(UserFactory)


def approved_member(organisation: Organisation, **kwargs: object) -> User:
    """A person the organisation has accepted as a member: the only kind who may act for it."""
    user: User = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation, status=Membership.Status.APPROVED)
    return user


def commando_ux_2020(**kwargs: object) -> Edition:
    """An edition with the rules of Commando UX 2020: State administrations only, a démarche of the top 250
    of the June 2019 observatory, 100 % funded; its call runs from 8 June 2020 to 19 June 2020 23:59, Paris."""
    state_kinds = sorted(Organisation.STATE_KINDS)
    rules: dict[str, object] = {
        "name": "Commando UX 2020",
        "slug": "commando-ux-2020",
        "observatory_edition": ObservatoryEditionFactory(),
        "allowed_kinds": state_kinds,
        "requires_demarche": True,
        "requires_top250": True,
        "full_funding_kinds": state_kinds,
        "profiles_offered": ["designer", "ux_engineer", "developer"],
        "positions_per_defi_max": 3,
        **kwargs,
    }
    edition: Edition = EditionFactory(**rules)
    PhaseFactory(edition=edition)
    return edition
