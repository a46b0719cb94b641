"""Pages of the call for défis for the agents of an administration: each parses, calls a service and
responds. Every défi is looked up through `selectors.defis_visible_to` (not visible: 404), then checked
against the rules (visible but not allowed: 403)."""
