"""The programme team's workspace: create an edition from another, configure it, publish it, watch it.

Thin views: each parses a form, calls a service or a selector, and renders or redirects. Every URL
needs `accounts.access_team_space`, checked before any lookup so that a 403 tells nothing.
"""
