"""Contribution routes: signals, solutions, technical advice, comments and reports.

One module per kind (``signals``, ``solutions``, ``advice``, ``comments``) and one for the
author's changes (``changes``); ``common``, ``schemas`` and ``serialize`` are shared.

Writes answer 201 with the new record (its ``id`` first). Reading is public;
hidden contributions are left out of every list, except that their author (and
the forum's stewards) see them with ``hidden: true``. Input bodies refuse
unknown fields, so a client cannot set an author, a count or a hidden flag.
"""

from importlib import import_module

from commonground.api.contributions.common import router

# Importing a module adds its routes to ``router``, in this order (the OpenAPI document's).
for _module in ("signals", "solutions", "advice", "comments", "changes"):
    import_module(f"commonground.api.contributions.{_module}")

__all__ = ["router"]
