import rules

from defis.accounts.models import User


@rules.predicate
def is_programme_team(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_programme_team)


rules.add_perm("accounts.access_team_space", is_programme_team)
