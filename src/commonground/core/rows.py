"""Model instances from the rows of hand-written statements, as the ORM builds them.

A read that runs on every render of a busy page (docs/performance.md, issue 19) may be one
hand-written statement joining what the ORM would read in several, or build with more CPU
than the database spends answering. Such a statement selects every concrete column of
each model it returns (``columns``), in the model's order, and builds each instance with
``instance``: the field's database converters applied (as the ORM's compiler does), then
``Model.from_db``, so the instance is the one the ORM would have built from that row.

Building is most of such a read's CPU when it returns many rows (an issue's comments, each
with its author's membership and account: three instances a row). ``Model.__init__`` sends
the ``pre_init`` and ``post_init`` signals and sets each field through its descriptor;
for a model with no receiver of either signal, no ``__init__`` of its own and only
Django's plain field descriptors, that comes to setting the instance's ``__dict__`` and
its ``_state``, which ``instance`` then does directly (``_plain`` decides, once per
model); any other model is built through ``from_db``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=Model)
_Converter = Callable[[Any, Any, Any], Any]


def columns(model: type[Model], alias: str, using: str = "default") -> str:
    """Every concrete column of ``model`` under the table alias ``alias``, in its order."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{alias}.{quote(str(f.column))}" for f in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    """How many columns ``columns`` selects for ``model``."""
    return len(model._meta.concrete_fields)


@cache
def _loading(model: type[Model], using: str) -> tuple[list[str], list[tuple[int, Any, Any]]]:
    """The attribute names of the model's concrete fields and, per field that has any, its
    converters with the column expression they are given (as the compiler's)."""
    names: list[str] = []
    converting: list[tuple[int, Any, Any]] = []
    for index, field in enumerate(model._meta.concrete_fields):
        names.append(field.attname)
        expression, converters = _converters(model, field.name, using)
        if converters:
            converting.append((index, converters, expression))
    return names, converting


@cache
def _converters(model: type[Model], name: str, using: str) -> tuple[Any, list[_Converter]]:
    """A field's column expression and its database converters (as the compiler's)."""
    connection = connections[using]
    field = model._meta.get_field(name)
    expression = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
    converters = connection.ops.get_db_converters(expression) + field.get_db_converters(  # type: ignore[union-attr]
        connection
    )
    return expression, converters


def converted(model: type[Model], name: str, value: Any, using: str = "default") -> Any:
    """One column's value as the ORM gives it for ``model``'s field ``name`` (e.g. a time
    that SQLite returns as text, made an aware datetime)."""
    expression, converters = _converters(model, name, using)
    connection = connections[using]
    for converter in converters:
        value = converter(value, expression, connection)
    return value


@cache
def _plain(model: type[Model]) -> bool:
    """Whether ``Model.from_db`` would only fill the instance's ``__dict__`` and ``_state``:
    the model builds through Django's own ``__init__`` and ``from_db``, no receiver of
    ``pre_init`` or ``post_init`` listens to it, and each concrete field's attribute is
    one of Django's plain descriptors (a foreign key's only drops a cached related object,
    which a new instance has not)."""
    if model.__init__ is not Model.__init__:
        return False
    if model.from_db.__func__ is not Model.from_db.__func__:  # type: ignore[attr-defined]
        return False
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return False
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return all(
        type(inspect.getattr_static(model, field.attname, None)) in plain
        for field in model._meta.concrete_fields
    )


def instance(model: type[M], values: Sequence[Any], using: str = "default") -> M:
    """The instance of ``model`` the ORM builds from ``values`` (its ``columns``' values)."""
    names, converting = _loading(model, using)
    row = list(values)
    connection = connections[using]
    for index, converters, expression in converting:
        for converter in converters:
            row[index] = converter(row[index], expression, connection)
    if not _plain(model):
        return model.from_db(using, names, row)
    built = model.__new__(model)
    state = built._state = ModelState()
    state.adding = False
    state.db = using
    built.__dict__.update(zip(names, row, strict=True))
    return built


@cache
def _unsaved_plan(model: type[Model]) -> tuple[tuple[str, Any, Any], ...]:
    """Per concrete field of ``model``: its attribute name, its default when that is a
    value (what ``Field.get_default`` returns, the empty string of a text field without
    one included) and, when the default is a callable, the callable (called per instance,
    as ``Model.__init__`` does)."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            plan.append((field.attname, None, field.default))
        else:
            plan.append((field.attname, field.get_default(), None))
    return tuple(plan)


def unsaved(model: type[M], **values: Any) -> M:
    """``model(**values)``, an instance not yet saved, for ``values`` given by attribute
    name (``forum_id``, not ``forum``): on a plain model (``_plain``) its ``__dict__`` and
    ``_state`` filled directly, every field not given set to its default as
    ``Model.__init__`` sets it, without the signals and the descriptors (a write's hot path
    builds a few such objects per request: about 0.03 ms each through ``__init__``)."""
    plan = _unsaved_plan(model)
    if not _plain(model) or len(model._meta.fields) != len(plan):
        return model(**values)
    built = model.__new__(model)
    built._state = ModelState()
    fields = built.__dict__
    given = 0
    for name, default, make in plan:
        if name in values:
            fields[name] = values[name]
            given += 1
        else:
            fields[name] = default if make is None else make()
    if given != len(values):  # a name that is no field's: as Model.__init__ refuses it
        return model(**values)
    return built


def cache_related(owner: Model, name: str, related: Model | None) -> None:
    """Keep ``related`` as ``owner``'s ``name`` (a forward foreign key), as
    ``select_related`` does: reading ``owner.<name>`` then runs no query."""
    owner._meta.get_field(name).set_cached_value(owner, related)  # type: ignore[union-attr]
