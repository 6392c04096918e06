"""Model instances from the rows of hand-written statements, as the ORM builds them.

A read that runs on every render of a busy page (docs/performance.md, issue 19) may be one
hand-written statement joining what the ORM would read in several, or build with more CPU
than the database spends answering. Such a statement selects every concrete column of
each model it returns (``columns``), in the model's order, and builds each instance with
``instance``: the field's database converters applied (as the ORM's compiler does), then
``Model.from_db``, so the instance is the one the ORM would have built from that row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

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
    connection = connections[using]
    names: list[str] = []
    converting: list[tuple[int, Any, Any]] = []
    for index, field in enumerate(model._meta.concrete_fields):
        names.append(field.attname)
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + field.get_db_converters(
            connection
        )
        if converters:
            converting.append((index, converters, expression))
    return names, converting


def instance(model: type[M], values: Sequence[Any], using: str = "default") -> M:
    """The instance of ``model`` the ORM builds from ``values`` (its ``columns``' values)."""
    names, converting = _loading(model, using)
    row = list(values)
    connection = connections[using]
    for index, converters, expression in converting:
        for converter in converters:
            row[index] = converter(row[index], expression, connection)
    return model.from_db(using, names, row)


def cache_related(owner: Model, name: str, related: Model | None) -> None:
    """Keep ``related`` as ``owner``'s ``name`` (a forward foreign key), as
    ``select_related`` does: reading ``owner.<name>`` then runs no query."""
    owner._meta.get_field(name).set_cached_value(owner, related)  # type: ignore[union-attr]
