"""Likely duplicate issues: TF-IDF on character n-grams, cosine similarity (no Django).

Character n-grams inside word boundaries (3 to 5 characters, accents stripped, lower
case) match the same concern across spelling variants and across languages that share
word stems: "connectivity", "connectivité" and "conectividad" share most of their
n-grams, as do "données mobiles" and "datos móviles" with "mobile data" in part. Scripts
that share no characters (Arabic and English, say) do not match: the score only sees
letters. The weights are fitted on the texts compared, so a word common to all of them
(such as "Internet") counts for little. docs/network.md gives the measured precision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

#: Suggestions at or above this score are shown: on the demo's labelled pairs every pair
#: at or above it is the same concern (docs/network.md; tests/network/test_similar.py).
THRESHOLD = 0.38
#: At most this many suggestions per issue.
LIMIT = 8


# Function words of the languages the demo writes in (English, French, Spanish and
# Portuguese). Their n-grams would otherwise make any two texts of one language look
# alike; content words and their shared stems are what tell a concern apart.
_STOP_TEXT = (
    "a an and are as at be been but by can for from has have in into is it its more no not "
    "of on or our so than that the their them there these they this those to was were what "
    "when which who will with without would about after also other over such some most "
    # French
    "au aux avec ce ces dans de des du elle en est et il ils la le les leur leurs mais ne "
    "nos notre ou par pas plus pour qu que qui sa se ses son sont sur un une "
    # Spanish
    "al como con del el ella ellos en entre es esta este esto la las lo los mas para pero "
    "por que se sin sobre su sus una uno y o u ni muy "
    # Portuguese
    "ao aos com da das do dos em na nas no nos os ou para pela pelo por uma"
)
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split(" "))
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Lower case, accents stripped, function words and one- or two-letter words dropped."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(w for w in _WORD.findall(folded) if len(w) > 2 and w not in STOP_WORDS)


def issue_text(title: str, description: str, topics: Sequence[str]) -> str:
    """The text compared for an issue: title, description and its topic tags as words.

    Topic slugs come from one shared vocabulary (and the SDG numbers), whatever the
    language of the issue, so they carry part of the match across languages.
    """
    tags = " ".join("topic" + re.sub(r"[^a-z0-9]", "", t.lower()) for t in topics)
    return f"{title}. {description} {tags}"


@dataclass(frozen=True)
class Match:
    """Text ``index`` resembles the query with this cosine score (0 to 1)."""

    index: int
    score: float


def _vectorizer() -> TfidfVectorizer:
    # Imported here, not at the top: scikit-learn takes seconds to import, and the URL
    # configuration imports this module, so every server and command would pay for it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        preprocessor=normalize,
        sublinear_tf=True,
        min_df=1,
    )


def similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every pair of texts (rows are L2-normalised TF-IDF vectors)."""
    if not texts:
        return np.zeros((0, 0))
    matrix = _vectorizer().fit_transform(list(texts))
    return (matrix @ matrix.T).toarray()


def most_similar(
    query: str,
    texts: Sequence[str],
    *,
    threshold: float = THRESHOLD,
    limit: int = LIMIT,
) -> list[Match]:
    """The texts most like ``query``, best first, with scores at or above ``threshold``."""
    if not texts:
        return []
    matrix = _vectorizer().fit_transform([query, *texts])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    order = np.argsort(-scores, kind="stable")
    return [Match(int(i), float(scores[i])) for i in order[:limit] if scores[i] >= threshold]


def precision_at(
    scores: np.ndarray, same: np.ndarray, threshold: float
) -> tuple[float | None, int, int]:
    """Precision of the pairs scored at or above ``threshold``: (precision, shown, right).

    ``scores`` and ``same`` are aligned arrays over pairs (``same`` True for pairs that a
    person labelled the same concern). None when no pair reaches the threshold.
    """
    shown = scores >= threshold
    count = int(shown.sum())
    right = int((shown & same).sum())
    return (right / count if count else None), count, right
