import factory

from defis.accounts.models import User

PASSWORD = "Un-mot-de-passe-solide-2020"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An agent, juror or candidate: a person with no role of their own. Signs in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@exemple.gouv.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(PASSWORD)


class ProgrammeTeamFactory(UserFactory):
    """A member of the programme team: reaches the team space and Django's admin."""

    email = factory.Sequence(lambda n: f"equipe{n}@numerique.gouv.fr")
    is_programme_team = True
    is_staff = True
