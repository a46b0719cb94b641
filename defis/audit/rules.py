import rules

from defis.accounts.rules import is_programme_team

# The audit log is the programme team's: nobody else reads who did what.
rules.add_perm("audit.view_event", is_programme_team)
