"""Check-worthiness: how worth fact-checking a sentence is, as a learned linear model run with NumPy only.

Method. Claim spotting after ClaimBuster (Hassan, Li, Tremayne 2017, "Toward automated fact-checking:
detecting check-worthy factual claims by ClaimBuster", KDD) and the feature-based systems of CLEF
CheckThat! 2019 Task 1 (Atanasova et al. 2019): a logistic regression over

- TF-IDF word 1-2-grams and character 2-5-grams inside words (sublinear term frequency, each block
  L2-normalised, as scikit-learn's ``TfidfVectorizer`` computes them), and
- a few cheap linguistic features: numbers, percentages, sums of money, years, proper names and
  organisations, past tense, modality and the future, first and second person, comparatives and
  superlatives, questions, opinions, thanks, length, and
- the mean of the sentence's word vectors (the 50-dimensional GloVe vectors of Pennington, Socher and
  Manning 2014 that Stanza ships as its English pretrain), so that a word the two training sets never
  used still counts by what it is like. The regression is linear in that mean, so its weights fold into
  one number per word (the vector's dot product with them): the package ships those numbers, not the
  vectors, and the contribution of the block is the mean of its words' numbers.

Every feature is computed from the sentence's text alone, with the regular expressions below, so that the
training sentences (bare debate transcripts) and the claims of a parsed article get the very same
features; the parse is not used. The cue verb of a quote is not a feature either: the training sentences
have none, so the model could not learn a weight for it (attribution.claims.statements uses the cue for its
not-checkable rules instead).

The weights are data (``attribution/data/claim_model.npz``, plain arrays, loaded without pickle);
``scripts/train_claims.py`` rebuilds them with scikit-learn. Scoring needs only NumPy and the standard
library, is deterministic, and takes well under a millisecond a sentence (benchmarks/bench_claims.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from .. import wordlists

#: The version of the shipped weights; a store whose claims were scored by another version re-scores them.
#: Bump it (and retrain) whenever the features, the training data or the weights change.
CLAIM_MODEL_VERSION = "cw-2"

MODEL_FILE = "data/claim_model.npz"

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|[$€£%?!]")
_YEAR = re.compile(r"^(1[6-9]|20)\d\d$")
_NUMBER_WORDS = wordlists.words("number_words") - {"one", "per", "cent"}
_OPINION = wordlists.words("opinion_verbs")
_PAST = wordlists.words("past_forms")
_MODAL = wordlists.words("modal_words")
_ORG_NOUNS = wordlists.words("org_nouns") | {"congress", "corporation", "inc", "federation", "nations", "bureau"}
_CALENDAR = wordlists.words("calendar_words") - {"today"}
#: Month names that are also common words: a month only when capitalised inside the sentence.
_AMBIGUOUS_MONTHS = frozenset({"may", "march"})
_FUTURE = frozenset({"will", "'ll", "shall", "gonna"})
_GREETING = wordlists.words("greeting_words")
_NEGATION = wordlists.words("negations") | {"no", "nobody", "nothing"}
_SUPERLATIVE = wordlists.words("superlative_words")
_COMPARATIVE = wordlists.words("comparative_words")
_MONEY = wordlists.words("money_words") | {"$", "€", "£"}
_PERSON = wordlists.mapping("person_words")

#: The linguistic features, in the order of the model's dense block, with how a reason names each.
DENSE_FEATURES: tuple[tuple[str, str], ...] = (
    ("number", "a number"),
    ("percent", "a percentage"),
    ("money", "a sum of money"),
    ("year", "a year or a date"),
    ("name", "names a person or a place"),
    ("organisation", "names an organisation"),
    ("past", "a past-tense statement of fact"),
    ("perfect", "says what has happened"),
    ("comparative", "a comparison"),
    ("superlative", "a superlative"),
    ("future", "a promise or prediction"),
    ("modal", "says what could or should be"),
    ("opinion", "an opinion"),
    ("first_singular", "the speaker speaks of themselves"),
    ("first_plural", "speaks for a group (\"we\")"),
    ("second_person", "addresses the listener"),
    ("question", "a question"),
    ("exclamation", "an exclamation"),
    ("negation", "a negation"),
    ("greeting", "thanks or a greeting"),
    ("short", "very short"),
    ("length", "a long sentence"),
)
DENSE_NAMES = tuple(name for name, _ in DENSE_FEATURES)


def tokens(text: str) -> list[str]:
    """The sentence's tokens as written: numbers, words (with their apostrophes), currency signs, ``%?!``."""
    return _TOKEN.findall(text)


def _norm(token: str) -> str:
    # Numbers generalise as their kind: "1,200" and "37" say the same thing to a fact-checker.
    if token[0].isdigit():
        return "<year>" if _YEAR.match(token) else "<num>"
    return token.lower().replace("’", "'")


def word_terms(text: str) -> list[str]:
    """Word unigrams and bigrams, lower-cased, numbers folded to ``<num>``/``<year>`` (the model's word block)."""
    words = [_norm(t) for t in tokens(text)]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def vector_terms(text: str) -> list[str]:
    """The tokens looked up in the word vectors: lower-cased, typographic apostrophes made straight, numbers
    as written, clitics split off as the Penn Treebank (and so GloVe's vocabulary) writes them: "don't" is
    "do" and "n't", "it's" is "it" and "'s"."""
    out: list[str] = []
    for token in tokens(text):
        word = token.lower().replace("’", "'")
        if word.endswith("n't") and len(word) > 3:
            out += [word[:-3], "n't"]
        elif "'" in word:
            head, _, tail = word.partition("'")
            out += [head, "'" + tail]
        else:
            out.append(word)
    return out


#: The shape of a term :func:`vector_terms` can give: the word vectors keep only those (no URLs, no rules).
VECTOR_TERM = re.compile(r"[^\W_]+(?:[.,:/][^\W_]+)*|'[^\W\d_]+|n't|[$€£%?!]")


def char_terms(text: str) -> list[str]:
    """Character 2-5-grams of each whitespace-separated word padded with spaces, lower-cased, digits as 0
    (scikit-learn's ``char_wb`` analyser, with digits folded)."""
    out: list[str] = []
    for word in re.sub(r"\d", "0", text.lower()).split():
        padded = f" {word} "
        for n in range(2, 6):
            out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return out


def _caps_features(raw: list[str]) -> tuple[bool, bool]:
    """(a proper name, an organisation): capitalised words past the first, acronyms, capitalised org nouns."""
    name = org = False
    for i, tok in enumerate(raw):
        if i == 0 or tok in ("I", "I'm") or not tok[:1].isupper():
            continue
        if len(tok) >= 2 and tok.isupper() and tok.isalpha() or tok.lower() in _ORG_NOUNS:
            org = True
        elif tok.lower() not in _CALENDAR:
            name = True
    return name, org


def _dated(raw: list[str]) -> bool:
    """A year ("1998") or a day or month name ("in March", "on Friday"; "may" and "march" only capitalised)."""
    for i, tok in enumerate(raw):
        low = tok.lower()
        if _YEAR.match(tok) or (low in _CALENDAR and (low not in _AMBIGUOUS_MONTHS or (i and tok[0].isupper()))):
            return True
    return False


def _is_past(word: str) -> bool:
    return word in _PAST or (len(word) > 4 and word.endswith("ed") and not word.endswith("eed"))


def dense_features(text: str) -> np.ndarray:
    """The linguistic features of :data:`DENSE_FEATURES`, each 0..1, from the text alone."""
    raw = tokens(text)
    low = [_norm(t) for t in raw]
    words = set(low)
    pairs = set(zip(low, low[1:], strict=False))
    name, org = _caps_features(raw)
    has = words.__contains__
    persons = {_PERSON[w] for w in words if w in _PERSON}
    values = {
        "number": any(t[0].isdigit() for t in raw) or bool(words & _NUMBER_WORDS),
        "percent": has("%") or has("percent") or ("per", "cent") in pairs,
        "money": bool(words & _MONEY),
        "year": _dated(raw),
        "name": name,
        "organisation": org,
        "past": any(_is_past(w) for w in low),
        "perfect": any(a in ("has", "have", "had", "'ve") and _is_past(b) for a, b in pairs),
        "comparative": bool(words & _COMPARATIVE) or any(w.endswith("er") and n == "than" for w, n in pairs),
        "superlative": bool(words & _SUPERLATIVE) or any(w.endswith("est") and len(w) > 5 for w in low),
        "future": bool(words & _FUTURE) or ("going", "to") in pairs or any(w.endswith("'ll") for w in low),
        "modal": any(low[i] in _MODAL and (i == 0 or raw[i].islower()) for i in range(len(raw))),
        "opinion": any(a in ("i", "we") and b in _OPINION for a, b in pairs),
        "first_singular": "first_singular" in persons,
        "first_plural": "first_plural" in persons,
        "second_person": "second_person" in persons,
        "question": has("?"),
        "exclamation": has("!"),
        "negation": bool(words & _NEGATION) or any(w.endswith("n't") for w in low),
        "greeting": bool(words & _GREETING),
        "short": len(raw) < 5,
        "length": min(1.0, math.log1p(len(raw)) / math.log(60)),
    }
    return np.array([float(values[n]) for n in DENSE_NAMES])


@dataclass(frozen=True)
class Block:
    """One TF-IDF block of the model: its vocabulary, inverse document frequencies and weights."""

    index: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray

    def contributions(self, terms: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """(vocabulary indices, their contribution to the logit) for a text's terms: sublinear TF times IDF,
        L2-normalised over the block, times the weight."""
        counts = Counter(i for i in (self.index.get(t) for t in terms) if i is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        weights = tf * self.idf[idx]
        weights /= np.sqrt(np.dot(weights, weights))
        return idx, weights * self.coef[idx]


@dataclass(frozen=True)
class WordVectors:
    """The word-vector block, folded: for each word of the vectors' vocabulary, its vector's dot product
    with the block's weights. A sentence's contribution is the mean over its words that have a vector."""

    index: dict[str, int]
    score: np.ndarray

    def contribution(self, text: str) -> float:
        """The block's contribution to the logit: the mean of the sentence's known words' numbers (0 for none)."""
        idx = [i for i in (self.index.get(t) for t in vector_terms(text)) if i is not None]
        return float(self.score[idx].mean()) if idx else 0.0


@dataclass(frozen=True)
class Scored:
    """A sentence's check-worthiness (a probability), and the features that pushed it most, in plain words."""

    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """The reasons as one phrase ("a number, a past-tense statement of fact")."""
        return ", ".join(self.reasons) or "a plain assertion"


#: A feature is named in a reason when it moved the logit by at least this much (a tenth of a unit is
#: about 2.5 points of probability near the middle of the scale: less is noise to a reader).
_REASON_MIN = 0.1
_REASON_MAX = 3
#: How a reason names the word vectors' pull, up (True) or down (False).
_VECTORS_REASON = {True: "worded like checked claims", False: "worded like talk rather than claims"}


class ClaimModel:
    """The check-worthiness model: two TF-IDF blocks and a dense block of linguistic features, one
    logistic regression over them (Hassan et al. 2017; Atanasova et al. 2019).

    ``score`` is the probability of the check-worthy class, trained with balanced class weights, so 0.5
    stands for even odds between a check-worthy and an ordinary sentence; ``threshold`` is the cut-off
    the model was tuned to (the F1 of the check-worthy class on grouped cross-validation).
    """

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.version = str(arrays["version"])
        self.word_terms = [str(t) for t in arrays["word_terms"].tolist()]
        self.words = Block({t: i for i, t in enumerate(self.word_terms)}, arrays["word_idf"], arrays["word_coef"])
        self.chars = Block(_index(arrays["char_terms"]), arrays["char_idf"], arrays["char_coef"])
        names = tuple(str(n) for n in arrays["dense_names"])
        if names != DENSE_NAMES:
            raise ValueError(f"claim model features {names} differ from the code's {DENSE_NAMES}: retrain it")
        self.dense_coef = np.asarray(arrays["dense_coef"], dtype=np.float64)
        # The features' means on the training sentences: a reason is what sets a sentence apart from the
        # average one (every sentence has a length; only a long one is "a long sentence").
        self.dense_mean = np.asarray(arrays["dense_mean"], dtype=np.float64)
        self.vectors = WordVectors(_index(arrays["vector_terms"]), np.asarray(arrays["vector_score"], dtype=np.float64))
        self.vectors_mean = float(arrays["vector_mean"])
        self.intercept = float(arrays["intercept"])
        self.threshold = float(arrays["threshold"])

    def logit_parts(self, text: str) -> tuple[float, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """(the logit, the contributions of the dense features and then of the word vectors against the
        average training sentence, the word block's (indices, contributions))."""
        words = self.words.contributions(word_terms(text))
        chars = self.chars.contributions(char_terms(text))
        dense = dense_features(text)
        vectors = self.vectors.contribution(text)
        logit = (self.intercept + float(words[1].sum()) + float(chars[1].sum()) + float(dense @ self.dense_coef)
                 + vectors)
        against_average = np.append((dense - self.dense_mean) * self.dense_coef, vectors - self.vectors_mean)
        return logit, against_average, words

    def probability(self, text: str) -> float:
        """The probability that ``text`` is a check-worthy factual sentence."""
        return _sigmoid(self.logit_parts(text)[0])

    def score(self, text: str) -> Scored:
        """The probability, rounded to three places, and the features that pushed it most, in plain words."""
        logit, dense, words = self.logit_parts(text)
        probability = _sigmoid(logit)
        # Name what pushed the score where it ended up: up for a check-worthy sentence, down otherwise;
        # only features the sentence has (a missing number is no reason a reader can see).
        sign = 1.0 if probability >= self.threshold else -1.0
        present = dense_features(text) > self.dense_mean
        pushed = np.where(present, sign * dense[:-1], 0.0)
        order = np.argsort(-pushed, kind="stable")
        reasons = tuple(DENSE_FEATURES[i][1] for i in order[:_REASON_MAX] if pushed[i] >= _REASON_MIN)
        # The word vectors pull every sentence one way or the other, and often hardest; a reader learns
        # more from what the sentence has, so their pull is named after that, where there is room.
        if len(reasons) < _REASON_MAX and sign * dense[-1] >= _REASON_MIN:
            reasons += (_VECTORS_REASON[sign > 0],)
        reasons = reasons or self._wording(words, sign)
        if not reasons:
            reasons = ("a plain assertion",) if sign > 0 else ("nothing in it stands out as checkable",)
        return Scored(round(probability, 3), reasons)

    def _wording(self, words: tuple[np.ndarray, np.ndarray], sign: float) -> tuple[str, ...]:
        """The words that pushed the score most, when no linguistic feature did: ``the words "a", "b"``."""
        idx, contribution = words
        order = np.argsort(-sign * contribution, kind="stable")
        picked = [self.word_terms[idx[i]] for i in order
                  if sign * contribution[i] >= _REASON_MIN and _telling(self.word_terms[idx[i]])][:2]
        return (f"the words {', '.join(f'“{w}”' for w in picked)}",) if picked else ()

    def checkworthy(self, probability: float) -> bool:
        """Whether a probability is at or above the model's threshold."""
        return probability >= self.threshold


def _telling(term: str) -> bool:
    # A reader learns nothing from "to" or "on the": a term is shown when one of its words has four letters.
    return any(len(w) >= 4 and w.isalpha() for w in term.split())


def _index(terms: np.ndarray) -> dict[str, int]:
    return {str(t): i for i, t in enumerate(terms.tolist())}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


@cache
def load_model() -> ClaimModel:
    """The shipped model (read once; plain arrays, loaded with ``allow_pickle=False``)."""
    with resources.files("attribution").joinpath(MODEL_FILE).open("rb") as fh, \
            np.load(fh, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    model = ClaimModel(arrays)
    if model.version != CLAIM_MODEL_VERSION:
        raise ValueError(f"{MODEL_FILE} holds claim model {model.version}, the code expects "
                         f"{CLAIM_MODEL_VERSION}: run scripts/train_claims.py")
    return model


def score_text(text: str) -> Scored:
    """Check-worthiness of one sentence with the shipped model."""
    return load_model().score(text)


def save_arrays(path: Any, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an ``.npz`` that is byte-for-byte the same for the same arrays (fixed member
    dates and order), so that retraining with the same data and seed changes nothing in git."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buffer.getvalue())

