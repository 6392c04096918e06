"""Demo content for Common Ground, read from the TOML files in ``demo/data/``.

Nothing here imports Django, so the content can be read, tested and reused on its own. A seeder
(``commonground demo``) turns it into database rows. Everything is invented for the demo: the
organisations are fictional, the people are random combinations of common names, and the
issues, signals, solutions, advice and comments are plausible examples written for this
project, not quotations of any real forum's records.

The files name each other's records by short authoring keys (an issue's or a solution's
``key``); this module checks every record's fields and resolves those keys into plain integer
indexes: ``SIGNALS[i]["issue"]`` indexes ``ISSUES``, ``ADVICE[i]["solution"]`` indexes
``SOLUTIONS``, ``COMMENTS[i]["parent"]`` indexes ``COMMENTS`` and ``CONVERSATION["issue"]``
indexes ``ISSUES``. :func:`issue_index` and :func:`solution_index` look a key up.
docs/architecture.md describes the files.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final, Literal, TypedDict, cast

DATA_DIR: Final = Path(__file__).with_name("data")

# ---------------------------------------------------------------------------------------------
# Vocabularies (the code's words, which the data files must use)
# ---------------------------------------------------------------------------------------------

StakeholderGroup = Literal[
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
]
Region = Literal["african", "asia_pacific", "eastern_european", "grulac", "weog"]
ForumLevel = Literal["global", "regional", "national", "youth"]
Language = Literal["en", "fr", "es"]
Priority = Literal["low", "medium", "high", "urgent"]
Feasibility = Literal["feasible", "feasible_with_conditions", "not_feasible", "unclear"]
Stance = Literal["in_favour", "neutral", "against"]
Camp = Literal["a", "b", "both"]

STAKEHOLDER_GROUPS: Final[tuple[StakeholderGroup, ...]] = (
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
)
REGIONS: Final[tuple[Region, ...]] = (
    "african",
    "asia_pacific",
    "eastern_european",
    "grulac",
    "weog",
)
FORUM_LEVELS: Final[tuple[ForumLevel, ...]] = ("global", "regional", "national", "youth")
LANGUAGES: Final[tuple[Language, ...]] = ("en", "fr", "es")
PRIORITIES: Final[tuple[Priority, ...]] = ("low", "medium", "high", "urgent")
FEASIBILITIES: Final[tuple[Feasibility, ...]] = (
    "feasible",
    "feasible_with_conditions",
    "not_feasible",
    "unclear",
)
STANCES: Final[tuple[Stance, ...]] = ("in_favour", "neutral", "against")
CAMPS: Final[tuple[Camp, ...]] = ("a", "b", "both")

#: Jurisdictions that are intergovernmental organizations, not countries. "AU" here is the
#: African Union (not Australia); a signal's ``group`` follows from its jurisdiction.
IGO_JURISDICTIONS: Final[tuple[str, ...]] = ("AU", "EU", "ITU", "OECD", "UNESCO")

# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


class ForumSeed(TypedDict):
    """A standing forum; ``parent`` is another forum's slug (``None`` only for the root)."""

    slug: str
    name: str
    level: ForumLevel
    parent: str | None
    region: Region | None
    country: str | None  # ISO 3166-1 alpha-2, national forums only
    lang: Language  # main working language of the forum
    description: str


class IssueSeed(TypedDict):
    """An issue of concern raised in ``forum``; ``appeal`` drives the seeded supports."""

    key: str
    forum: str
    lang: Language
    title: str
    description: str  # Markdown
    topics: tuple[str, ...]  # 1-3 entries of TOPICS
    sdgs: tuple[int, ...]  # 0-3 SDG numbers, 1..17
    appeal: dict[StakeholderGroup, float]  # every group, 0..1


class SignalSeed(TypedDict):
    """A government's or IGO's formal signal of concern on ``ISSUES[issue]``."""

    issue: int
    jurisdiction: str  # ISO 3166-1 alpha-2 code, or an IGO acronym such as "ITU"
    group: StakeholderGroup  # "government" or "intergovernmental"
    priority: Priority
    statement: str


class SolutionSeed(TypedDict):
    """An envisaged solution to ``ISSUES[issue]``."""

    key: str
    issue: int
    title: str
    description: str
    actors: tuple[str, ...]  # who would have to act


class AdviceSeed(TypedDict):
    """A technical advisor's assessment of ``SOLUTIONS[solution]``."""

    solution: int
    feasibility: Feasibility
    conditions: str
    benefits: str
    risks: str
    affected_groups: tuple[StakeholderGroup, ...]
    evidence: tuple[str, ...]  # 0-2 URLs


class CommentSeed(TypedDict):
    """A comment on ``ISSUES[issue]``; a reply names its ``parent`` in ``COMMENTS``."""

    issue: int
    group: StakeholderGroup  # the hat the commenter wears
    stance: Stance | None
    body: str
    parent: int | None


class StatementSeed(TypedDict):
    """A Polis-style statement; ``camp`` says which opinion camp tends to agree with it."""

    text: str
    camp: Camp


class ConversationSeed(TypedDict):
    """A conversation on ``ISSUES[issue]`` whose statements split voters into two camps."""

    issue: int
    topic: str
    description: str
    camps: dict[Camp, str]  # "a" and "b" (and "both") to a short description
    statements: tuple[StatementSeed, ...]


# ---------------------------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------------------------


class ContentError(ValueError):
    """A data file does not have the shape this module expects."""


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open("rb") as f:
        return tomllib.load(f)


def _record(
    where: str, raw: Mapping[str, Any], required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """``raw`` with every optional key present (``None`` when absent) and arrays as tuples.

    TOML has no null, so a field that does not apply is left out of the file; an unknown key
    is a typo and fails loudly rather than being ignored.
    """
    required, optional = tuple(required), tuple(optional)
    missing = [k for k in required if k not in raw]
    unknown = [k for k in raw if k not in required and k not in optional]
    if missing or unknown:
        raise ContentError(f"{where}: missing {missing}, unknown {unknown}")
    return {
        k: tuple(v) if isinstance(v, list) else v
        for k, v in ((k, raw.get(k)) for k in (*required, *optional))
    }


def _in(where: str, value: object, allowed: Iterable[object]) -> None:
    if value not in tuple(allowed):
        raise ContentError(f"{where}: {value!r} is not one of {tuple(allowed)}")


def _load_forums() -> tuple[ForumSeed, ...]:
    forums = []
    for n, raw in enumerate(_read("forums.toml")["forum"]):
        where = f"forums.toml forum {n}"
        f = _record(
            where,
            raw,
            ("slug", "name", "level", "lang", "description"),
            ("parent", "region", "country"),
        )
        _in(where, f["level"], FORUM_LEVELS)
        _in(where, f["lang"], LANGUAGES)
        forums.append(cast(ForumSeed, {k: f[k] for k in ForumSeed.__annotations__}))
    return tuple(forums)


def _load_issues() -> tuple[IssueSeed, ...]:
    """Global issues first, then regional, national and youth: the seeded order."""
    issues = []
    for level in FORUM_LEVELS:
        for n, raw in enumerate(_read(f"issues-{level}.toml")["issue"]):
            where = f"issues-{level}.toml issue {n}"
            i = _record(
                where,
                raw,
                ("key", "forum", "lang", "title", "topics", "appeal", "description"),
                ("sdgs",),
            )
            i["sdgs"] = i["sdgs"] or ()
            _in(where, i["lang"], LANGUAGES)
            for group in i["appeal"]:
                _in(where, group, STAKEHOLDER_GROUPS)
            i["appeal"] = {g: float(v) for g, v in i["appeal"].items()}
            issues.append(cast(IssueSeed, {k: i[k] for k in IssueSeed.__annotations__}))
    return tuple(issues)


def _index(records: Iterable[Mapping[str, Any]], kind: str) -> dict[str, int]:
    index: dict[str, int] = {}
    for n, record in enumerate(records):
        if record["key"] in index:
            raise ContentError(f"two {kind}s have the key {record['key']!r}")
        index[record["key"]] = n
    return index


def _lookup(index: Mapping[str, int], key: str, where: str) -> int:
    try:
        return index[key]
    except KeyError:
        raise ContentError(f"{where}: no record has the key {key!r}") from None


def _load_signals(issues: Mapping[str, int]) -> tuple[SignalSeed, ...]:
    signals = []
    for n, raw in enumerate(_read("signals.toml")["signal"]):
        where = f"signals.toml signal {n}"
        s = _record(where, raw, ("issue", "jurisdiction", "priority", "statement"))
        _in(where, s["priority"], PRIORITIES)
        is_igo = s["jurisdiction"] in IGO_JURISDICTIONS
        signals.append(
            SignalSeed(
                issue=_lookup(issues, s["issue"], where),
                jurisdiction=s["jurisdiction"],
                group="intergovernmental" if is_igo else "government",
                priority=s["priority"],
                statement=s["statement"],
            )
        )
    return tuple(signals)


def _load_solutions(issues: Mapping[str, int]) -> tuple[SolutionSeed, ...]:
    solutions = []
    for n, raw in enumerate(_read("solutions.toml")["solution"]):
        where = f"solutions.toml solution {n}"
        s = _record(where, raw, ("key", "issue", "title", "actors", "description"))
        s["issue"] = _lookup(issues, s["issue"], where)
        solutions.append(cast(SolutionSeed, {k: s[k] for k in SolutionSeed.__annotations__}))
    return tuple(solutions)


def _load_advice(solutions: Mapping[str, int]) -> tuple[AdviceSeed, ...]:
    advice = []
    for n, raw in enumerate(_read("advice.toml")["advice"]):
        where = f"advice.toml advice {n}"
        a = _record(
            where,
            raw,
            ("solution", "feasibility", "affected_groups", "conditions", "benefits", "risks"),
            ("evidence",),
        )
        _in(where, a["feasibility"], FEASIBILITIES)
        a["solution"] = _lookup(solutions, a["solution"], where)
        a["evidence"] = a["evidence"] or ()
        advice.append(cast(AdviceSeed, {k: a[k] for k in AdviceSeed.__annotations__}))
    return tuple(advice)


def _load_comments(issues: Mapping[str, int]) -> tuple[CommentSeed, ...]:
    """Comments in thread order: each top-level comment, then its replies."""
    comments: list[CommentSeed] = []
    for n, raw in enumerate(_read("comments.toml")["comment"]):
        where = f"comments.toml comment {n}"
        top = _record(where, raw, ("issue", "group", "body"), ("stance", "reply"))
        issue = _lookup(issues, top["issue"], where)
        parent = len(comments)
        for m, c in enumerate((top, *(top["reply"] or ()))):
            here = where if m == 0 else f"{where} reply {m}"
            if m:
                c = _record(here, c, ("group", "body"), ("stance",))
            _in(here, c["group"], STAKEHOLDER_GROUPS)
            _in(here, c["stance"], (*STANCES, None))
            comments.append(
                CommentSeed(
                    issue=issue,
                    group=c["group"],
                    stance=c["stance"],
                    body=c["body"],
                    parent=None if m == 0 else parent,
                )
            )
    return tuple(comments)


def _load_conversation(issues: Mapping[str, int]) -> ConversationSeed:
    raw = _read("conversation.toml")
    where = "conversation.toml"
    conv = _record(where, raw, ("issue", "topic", "description", "camps", "statement"))
    statements = []
    for n, item in enumerate(conv["statement"]):
        s = _record(f"{where} statement {n}", item, ("camp", "text"))
        _in(f"{where} statement {n}", s["camp"], CAMPS)
        statements.append(StatementSeed(text=s["text"], camp=s["camp"]))
    return ConversationSeed(
        issue=_lookup(issues, conv["issue"], where),
        topic=conv["topic"],
        description=conv["description"],
        camps=dict(conv["camps"]),
        statements=tuple(statements),
    )


# ---------------------------------------------------------------------------------------------
# The content
# ---------------------------------------------------------------------------------------------

#: Free topic tags an issue may carry (besides the 17 SDGs, which are numbers).
TOPICS: Final[tuple[str, ...]] = tuple(_read("topics.toml")["topics"])

FORUMS: Final[tuple[ForumSeed, ...]] = _load_forums()

#: Every issue of concern, global first, then regional, national and youth.
ISSUES: Final[tuple[IssueSeed, ...]] = _load_issues()
_ISSUE_INDEX: Final[dict[str, int]] = _index(ISSUES, "issue")


def issue_index(key: str) -> int:
    """Index in ``ISSUES`` of the issue with this ``key`` (``KeyError`` if unknown)."""
    return _ISSUE_INDEX[key]


SIGNALS: Final[tuple[SignalSeed, ...]] = _load_signals(_ISSUE_INDEX)
SOLUTIONS: Final[tuple[SolutionSeed, ...]] = _load_solutions(_ISSUE_INDEX)
_SOLUTION_INDEX: Final[dict[str, int]] = _index(SOLUTIONS, "solution")


def solution_index(key: str) -> int:
    """Index in ``SOLUTIONS`` of the solution with this ``key`` (``KeyError`` if unknown)."""
    return _SOLUTION_INDEX[key]


ADVICE: Final[tuple[AdviceSeed, ...]] = _load_advice(_SOLUTION_INDEX)

#: Comments in thread order: a reply always follows its parent, on the same issue.
COMMENTS: Final[tuple[CommentSeed, ...]] = _load_comments(_ISSUE_INDEX)

#: The demo conversation: statements tagged with the camp that tends to agree with them.
CONVERSATION: Final[ConversationSeed] = _load_conversation(_ISSUE_INDEX)

_PEOPLE: Final = _read("people.toml")
#: Given names from every UN region; combined at random with LAST_NAMES.
FIRST_NAMES: Final[tuple[str, ...]] = tuple(_PEOPLE["first_names"])
LAST_NAMES: Final[tuple[str, ...]] = tuple(_PEOPLE["last_names"])
#: Plausible, invented organisations for each stakeholder group.
AFFILIATIONS: Final[dict[StakeholderGroup, tuple[str, ...]]] = {
    group: tuple(_PEOPLE["affiliations"][group]) for group in STAKEHOLDER_GROUPS
}
