"""Normalising names and claim texts, and the speaker-identity policy built on them.

Policy (who is the same speaker across articles):

* Two mentions are the same speaker when their *normalised full names* and their types are equal.
  Normalising casefolds, strips accents, drops apostrophes and full stops (``O'Brien`` = ``OBrien``,
  ``J.K.`` = ``JK``), turns other punctuation into spaces and collapses whitespace. For people, leading
  honorifics and titles (``Mr``, ``Dr``, ``Senator``...) are dropped; for organisations and groups, a
  leading ``the``.
* A person whose name is a single token after that (``Gonzalez``, ``Mr Smith``, ``President Biden``)
  is ambiguous across articles, so stays an article-local speaker: never merged automatically with
  anyone. ``attribution speakers merge`` joins such speakers by hand.
* Organisations and groups merge on their normalised name whatever its length (``the Pentagon``).
* A description rather than a name (``a spokesperson for the ministry``, ``officials``: the name, past
  its honorifics and a leading "the", does not start and end with a capitalised word) is article-local
  too: two articles' "spokesperson" are rarely the same person.

How the store *shows* an organisation (:func:`display_name`): without a leading "the" ("Taliban", not "the
Taliban") and without an acronym the article defined after it ("The National Resistance Front (NRF)" is
shown as "National Resistance Front"; :func:`defined_acronym` gives "NRF", which the store keeps as an alias).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

#: Leading words that are not part of a person's name.
HONORIFICS = frozenset(re.findall(r"\w+", """
mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister brother
sen senator rep representative gov governor president vice pres gen general col colonel capt captain
lt lieutenant sgt sergeant adm admiral maj major judge justice minister secretary mayor chancellor
pm premier hon honourable honorable chief commissioner ambassador sheikh king queen prince princess
"""))
PRONOUNS = frozenset(re.findall(r"\w+", "i me my we us our you he him his she her hers it its they them their"))

_DROP = re.compile(r"[.'’ʼ`´]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Casefolded, accent-free text of words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", _DROP.sub("", stripped)).split())


@lru_cache(maxsize=16384)  # pure, and an article writes the same few dozen names over and over
def normalise_name(name: str, speaker_type: str = "PERSON") -> str:
    """The name two mentions must share to be the same speaker (see the module docstring)."""
    tokens = normalise(name).split()
    if speaker_type == "PERSON":
        while len(tokens) > 1 and tokens[0] in HONORIFICS:
            tokens = tokens[1:]
    elif len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


#: A trailing acronym in brackets: "National Resistance Front (NRF)", "Médecins Sans Frontières (MSF)".
_DEFINED_ACRONYM = re.compile(r"^(?P<name>.*?\S)\s*\(\s*(?P<acronym>[A-Z][A-Z0-9&.\-]{1,11})\s*\)\s*$")
_LEADING_THE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)
ORG_TYPES = frozenset({"ORG", "GROUP"})


def clean_org_name(text: str) -> str:
    """An organisation's name as shown: no leading "the", no trailing "(ACRONYM)", outer spaces stripped."""
    text = " ".join(text.split())
    match = _DEFINED_ACRONYM.match(text)
    if match:
        text = match.group("name")
    return _LEADING_THE.sub("", text)


def defined_acronym(name: str) -> str | None:
    """The acronym a name defines in brackets after it ("National Resistance Front (NRF)" -> "NRF")."""
    match = _DEFINED_ACRONYM.match(" ".join(name.split()))
    return match.group("acronym") if match else None


def display_name(name: str, speaker_type: str = "PERSON") -> str:
    """A speaker's name as the store shows it: organisations and groups cleaned (:func:`clean_org_name`)."""
    return clean_org_name(name) if speaker_type in ORG_TYPES else name.strip()


_WORDS = re.compile(r"[^\W\d_][\w'’.\-]*")


@lru_cache(maxsize=16384)
def is_global_name(name: str, speaker_type: str) -> bool:
    """Whether a name is specific enough to merge speakers across articles (see the module docstring)."""
    words = _WORDS.findall(name)
    while words and (normalise(words[0]) in HONORIFICS or normalise(words[0]) == "the") and len(words) > 1:
        words = words[1:]
    if not words or not (words[0][0].isupper() and words[-1][0].isupper()):
        return False
    return speaker_type != "PERSON" or len(normalise_name(name, speaker_type).split()) >= 2


def speaker_key(norm_name: str, speaker_type: str, article_id: int | None = None) -> str:
    """The unique key of a speaker row: global (type and name) or scoped to one article."""
    base = f"{speaker_type}|{norm_name}"
    return base if article_id is None else f"{base}@{article_id}"


def is_useful_alias(alias: str) -> bool:
    """Whether an alias is worth storing for speaker search (not a pronoun, not empty)."""
    norm = normalise(alias)
    return bool(norm) and norm not in PRONOUNS


def claim_group_id(text: str) -> str:
    """The id shared by the same claim wherever it is repeated: a hash of its normalised text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:32]


def text_sha256(text: str) -> str:
    """The SHA-256 of an article text (its identity in the store)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
