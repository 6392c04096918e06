"""Signals of the forums app, for the apps above it that act on a cycle's opening or on a
phase change."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of a phase change, once the cycle is saved and its entry
# written: receivers (such as the screening of session proposals when evaluation
# begins) change state and append their own entries in the same transaction, after the
# entry of the phase change.
# Arguments: ``cycle``, ``before``, ``after`` (None when the cycle closes), ``actor``
# (the acting user's public id, or None for an operator).
cycle_advanced = Signal()

# Sent inside the transaction of a correction (a steward moves the open cycle back to an
# earlier phase it went through), after its entry. Arguments: ``cycle``, ``before``,
# ``after`` (the earlier phase), ``actor`` (public id or None), ``reason``.
phase_corrected = Signal()

# Sent inside the transaction of a cycle's opening, after its entry: receivers prepare
# what the cycle's first writes would otherwise have to make under load (the issues app
# makes the cycle's tally shard rows). Arguments: ``cycle``.
cycle_opened = Signal()
