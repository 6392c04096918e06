"""An issue's recognition reason in the reader's language.

The engine (``commonground.analysis.recognition``) gives a ``Reason`` as codes and
numbers; this module writes the sentence with gettext, one message per clause and
ngettext for every count, so each language builds its own plurals and word order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext

from commonground.analysis.recognition.reason import Reason
from commonground.core.labels import group_label
from commonground.stakeholders import GROUPS


def _group_list(groups: Sequence[str]) -> str:
    labels = [group_label(g) for g in groups]
    if len(labels) == 1:
        return labels[0]
    # Translators: between the names of stakeholder groups in a list ("A, B and C").
    separator = gettext(", ")
    return gettext("%(groups)s and %(last)s") % {
        "groups": separator.join(labels[:-1]),
        "last": labels[-1],
    }


def _closest(groups: Sequence[str], n: int) -> str:
    names = _group_list(groups)
    if len(groups) == 1:
        return ngettext(
            "%(groups)s, %(n)s more supporter", "%(groups)s, %(n)s more supporters", n
        ) % {"groups": names, "n": n}
    return ngettext(
        "%(groups)s, %(n)s more supporter each", "%(groups)s, %(n)s more supporters each", n
    ) % {"groups": names, "n": n}


def reason_clauses(reason: Reason) -> list[str]:
    """The clauses of the reason, translated, in order."""
    parts: list[str] = []
    if reason.recognized:
        parts.append(
            ngettext(
                "recognized by %(breadth)s of %(n)s group",
                "recognized by %(breadth)s of %(n)s groups",
                reason.n_groups,
            )
            % {"breadth": reason.breadth, "n": reason.n_groups}
        )
        if reason.rank > 0:
            parts.append(gettext("on the agenda at rank %(rank)s") % {"rank": reason.rank})
        else:
            parts.append(
                ngettext(
                    "recognized but below the %(slots)s agenda slot",
                    "recognized but below the %(slots)s agenda slots",
                    reason.slots,
                )
                % {"slots": reason.slots}
            )
    else:
        parts.append(
            ngettext("needs %(n)s more group", "needs %(n)s more groups", reason.more_groups)
            % {"n": reason.more_groups}
        )
        if reason.closest:
            # Translators: between two "groups, N more supporters" parts of one reason.
            inner = gettext("; ").join(_closest(groups, n) for groups, n in reason.closest)
            parts.append(gettext("closest: %(groups)s") % {"groups": inner})
    if reason.silent:
        parts.append(
            gettext("no voice yet from %(groups)s") % {"groups": _group_list(reason.silent)}
        )
    return parts


def reason_text(reason: Reason) -> str:
    """The whole reason as one sentence, capitalized, with its full stop."""
    return _reason_text(reason, get_language())


# The live agenda writes a reason for each of its issues at every render, and a support
# changes one issue's at most: the sentence is a function of the reason (codes and
# numbers) and the language (the catalogs change only with a release), so it is kept.
@lru_cache(maxsize=4096)
def _reason_text(reason: Reason, language: str | None) -> str:
    # Translators: between the clauses of a recognition reason ("needs 1 more group; ...").
    sentence = gettext("; ").join(reason_clauses(reason))
    # Translators: the full stop that ends a recognition reason.
    return capfirst(gettext("%(sentence)s.") % {"sentence": sentence})


def published_reason(entry: Mapping[str, Any], settings: Mapping[str, Any]) -> Reason:
    """The reason of an entry of a published agenda (every entry is on that agenda)."""
    groups = entry.get("groups", {})
    return Reason(
        recognized=True,
        breadth=int(entry["breadth"]),
        n_groups=len(GROUPS),
        rank=int(entry["rank"] or 0),
        slots=int(settings.get("slots", 0)),
        more_groups=0,
        closest=(),
        silent=tuple(g for g in GROUPS if groups.get(g, {}).get("active", 1) == 0),
    )
