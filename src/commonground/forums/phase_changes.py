"""Moving a cycle between phases with care: what a step would change (for the confirmation
a steward sees first), correcting a step taken by mistake, and one entry point for both."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward, require_user
from commonground.access.phases import (
    ACTION_PHASES,
    PHASES,
    action_label,
    next_phase,
    phase_allows,
    phase_label,
)
from commonground.core.errors import Conflict, InvalidInput, WrongPhase
from commonground.forums import events
from commonground.forums.models import Cycle, Forum, PhaseChange
from commonground.forums.services import advance_cycle
from commonground.forums.signals import phase_corrected
from commonground.ledger.services import append

CLOSED = "closed"
MAX_REASON = 500


@dataclass(frozen=True)
class PhaseStep:
    """A move of the open cycle from ``before`` to ``after`` (``closed`` ends the cycle), with
    the phase-bound actions it opens and closes (their labels), for the confirmation."""

    cycle: Cycle
    before: str
    after: str
    opens: tuple[str, ...]
    closes: tuple[str, ...]

    @property
    def before_label(self) -> str:
        return phase_label(self.before)

    @property
    def after_label(self) -> str:
        return _("Closed") if self.after == CLOSED else phase_label(self.after)


def _step(cycle: Cycle, after: str) -> PhaseStep:
    def allowed(phase: str) -> set[str]:
        if phase == CLOSED:
            return set()
        return {a for a in ACTION_PHASES if phase_allows(phase, a)}

    now, then = allowed(cycle.phase), allowed(after)
    opens = tuple(action_label(a) for a in ACTION_PHASES if a in then - now)
    closes = tuple(action_label(a) for a in ACTION_PHASES if a in now - then)
    return PhaseStep(cycle, cycle.phase, after, opens, closes)


def _open_cycle(forum: Forum, *, lock: bool = False) -> Cycle:
    query = Cycle.objects.filter(forum=forum, is_open=True)
    cycle = (query.select_for_update() if lock else query).first()
    if cycle is None:
        raise WrongPhase(_("%(forum)s has no open cycle.") % {"forum": forum.name})
    return cycle


def planned_advance(forum: Forum) -> PhaseStep:
    """What moving the open cycle on would do now (a read: nothing changes)."""
    cycle = _open_cycle(forum)
    return _step(cycle, next_phase(cycle.phase) or CLOSED)


def earlier_phases(cycle: Cycle) -> list[PhaseStep]:
    """The phases the open cycle went through before its current one, latest first: where a
    correction may take it back to."""
    index = PHASES.index(cycle.phase)
    return [_step(cycle, phase) for phase in reversed(PHASES[:index])]


def correct_phase(actor: AnyUser | None, forum: Forum, to_phase: str, reason: str) -> Cycle:
    """A steward moves the open cycle back to an earlier phase of the same cycle, when it was
    moved on by mistake, giving the reason (shown in the phase history and written to the
    ledger as ``cycle.correct``). Published agendas and other records stay as they are. A
    closed cycle cannot be corrected, nor can a cycle be moved forward this way."""
    with transaction.atomic():
        if actor is not None:
            require_steward(actor, forum)  # first: others learn nothing more
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON or "\x00" in reason:
            message = _("reason: say why, in 1 to %(max)s characters.")
            raise InvalidInput(message % {"max": MAX_REASON})
        if to_phase not in PHASES:
            raise InvalidInput(
                _("to: unknown phase '%(phase)s'; the phases are %(phases)s.")
                % {"phase": str(to_phase)[:40], "phases": ", ".join(PHASES)}
            )
        cycle = _open_cycle(forum, lock=True)
        before = cycle.phase
        if PHASES.index(to_phase) >= PHASES.index(before):
            raise Conflict(
                _("The cycle is in %(phase)s; a correction goes back to an earlier phase.")
                % {"phase": phase_label(before)}
            )
        cycle.phase = to_phase
        cycle.save(update_fields=["phase"])
        user = require_user(actor) if actor is not None else None
        PhaseChange.objects.create(
            cycle=cycle, from_phase=before, to_phase=to_phase, changed_by=user, reason=reason
        )
        actor_id = user.public_id if user else None
        append(events.cycle_corrected(cycle, actor_id, before, reason))
        phase_corrected.send(
            sender=Cycle, cycle=cycle, before=before, after=to_phase, actor=actor_id, reason=reason
        )
    return cycle


def change_phase(actor: AnyUser | None, forum: Forum, to: str, reason: str = "") -> Cycle:
    """Move the open cycle to ``to``: its next phase (or ``closed`` after the follow-up) is
    a step forward; an earlier phase is a correction and needs a reason. Anything else
    changes nothing (409), so a repeated or stale request never moves the cycle twice."""
    if to != CLOSED and to not in PHASES:
        raise InvalidInput(
            _("to: unknown phase '%(phase)s'; the phases are %(phases)s.")
            % {"phase": str(to)[:40], "phases": ", ".join((*PHASES, CLOSED))}
        )
    cycle = _open_cycle(forum)
    if to != CLOSED and PHASES.index(to) < PHASES.index(cycle.phase):
        return correct_phase(actor, forum, to, reason)
    return advance_cycle(actor, forum, expected=to)
