"""The ledger's vocabulary: every action, the kind of object it names and its fields.

Each app declares its actions in ``<app>/events.py``: an ``Action`` enum (``StrEnum``,
the values are the public action names) and one builder per action, a function that
turns the domain objects into the entry's ``Event``. The ``@builds`` decorator registers
the builder here with the entry's object type and field names, and checks each event it
builds against them, so an entry cannot drift from its declaration whoever writes it
(a service, the demo seeder, an import).

The ledger does not import the apps: ``discover()`` imports every installed app's
``events`` module (Django's ``autodiscover_modules``) when the registry is first read.
``python -m commonground.ledger.vocabulary_doc`` writes docs/ledger-actions.md from it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ParamSpec

from django.utils.module_loading import autodiscover_modules

from commonground.ledger.services import Event

P = ParamSpec("P")


@dataclass(frozen=True)
class ActionSpec:
    """One action of the vocabulary, as its builder declares it."""

    action: str
    object_types: tuple[str, ...]
    declared: tuple[str, ...] | Callable[[], tuple[str, ...]]
    summary: str
    app: str
    some_of: bool = False  # the entry carries a non-empty subset of the fields (changes)

    @property
    def fields(self) -> tuple[str, ...]:
        """The field names (read late when declared by a function, e.g. from settings)."""
        return self.declared() if callable(self.declared) else self.declared

    def accepts(self, names: set[str]) -> bool:
        """Whether an entry with these field names fits the declaration."""
        declared = set(self.fields)
        return bool(names) and names <= declared if self.some_of else names == declared


_REGISTRY: dict[str, ActionSpec] = {}
_discovered = False


class VocabularyError(RuntimeError):
    """An event that does not match its action's declaration (a bug, never user input)."""


def builds(
    action: StrEnum,
    *,
    object_type: str | tuple[str, ...],
    fields: tuple[str, ...] | Callable[[], tuple[str, ...]],
    some_of: bool = False,
) -> Callable[[Callable[P, Event]], Callable[P, Event]]:
    """Register the decorated function as the builder of ``action``.

    ``object_type`` is the kind of object the entry names (or the kinds, for an action
    on several); ``fields`` are the names the entry's ``fields`` carry, in order (or a
    function returning them), all of them or, with ``some_of``, those that changed. The
    first line of the builder's docstring is the action's summary in
    docs/ledger-actions.md.
    """
    types = (object_type,) if isinstance(object_type, str) else tuple(object_type)

    def register(builder: Callable[P, Event]) -> Callable[P, Event]:
        name = str(action.value)
        if name in _REGISTRY:
            raise VocabularyError(f"the action {name} has two builders")
        summary = (builder.__doc__ or "").strip().splitlines()[0] if builder.__doc__ else ""
        app = builder.__module__.removeprefix("commonground.").split(".")[0]
        spec = ActionSpec(name, types, fields, summary, app, some_of)
        _REGISTRY[name] = spec

        @functools.wraps(builder)
        def build(*args: P.args, **kwargs: P.kwargs) -> Event:
            event = builder(*args, **kwargs)
            if event.action != name or event.object_type not in types:
                raise VocabularyError(f"the builder of {name} made {event.action}")
            if not spec.accepts(set(event.fields or {})):
                raise VocabularyError(
                    f"{name} declares {sorted(spec.fields)}, built {sorted(event.fields or {})}"
                )
            return event

        return build

    return register


def event(
    action: StrEnum,
    object_type: str,
    object_id: str | int,
    *,
    actor: str | None = None,
    forum: str = "",
    fields: dict[str, Any] | None = None,
    time: Any = None,
) -> Event:
    """The ``Event`` of ``action`` (its public name as a plain string), for builders."""
    return Event(
        str(action.value),
        object_type,
        object_id,
        actor=actor,
        forum=forum,
        fields=fields or {},
        time=time,
    )


def text_digests(**texts: str | Sequence[str]) -> dict[str, str]:
    """Ledger fields that commit to free text by digest: ``name`` becomes ``name_sha256``.

    The value is the lowercase hex SHA-256 of the text's UTF-8 bytes; a list of texts
    (actors, evidence links) is first written as a compact JSON array
    (``ensure_ascii=False``, separators ``,`` and ``:``). The ledger is public and
    permanent, while moderation must be able to withdraw a contribution's text: a digest
    lets anyone holding the text check it against the ledger without the ledger
    publishing it (docs/ledger.md, "Free text by digest").
    """
    fields: dict[str, str] = {}
    for name, value in texts.items():
        if not isinstance(value, str):
            value = json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
        fields[f"{name}_sha256"] = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return fields


def discover() -> None:
    """Import every installed app's ``events`` module, once."""
    global _discovered
    if not _discovered:
        autodiscover_modules("events")
        _discovered = True


def registry() -> dict[str, ActionSpec]:
    """Every registered action by name, sorted by name."""
    discover()
    return dict(sorted(_REGISTRY.items()))
