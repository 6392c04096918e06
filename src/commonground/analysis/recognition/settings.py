"""The groups, their labels and a forum's recognition settings (the constants of the rule)."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

# The one list of groups (a pure module, no Django): its order is every array's column order.
from commonground.stakeholders import GROUPS

# Lower-case on purpose: the labels are used inside sentences ("no voice yet from ...").
GROUP_LABELS: dict[str, str] = {
    "government": "government",
    "intergovernmental": "intergovernmental organizations",
    "internet_institution": "Internet institutions",
    "private_sector": "private sector",
    "civil_society": "civil society",
    "academic_technical": "academic & technical community",
}

N_GROUPS = len(GROUPS)

# Threshold used for a group that has no active member: it can never count towards breadth.
NEVER = np.iinfo(np.int64).max


def _as_int(name: str, value: object) -> int:
    # bool is an Integral in Python, but "min_groups: true" is a mistake, not a number.
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real | Decimal) and float(value).is_integer():
        return int(float(value))
    raise ValueError(f"{name} must be a whole number, not {value!r}")


def _as_share(name: str, value: object) -> float:
    # Decimal is not a numbers.Real, but a DecimalField setting is a fine share.
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"{name} must be a number between 0 and 1, not {value!r}")
    share = float(value)
    if not (0.0 <= share <= 1.0):  # also rejects NaN
        raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
    return share


@dataclass(frozen=True)
class RecognitionSettings:
    """A forum's recognition constants (the defaults are those of docs/recognition.md).

    Construction validates and normalizes the values (e.g. a ``Decimal`` share becomes a
    ``float``); a bad value raises ``ValueError`` with a message fit to show a steward.
    """

    min_groups: int = 3
    min_supporters: int = 2
    min_share: float = 0.05
    slots: int = 20

    def __post_init__(self) -> None:
        # object.__setattr__ because the dataclass is frozen; this only normalizes types.
        min_groups = _as_int("min_groups", self.min_groups)
        if not 1 <= min_groups <= N_GROUPS:
            raise ValueError(f"min_groups must be between 1 and {N_GROUPS}, not {min_groups}")
        min_supporters = _as_int("min_supporters", self.min_supporters)
        if min_supporters < 1:
            raise ValueError(f"min_supporters must be at least 1, not {min_supporters}")
        slots = _as_int("slots", self.slots)
        if slots < 1:
            raise ValueError(f"slots must be at least 1, not {slots}")
        object.__setattr__(self, "min_groups", min_groups)
        object.__setattr__(self, "min_supporters", min_supporters)
        object.__setattr__(self, "min_share", _as_share("min_share", self.min_share))
        object.__setattr__(self, "slots", slots)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RecognitionSettings:
        """Settings from a mapping such as a forum's JSON; missing keys take the defaults.

        Unknown keys are rejected rather than ignored, so that a misspelt setting
        ("min_group") cannot silently leave the default in force.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"recognition settings must be a mapping, not {type(data).__name__}")
        known = {"min_groups", "min_supporters", "min_share", "slots"}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(
                f"unknown recognition setting(s): {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})"
            )
        return cls(**{k: data[k] for k in known if k in data})

    def to_dict(self) -> dict[str, int | float]:
        """The settings as a JSON-ready dict."""
        return {
            "min_groups": self.min_groups,
            "min_supporters": self.min_supporters,
            "min_share": self.min_share,
            "slots": self.slots,
        }
