import rules

from defis.accounts.rules import is_programme_team

rules.add_perm("privacy.export_own_data", rules.is_authenticated)
rules.add_perm("privacy.request_erasure", rules.is_authenticated)
rules.add_perm("privacy.decide_erasure", is_programme_team)
rules.add_perm("privacy.set_retention_policy", is_programme_team)
