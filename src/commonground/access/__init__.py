"""Who may do what, and the lookups every surface shares: the layer below the domain apps.

The access layer answers two questions for every app, in one place:

- **Which object?** ``lookup`` holds one getter per kind (forum, cycle, issue, each kind of
  contribution, conversation, statement, participant, membership) that returns the object
  or raises ``NotFound`` the same way for the web pages, the API and the CLI.
- **May this member do it here?** ``rules`` holds the ``can_*`` predicates (pure, no
  writes) and the ``require_*`` checks the services call, which refuse with ``NotAllowed``
  (403) or ``WrongPhase`` (409) through the same predicates. ``members`` finds the acting
  member (401 anonymous, 403 outsider or suspended); ``phases`` is the table of what each
  phase of a cycle allows.

Templates read the predicates through the ``access`` template library (``{% load access %}``)
or flags a view computed with them; API serializers call them directly. Nothing above
re-derives a rule. This package imports only ``core`` and the models of the apps
(``pyproject.toml``'s import contracts say so); the package itself imports nothing on load,
so that ``forums.models`` can import ``access.phases``.
"""
