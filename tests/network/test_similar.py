"""Similar issues: the measured precision at the shown threshold, the forum family, the
languages, and a steward's dismissal."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest

from commonground.analysis.similarity import (
    THRESHOLD,
    issue_text,
    precision_at,
    similarity_matrix,
)
from commonground.core.errors import NotAllowed
from commonground.demo import content
from commonground.forums.models import Forum
from commonground.forums.services import create_forum, join_forum, open_cycle
from commonground.issues.services import raise_issue
from commonground.network.similar import dismiss_suggestion, similar_issues
from tests.api.conftest import send
from tests.conftest import World
from tests.network.conftest import Network, steward_of

PAIRS = Path(__file__).parent / "data" / "similar_pairs.toml"


def _demo_pairs() -> tuple[np.ndarray, np.ndarray]:
    issues = content.ISSUES
    keys = [i["key"] for i in issues]
    texts = [
        issue_text(i["title"], i["description"], [*i["topics"], *(f"sdg-{n}" for n in i["sdgs"])])
        for i in issues
    ]
    labelled = {frozenset(p) for p in tomllib.loads(PAIRS.read_text())["same"]}
    assert all(set(p) <= set(keys) for p in labelled), "a labelled key is not in the demo"
    matrix = similarity_matrix(texts)
    pairs = list(itertools.combinations(range(len(issues)), 2))
    scores = np.array([matrix[a, b] for a, b in pairs])
    same = np.array([frozenset((keys[a], keys[b])) in labelled for a, b in pairs])
    return scores, same


def test_precision_on_the_demo_pairs_is_at_least_0_8_at_the_shown_threshold() -> None:
    scores, same = _demo_pairs()
    precision, shown, right = precision_at(scores, same, THRESHOLD)
    print(f"threshold {THRESHOLD}: {shown} pairs shown, {right} the same concern, "
          f"precision {precision}, recall {right}/{int(same.sum())}")  # fmt: skip
    assert precision is not None and precision >= 0.8
    # The bar holds at the threshold, not by showing nothing: several pairs are shown, one of
    # them across languages (French and English).
    assert shown >= 4


def test_well_below_the_threshold_precision_falls_so_the_threshold_matters() -> None:
    scores, same = _demo_pairs()
    precision, _, _ = precision_at(scores, same, THRESHOLD - 0.1)
    assert precision is not None and precision < 0.8


def _family(network: Network) -> dict[str, object]:
    world = network.world
    kenya_issue = raise_issue(
        world.member["academic_technical"], network.kenya,
        title="Age verification online and the privacy of identity data",
        description="Adult sites must verify the age of visitors; uploading identity "
        "documents builds sensitive databases.", topics=["child-safety", "data-protection"],
    )  # fmt: skip
    join_forum(world.member["academic_technical"], network.igf,
               stakeholder_group="academic_technical", country="IN")  # fmt: skip
    global_issue = raise_issue(
        world.member["academic_technical"], network.igf,
        title="Vérification de l'âge en ligne et protection des données d'identité",
        description="Les sites pour adultes doivent vérifier l'âge des visiteurs; l'envoi de "
        "documents d'identité constitue des bases de données sensibles.",
        topics=["child-safety", "data-protection"], language="fr",
    )  # fmt: skip
    sibling = create_forum(None, slug="nigeria-igf", name="Nigeria IGF", level="national",
                           parent="africa-igf", country="NG")  # fmt: skip
    open_cycle(None, sibling, "2027")
    nora = steward_of(sibling, "nora.nigeria@example.org", "NG")
    sibling_issue = raise_issue(
        nora, sibling, title="Age verification online and the privacy of identity data",
        description="Adult sites must verify the age of visitors; uploading identity "
        "documents builds sensitive databases.", topics=["child-safety", "data-protection"],
    )  # fmt: skip
    return {"kenya": kenya_issue, "global": global_issue, "sibling": sibling_issue}


def test_suggestions_come_from_ancestors_and_descendants_in_other_languages(
    network: Network,
) -> None:
    made = _family(network)
    from_kenya = {s.issue.pk: s.score for s in similar_issues(made["kenya"])}
    # The French issue of the global forum (an ancestor) is suggested to the Kenyan one...
    assert made["global"].pk in from_kenya
    assert 0 < from_kenya[made["global"].pk] <= 1
    # ...but a sibling national forum is not in Kenya's family, however alike.
    assert made["sibling"].pk not in from_kenya
    # From the global forum, every descendant is in the family.
    from_global = {s.issue.pk for s in similar_issues(made["global"])}
    assert {made["kenya"].pk, made["sibling"].pk} <= from_global


def test_a_steward_dismisses_a_suggestion_and_it_is_gone_both_ways(network: Network) -> None:
    made = _family(network)
    with pytest.raises(NotAllowed):
        dismiss_suggestion(network.world.member["government"], made["kenya"], made["global"])
    dismiss_suggestion(network.world.steward, made["kenya"], made["global"])
    assert made["global"].pk not in {s.issue.pk for s in similar_issues(made["kenya"])}
    assert made["kenya"].pk not in {s.issue.pk for s in similar_issues(made["global"])}


def test_api_similar_lists_issue_forum_language_and_score(network: Network, anonymous) -> None:
    made = _family(network)
    body = send(anonymous, "get", f"/issues/{made['kenya'].pk}/similar").json()
    top = next(item for item in body if item["issue_id"] == made["global"].pk)
    assert top["forum"] == "igf" and top["language"] == "fr"
    assert THRESHOLD <= top["score"] <= 1
    steward = network.world.client_for(network.world.steward)
    path = f"/issues/{made['kenya'].pk}/similar/dismiss"
    assert send(anonymous, "post", path, {"issue_id": made["global"].pk}).status_code == 401
    assert send(steward, "post", path, {"issue_id": made["global"].pk}).status_code == 204
    body = send(anonymous, "get", f"/issues/{made['kenya'].pk}/similar").json()
    assert made["global"].pk not in [item["issue_id"] for item in body]


def test_an_issue_unlike_any_other_has_no_suggestion(world: World) -> None:
    lonely = raise_issue(world.member["civil_society"], world.forum, title="Zebra crossings",
                         description="Painted stripes.")  # fmt: skip
    raise_issue(world.member["government"], world.forum, title="Quantum keys",
                description="Post-quantum migration of certificates.")  # fmt: skip
    assert similar_issues(lonely) == []
    assert Forum.objects.count() == 3
