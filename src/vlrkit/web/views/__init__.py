"""Views of the web application, one module per page family; access rules in :mod:`vlrkit.web.roles`."""
