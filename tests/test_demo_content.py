"""Checks on the pure demo content: counts, references, vocabularies and the forum tree.

No database and no Django: the content module must stand alone.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from commonground.demo import content as c

GROUPS = set(c.STAKEHOLDER_GROUPS)
REGIONAL_SLUGS = {
    "africa-igf": "african",
    "asia-pacific-igf": "asia_pacific",
    "eeg-igf": "eastern_european",
    "lac-igf": "grulac",
    "weog-igf": "weog",
}
FORUM_BY_SLUG = {f["slug"]: f for f in c.FORUMS}


def _concentrated(appeal: dict[str, float]) -> bool:
    """Appeal carried by at most two groups: the rest stay below 0.4, the top is >= 0.7."""
    return sum(v >= 0.4 for v in appeal.values()) <= 2 and max(appeal.values()) >= 0.7


def test_module_does_not_import_django() -> None:
    code = "import sys, commonground.demo.content; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_vocabularies() -> None:
    assert c.STAKEHOLDER_GROUPS == (
        "government",
        "intergovernmental",
        "internet_institution",
        "private_sector",
        "civil_society",
        "academic_technical",
    )
    assert set(c.REGIONS) == set(REGIONAL_SLUGS.values())
    assert len(set(c.TOPICS)) == len(c.TOPICS) >= 15
    assert all(t == t.lower() and " " not in t for t in c.TOPICS)


# Forums ---------------------------------------------------------------------------------------


def test_forum_slugs_unique_and_levels_valid() -> None:
    assert len(FORUM_BY_SLUG) == len(c.FORUMS)
    for f in c.FORUMS:
        assert f["level"] in c.FORUM_LEVELS
        assert f["lang"] in c.LANGUAGES
        assert f["name"] and len(f["name"]) <= 160
        assert 40 <= len(f["description"]) <= 1000


def test_forum_tree_is_rooted_at_igf() -> None:
    roots = [f for f in c.FORUMS if f["parent"] is None]
    assert [f["slug"] for f in roots] == ["igf"]
    igf = FORUM_BY_SLUG["igf"]
    assert igf["level"] == "global"
    assert igf["name"] == "Global Internet Governance Forum"
    seen: set[str] = set()
    for f in c.FORUMS:  # parents are listed before their children
        assert f["parent"] is None or f["parent"] in seen, f["slug"]
        seen.add(f["slug"])
    for f in c.FORUMS:
        node, steps = f, 0
        while node["parent"] is not None:
            node = FORUM_BY_SLUG[node["parent"]]
            steps += 1
            assert steps <= len(c.FORUMS), "cycle in the forum tree"
        assert node["slug"] == "igf"


def test_regional_forums() -> None:
    regional = {f["slug"]: f for f in c.FORUMS if f["level"] == "regional"}
    assert set(regional) == set(REGIONAL_SLUGS)
    for slug, region in REGIONAL_SLUGS.items():
        assert regional[slug]["region"] == region
        assert regional[slug]["parent"] == "igf"
        assert regional[slug]["country"] is None


def test_national_forums() -> None:
    national = [f for f in c.FORUMS if f["level"] == "national"]
    assert len(national) >= 12
    assert {f["region"] for f in national} == set(c.REGIONS)
    countries = [f["country"] for f in national]
    assert len(set(countries)) == len(countries)
    for f in national:
        country = f["country"]
        assert country is not None and len(country) == 2 and country.isupper()
        assert f["parent"] in REGIONAL_SLUGS
        assert REGIONAL_SLUGS[f["parent"]] == f["region"]
        assert f["slug"].endswith("-igf")
    assert {"FR", "BR", "IN", "KE", "NG", "DE", "UA", "JP", "MX", "CA", "SN"} <= set(countries)
    assert {"ES", "MX", "AR"} & set(countries)


def test_youth_forum() -> None:
    youth = FORUM_BY_SLUG["youth-igf"]
    assert youth["level"] == "youth"
    assert youth["parent"] == "igf"
    assert [f["slug"] for f in c.FORUMS if f["level"] == "youth"] == ["youth-igf"]


# Issues ---------------------------------------------------------------------------------------


def test_issue_counts_and_titles() -> None:
    assert len(c.ISSUES) >= 96
    titles = [i["title"] for i in c.ISSUES]
    assert len(set(titles)) == len(titles)
    assert all(0 < len(t) <= 120 for t in titles)
    keys = [i["key"] for i in c.ISSUES]
    assert len(set(keys)) == len(keys)
    assert all(c.issue_index(k) == n for n, k in enumerate(keys))


def test_issue_fields_valid() -> None:
    topics = set(c.TOPICS)
    for issue in c.ISSUES:
        assert issue["forum"] in FORUM_BY_SLUG, issue["key"]
        assert issue["lang"] in c.LANGUAGES
        assert 1 <= len(issue["topics"]) <= 3 and set(issue["topics"]) <= topics, issue["key"]
        assert len(set(issue["topics"])) == len(issue["topics"])
        assert len(issue["sdgs"]) <= 3 and len(set(issue["sdgs"])) == len(issue["sdgs"])
        assert all(1 <= n <= 17 for n in issue["sdgs"])
        assert 80 <= len(issue["description"]) <= 1500, issue["key"]
        assert set(issue["appeal"]) == GROUPS, issue["key"]
        assert all(0.0 <= v <= 1.0 for v in issue["appeal"].values())


def test_issues_spread_over_forums() -> None:
    per_forum = Counter(i["forum"] for i in c.ISSUES)
    assert 25 <= per_forum["igf"] <= 35
    assert 3 <= per_forum["youth-igf"] <= 5
    for f in c.FORUMS:
        if f["level"] == "regional":
            assert 4 <= per_forum[f["slug"]] <= 8, f["slug"]
        elif f["level"] == "national":
            assert 2 <= per_forum[f["slug"]] <= 4, f["slug"]


def test_french_and_spanish_issues_sit_in_matching_forums() -> None:
    bilingual = {"fr": {"africa-igf", "canada-igf"}, "es": set()}
    for lang in ("fr", "es"):
        issues = [i for i in c.ISSUES if i["lang"] == lang]
        assert len(issues) >= 8, lang
        for issue in issues:
            forum = FORUM_BY_SLUG[issue["forum"]]
            assert forum["lang"] == lang or forum["slug"] in bilingual[lang], issue["key"]


def test_appeal_has_broad_and_concentrated_issues() -> None:
    concentrated = [i for i in c.ISSUES if _concentrated(i["appeal"])]
    assert len(concentrated) >= 8
    assert {g for i in concentrated for g, v in i["appeal"].items() if v >= 0.7} >= {
        "private_sector",
        "civil_society",
        "internet_institution",
        "academic_technical",
    }
    broad = [i for i in c.ISSUES if sum(v >= 0.4 for v in i["appeal"].values()) >= 4]
    assert len(broad) >= 20


# Signals, solutions, advice ---------------------------------------------------------------------


def test_signals() -> None:
    assert len(c.SIGNALS) >= 20
    for s in c.SIGNALS:
        assert 0 <= s["issue"] < len(c.ISSUES)
        assert s["priority"] in c.PRIORITIES
        if s["jurisdiction"] in c.IGO_JURISDICTIONS:
            assert s["group"] == "intergovernmental"
        else:
            assert s["group"] == "government"
            assert len(s["jurisdiction"]) == 2 and s["jurisdiction"].isupper()
        assert 20 <= len(s["statement"]) <= 400
    assert {s["group"] for s in c.SIGNALS} == {"government", "intergovernmental"}
    assert {s["priority"] for s in c.SIGNALS} == set(c.PRIORITIES)


def test_solutions() -> None:
    assert len(c.SOLUTIONS) >= 30
    titles = [s["title"] for s in c.SOLUTIONS]
    assert len(set(titles)) == len(titles)
    assert all(0 < len(t) <= 200 for t in titles)
    for n, s in enumerate(c.SOLUTIONS):
        assert c.solution_index(s["key"]) == n
        assert 0 <= s["issue"] < len(c.ISSUES)
        assert s["description"] and s["actors"]


def test_advice() -> None:
    assert len(c.ADVICE) >= 30
    for a in c.ADVICE:
        assert 0 <= a["solution"] < len(c.SOLUTIONS)
        assert a["feasibility"] in c.FEASIBILITIES
        assert a["conditions"] and a["benefits"] and a["risks"]
        assert a["affected_groups"] and set(a["affected_groups"]) <= GROUPS
        assert len(a["evidence"]) <= 2
        assert all(url.startswith("https://") and " " not in url for url in a["evidence"])
    assert {a["feasibility"] for a in c.ADVICE} == set(c.FEASIBILITIES)


# Comments and conversation ----------------------------------------------------------------------


def test_comments() -> None:
    assert len(c.COMMENTS) >= 60
    replies = 0
    for n, comment in enumerate(c.COMMENTS):
        assert 0 <= comment["issue"] < len(c.ISSUES)
        assert comment["group"] in GROUPS
        assert comment["stance"] is None or comment["stance"] in c.STANCES
        assert 0 < len(comment["body"]) <= 400
        parent = comment["parent"]
        if parent is not None:
            replies += 1
            assert 0 <= parent < n
            assert c.COMMENTS[parent]["issue"] == comment["issue"]
    assert replies >= 10
    assert None in {comment["stance"] for comment in c.COMMENTS}


def test_conversation() -> None:
    conv = c.CONVERSATION
    assert 0 <= conv["issue"] < len(c.ISSUES)
    assert c.ISSUES[conv["issue"]]["forum"] == "igf"
    assert conv["topic"] and conv["description"]
    assert {"a", "b"} <= set(conv["camps"])
    statements = conv["statements"]
    assert len(statements) >= 40
    texts = [s["text"] for s in statements]
    assert len(set(texts)) == len(texts)
    assert all(0 < len(t) <= 280 for t in texts)
    assert all(s["camp"] in c.CAMPS for s in statements)
    camps = Counter(s["camp"] for s in statements)
    assert camps["a"] >= 10 and camps["b"] >= 10 and camps["both"] >= 5


# People -----------------------------------------------------------------------------------------


def test_names_and_affiliations() -> None:
    for names in (c.FIRST_NAMES, c.LAST_NAMES):
        assert len(names) >= 60
        assert len(set(names)) == len(names)
        assert all(name.strip() == name and name for name in names)
    assert set(c.AFFILIATIONS) == GROUPS
    for group, orgs in c.AFFILIATIONS.items():
        assert len(orgs) >= 10, group
        assert len(set(orgs)) == len(orgs), group


# The data files --------------------------------------------------------------------------------


def test_content_is_read_from_the_toml_files_under_demo_data() -> None:
    names = {p.name for p in c.DATA_DIR.glob("*.toml")}
    assert {"forums.toml", "issues-global.toml", "conversation.toml", "people.toml"} <= names
    for module in c.DATA_DIR.parent.glob("*.py"):  # the data lives in files, not in code
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 500, module.name


def _data_dir_with(tmp_path: Path, name: str, text: str) -> Path:
    """A data folder holding one file: each loader reads its own file only."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


FORUM = """
[[forum]]
slug = "igf"
name = "Global Internet Governance Forum"
level = "global"
lang = "en"
description = "The global forum."
"""


def test_forum_file_with_known_keys_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(c, "DATA_DIR", _data_dir_with(tmp_path, "forums.toml", FORUM))
    (forum,) = c._load_forums()
    assert forum["slug"] == "igf" and forum["parent"] is None and forum["country"] is None


def test_forum_file_with_an_unknown_key_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = FORUM.replace("description =", "descripton =")
    monkeypatch.setattr(c, "DATA_DIR", _data_dir_with(tmp_path, "forums.toml", typo))
    with pytest.raises(
        c.ContentError,
        match=r"forums.toml forum 0: missing \['description'\], unknown \['descripton'\]",
    ):
        c._load_forums()


SIGNAL = """
[[signal]]
issue = "shutdowns"
jurisdiction = "EU"
priority = "high"
statement = "Restrictions must be lawful and proportionate."
"""


def test_signal_naming_an_unknown_issue_key_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signal = SIGNAL.replace("shutdowns", "no-such-issue")
    monkeypatch.setattr(c, "DATA_DIR", _data_dir_with(tmp_path, "signals.toml", signal))
    with pytest.raises(c.ContentError, match="no record has the key 'no-such-issue'"):
        c._load_signals(c._ISSUE_INDEX)


def test_signal_with_a_priority_outside_the_vocabulary_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signal = SIGNAL.replace("high", "severe")
    monkeypatch.setattr(c, "DATA_DIR", _data_dir_with(tmp_path, "signals.toml", signal))
    with pytest.raises(c.ContentError, match="'severe' is not one of"):
        c._load_signals(c._ISSUE_INDEX)
    ok = signal.replace("severe", "urgent")
    monkeypatch.setattr(c, "DATA_DIR", _data_dir_with(tmp_path, "signals.toml", ok))
    (loaded,) = c._load_signals(c._ISSUE_INDEX)
    assert loaded["group"] == "intergovernmental" and loaded["issue"] == c.issue_index("shutdowns")
