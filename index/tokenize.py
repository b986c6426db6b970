"""Retrieval tokens: lower-cased, unified quotes and numbers, stemmed, no stop words.

"3,000" and "3000" become the same token, "Korea’s" and "Korea's" the same
stem, and the Snowball (Porter2) stemmer from PyStemmer folds "deployed" and
"deployment" into one family so questions need not copy the article's wording.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# A compact English stop list (function words only). Content words that carry
# meaning in questions ("many", "much", "first", "last") are deliberately kept.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's i i'd
    i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own
    same shan't she she'd she'll she's should shouldn't so some such than that that's the
    their theirs them themselves then there there's these they they'd they'll they're
    they've this those through to too under until up very was wasn't we we'd we'll we're
    we've were weren't what what's when when's where where's which while who who's whom why
    why's with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves s t also us
    """.split()
)

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u00a0](?=\d{3}\b)")
_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"'s?$")
MAX_TOKEN_LENGTH = 40


@dataclass(frozen=True, slots=True)
class TokenizerSettings:
    """Everything that changes the tokens; persisted indexes record it."""

    language: str = "english"
    stem: bool = True
    stop_words: bool = True
    version: int = 1


class Tokenizer:
    def __init__(self, settings: TokenizerSettings | None = None) -> None:
        self.settings = settings or TokenizerSettings()
        self._stemmer = Stemmer.Stemmer(self.settings.language) if self.settings.stem else None
        self._stem_cached = lru_cache(maxsize=200_000)(self._stem_word)

    def words(self, text: str) -> list[str]:
        """Lower-cased surface words with numbers unified, before stemming."""
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
        text = _THOUSANDS.sub("", text)
        out: list[str] = []
        for match in _WORD.finditer(text):
            word = _POSSESSIVE.sub("", match.group())
            if "." in word and not _is_abbreviation(word):
                out.extend(part for part in word.split(".") if part)
                continue
            if word and len(word) <= MAX_TOKEN_LENGTH:
                out.append(word)
        return out

    def tokens(self, text: str) -> list[str]:
        """Tokens for BM25: words minus stop words, stemmed."""
        stop = STOP_WORDS if self.settings.stop_words else frozenset()
        return [self._stem_cached(w) for w in self.words(text) if w not in stop]

    def _stem_word(self, word: str) -> str:
        if self._stemmer is None or not word.isalpha():
            return word
        return str(self._stemmer.stemWord(word))


def _is_abbreviation(word: str) -> bool:
    """ "u.s", "a.m" and "3.5" stay whole (so "U.S." is not the stop word "us");
    "end.start" from a missing space splits in two."""
    parts = word.split(".")
    return all(len(p) <= 1 for p in parts) or all(p.isdigit() for p in parts)


_DEFAULT: Tokenizer | None = None


def default_tokenizer() -> Tokenizer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Tokenizer()
    return _DEFAULT
