"""Every schema in the OpenAPI document has a name of its own.

django-ninja names a component after its class: two classes of the same name in different
modules (a comment's report and a session's report) become one component, and the document
then describes one route's body with the other's fields.
"""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from commonground.api.router import api


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schema_classes_share_a_component_name() -> None:
    api.get_openapi_schema()  # imports every router module
    modules_by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("commonground."):
            modules_by_name[cls.__name__].add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in modules_by_name.items() if len(mods) > 1}
    assert not shared, f"schema names defined in more than one module: {shared}"
