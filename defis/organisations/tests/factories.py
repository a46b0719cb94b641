import factory

from defis.accounts.tests.factories import UserFactory
from defis.organisations.models import Membership, Ministry, Organisation


class MinistryFactory(factory.django.DjangoModelFactory[Ministry]):
    class Meta:
        model = Ministry
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"ministere-{n}")
    name = factory.Sequence(lambda n: f"Ministère n° {n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    """A directorate of a ministry, of established kind; pass `kind=Organisation.Kind.UNKNOWN` for
    one the team still has to check."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"direction-{n}")
    name = factory.Sequence(lambda n: f"Direction n° {n}")
    kind = Organisation.Kind.CENTRAL_ADMINISTRATION

    @factory.post_generation
    def parent_ministries(self, create: bool, extracted: list[Ministry] | None, **kwargs: object) -> None:
        if create and extracted:
            self.parent_ministries.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    """A pending request of a new person to join a new organisation."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
