"""Reading a misspelt question word as the article word closest to it.

One slip ("how many troopps were sent?", "rusia") leaves BM25 a word no
article holds, and the question finds nothing. Such a word is read as the
word of the corpus's own vocabulary one edit away (optimal string alignment,
so a swapped, doubled or dropped letter is one edit; computed by rapidfuzz),
the one the articles use most when there are several.

Chat shorthand ("how many ppl donated", "how many shops r closing", "wher was it held")
is read as written out (:data:`CHAT_FORMS`, and a question word typed with one slip),
unless an article uses the word as typed.

Left as typed, because a "correction" there would change what is asked:
words the articles hold (as written or by their stem), stop words, short
words (too many neighbours), words with a digit (numbers), capitalised words
(they may be names: "Kimm" is not to become "Kim"), and real English words the
articles happen not to use ("election" is not a slip of "selection"; the
reader's WordPiece vocabulary, :func:`english_words`, says which words are real).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from index.records import Article
from index.tokenize import STOP_WORDS, Tokenizer

MIN_LENGTH = 5  # shorter words have too many neighbours one edit away ("pics" / "pick")
_WORD = re.compile(r"[^\W_]+")  # letters and digits: a word with a digit is a number, never read
_LETTERS = re.compile(r"[^\W\d_]+")  # the articles' words that a slip may be read as
# Chat shorthand, written out. Only whole lower-case words no article holds are read so:
# an article writing "CEO" keeps "ceo" as typed; one writing "chief executive" is searched
# with its own words.
CHAT_FORMS = {
    "ppl": "people", "ppls": "people's", "r": "are", "u": "you", "ur": "your", "y": "why",
    "b4": "before", "bc": "because", "bcoz": "because", "cuz": "because", "coz": "because",
    "abt": "about", "bout": "about", "thru": "through", "tho": "though", "w": "with",
    "govt": "government", "dept": "department", "intl": "international",
    "approx": "approximately", "yr": "year", "yrs": "years", "hrs": "hours", "mins": "minutes",
    "tmrw": "tomorrow", "tmr": "tomorrow", "wat": "what", "wut": "what", "wats": "whats",
    "goin": "going", "ceo": "chief executive", "cfo": "chief financial officer",
    "coo": "chief operating officer", "pres": "president", "gf": "girlfriend",
    "bf": "boyfriend", "bday": "birthday", "info": "information",
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "arent": "aren't",
    "wasnt": "wasn't", "werent": "weren't", "couldnt": "couldn't", "wouldnt": "wouldn't",
    "shouldnt": "shouldn't", "cant": "can't", "wont": "won't", "havent": "haven't",
    "hasnt": "hasn't", "hadnt": "hadn't",
}  # fmt: skip
_OFFICES = {w: CHAT_FORMS[w] for w in ("ceo", "cfo", "coo")}  # written in capitals too
# Question words, which a slip in a short word ("wher", "whn") still says.
QUESTION_WORDS = ("who", "what", "when", "where", "why", "which", "how", "whose")


@dataclass(frozen=True, slots=True)
class Respelling:
    """A question word as typed and the article word it was read as."""

    typed: str
    read_as: str


class Vocabulary:
    """The words of a corpus with their counts, and their stems; built once per corpus.

    One regular-expression pass over the article text (tens of milliseconds
    for a few hundred articles, ``benchmarks/spelling_bench.py``); the stems
    say that "deploying" is known when only "deployed" is written.
    """

    def __init__(
        self, counts: Counter[str], tokenizer: Tokenizer, initials: dict[str, str] | None = None
    ) -> None:
        self.counts = counts
        self.initials = initials or {}  # "mvp": "Most Valuable Player" (:func:`_initials`)
        # What a slip may be read as; never a stop word: reading "whats" as "what" finds nothing.
        self.words = [w for w in counts if w not in STOP_WORDS]
        self.stems = frozenset(tokenizer.tokens(" ".join(self.words)))  # one pass, not per word
        self._tokenizer = tokenizer

    @classmethod
    def of(cls, articles: Iterable[Article], tokenizer: Tokenizer) -> Vocabulary:
        """Counted paragraph by paragraph: short calls, so a build in a worker thread lets
        the event loop run between them (one call over all the text would hold the GIL)."""
        counts: Counter[str] = Counter()
        phrases: dict[str, set[str]] = {}
        for article in articles:  # the headline's and the summary paragraph's words too
            counts.update(_LETTERS.findall(article.headline.lower()))
            for paragraph in (p for p in (*article.paragraphs, article.standfirst) if p):
                counts.update(_LETTERS.findall(paragraph.text.lower()))
                _initials(paragraph.text, phrases)
        unique = {k: v.pop() for k, v in phrases.items() if len(v) == 1 and k not in counts}
        return cls(counts, tokenizer, unique)

    def forms(self, word: str) -> set[str]:
        """``word`` and its stem, as the index and :func:`english_words` hold words."""
        return {word, *self._tokenizer.tokens(word)}

    @cached_property
    def _accents(self) -> dict[str, str]:
        """The accented words by their letters without accents ("matias": "matías")."""
        return {without_accents(w): w for w in self.counts if not w.isascii()}

    def accented(self, word: str) -> str | None:
        """The articles' accented word that ``word``, which no article holds, types without its
        accents ("Matias" -> "Matías", capitalised as typed); None otherwise."""
        lower = word.lower()
        if not word.isascii() or lower in self.counts or lower not in self._accents:
            return None
        found = self._accents[lower]
        return found.capitalize() if word[:1].isupper() else found

    def knows(self, word: str) -> bool:
        """Whether an article holds ``word`` (lower case), as written or by its stem."""
        return word in self.counts or any(t in self.stems for t in self._tokenizer.tokens(word))

    def closest(self, word: str) -> str | None:
        """The article word one edit from ``word`` (the most used of them), or None.

        One edit is one slip of the keys; two would read too many real words as others
        ("rehoused" as "refused").
        """
        found = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=1, limit=None)
        if not found:
            return None
        best = min(found, key=lambda hit: (hit[1], -self.counts[hit[0]], hit[0]))
        return str(best[0])


def without_accents(word: str) -> str:
    """``word`` without its accents: "matías" -> "matias"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def respell(
    question: str, vocabulary: Vocabulary, english: frozenset[str] = frozenset()
) -> tuple[str, tuple[Respelling, ...]]:
    """``question`` with its misspelt words read as article words, and what was read so."""
    read: list[Respelling] = []
    parts: list[str] = []
    end = 0
    for match in _WORD.finditer(question):
        word = match.group()
        closest = vocabulary.accented(word)  # "Matias" for "Matías": the same word, unaccented
        if closest is None:
            closest = _written_out(word, vocabulary, english)
        if closest is None and _may_be_a_slip(word, vocabulary, english):
            closest = vocabulary.closest(word)
        if closest is None:
            continue
        parts += [question[end : match.start()], closest]
        end = match.end()
        read.append(Respelling(word, closest))
    return "".join([*parts, question[end:]]), tuple(read)


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][a-z]+)+")
_VOWELS = frozenset("aeiou")


def _initials(text: str, phrases: dict[str, set[str]]) -> None:
    """Add to ``phrases`` each run of 3-5 capitalised words in ``text`` by its initials
    ("Most Valuable Player" under "mvp", "American Association of Retired Persons" under
    "aarp"), every such part of a longer run too ("Super Bowl Most Valuable Player Award")."""
    for run in _CAPITALISED_RUN.finditer(text):
        words = run.group().split()
        for start in range(len(words)):
            for end in range(start + 3, min(start + 7, len(words)) + 1):
                part = words[start:end]
                if part[0][0].islower() or part[-1][0].islower():
                    continue  # "of"/"and"/"for" inside a name, never at its ends
                capitals = "".join(w[0] for w in part if w[0].isupper()).lower()
                if 3 <= len(capitals) <= 5:
                    phrases.setdefault(capitals, set()).add(" ".join(part))


def _written_out(word: str, vocabulary: Vocabulary, english: frozenset[str]) -> str | None:
    """Chat shorthand, an abbreviation of the articles' names or a slipped question word (lower
    case, no article's word) written out."""
    if word.isupper() and word.lower() in _OFFICES and word.lower() not in vocabulary.counts:
        return _OFFICES[word.lower()]  # "who's the COO": "chief operating officer"
    phrase = vocabulary.initials.get(word.lower())
    if phrase is not None and (
        word.isupper() or not _VOWELS & set(word) or word.lower() not in english
    ):  # "mvp", "MVP": "Most Valuable Player"; "ran" is a word, no abbreviation
        return phrase
    if not word.islower() or (len(word) > 2 and word in vocabulary.counts):
        return None  # "u" and "r" are in every "U.S." and "R&B": too short to be an article's
    if word in CHAT_FORMS:
        return CHAT_FORMS[word]
    if not word.isalpha() or word in english or word in STOP_WORDS or len(word) < 3:
        return None
    if word.endswith("s") and word[:-1] in QUESTION_WORDS:
        return None  # "whats", "whos": "what's" with the apostrophe left out, read as such
    near = [q for q in QUESTION_WORDS if OSA.distance(word, q, score_cutoff=1) <= 1]
    dropped = [q for q in near if _within(word, q)]  # "wher", "whn": a letter left out
    near = dropped or near
    return near[0] if len(near) == 1 else None


def _within(word: str, other: str) -> bool:
    """Whether ``word``'s letters come in ``other`` in order (``other`` with some left out)."""
    letters = iter(other)
    return all(c in letters for c in word)


def _may_be_a_slip(word: str, vocabulary: Vocabulary, english: frozenset[str]) -> bool:
    """A lower-case word of letters, long enough, not a stop word, known neither to the
    articles nor to English (as written or by its stem): the only words worth reading as another."""
    if not (word.isalpha() and word.islower() and len(word) >= MIN_LENGTH):
        return False
    return (
        word not in STOP_WORDS
        and not vocabulary.forms(word) & english
        and not vocabulary.knows(word)
    )


@lru_cache(maxsize=4)
def english_words(tokenizer_file: Path, tokenizer: Tokenizer) -> frozenset[str]:
    """The whole words of a WordPiece vocabulary (the reader's ``tokenizer.json``), 20,000-odd
    real English words and common names, and their stems (so "moderated" is known by
    "moderate"): a word the articles lack that is here is not taken for a slip.

    An unreadable file gives no words: slips are then read against the articles alone.
    """
    try:
        vocab = json.loads(tokenizer_file.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    words = [w for w in vocab if w.isalpha() and w.islower()]
    return frozenset([*words, *tokenizer.tokens(" ".join(words))])
