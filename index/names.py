"""Which words of a question name something, and whether an answer's article holds them.

A name here is a word the articles write capitalised inside sentences and never in lower case,
compared by retrieval stem ("Kobowave", "Álamos", "Friday"; not "Says", whose stem "say" the
articles also write in lower case). People type names in lower case, so the articles, not the
question, say which words are names.

"who is the ceo of cobres del pacifico?" was answered with another company's chief executive,
"who is the prime minister of australia?" with the British one: the reader found a span of the
right kind in an article that never names what was asked about. An answer from an article
holding none of the question's names, where another article holds them, is such a span. On
the news QA set's questions (training/data, each split's articles indexed together), refusing
them took back 5 wrong answers and no right one on the development split, 16 wrong and 1 right
on the training split (docs/evaluation.md, "Answers from an article that does not name what
was asked").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from index.corpus import Corpus
from index.question_types import MIN_PREFIX
from index.spelling import without_accents
from index.tokenize import Tokenizer

_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][^\W\d_]+")  # a capital not opening a sentence
_LOWER = re.compile(r"\b[a-z][^\W\d_]+")

_NAMES: tuple[Corpus, frozenset[str]] | None = None  # the last corpus's names, built once
_PLAIN: tuple[Corpus, frozenset[str]] | None = None  # the same without accents


def name_stems(corpus: Corpus, tokenizer: Tokenizer) -> frozenset[str]:
    """The retrieval stems only ever written capitalised inside the articles' sentences."""
    global _NAMES
    if _NAMES is None or _NAMES[0] is not corpus:
        capitalised: set[str] = set()
        lower: set[str] = set()
        for paragraph in (p for a in corpus.articles for p in a.paragraphs):
            capitalised.update(m.lower() for m in _CAPITALISED.findall(paragraph.text))
            lower.update(_LOWER.findall(paragraph.text))
        names = set(tokenizer.tokens(" ".join(sorted(capitalised - lower))))
        names -= set(tokenizer.tokens(" ".join(sorted(lower))))
        _NAMES = (corpus, frozenset(names))
    return _NAMES[1]


def is_name(corpus: Corpus, tokenizer: Tokenizer, word: str) -> bool:
    """Whether ``word`` is one of the articles' names, accents aside ("pacifico" for
    "Pacífico"): a question's names say nothing of the language it is in."""
    return any(
        without_accents(t) in _plain_names(corpus, tokenizer) for t in tokenizer.tokens(word)
    )


def _plain_names(corpus: Corpus, tokenizer: Tokenizer) -> frozenset[str]:
    global _PLAIN
    if _PLAIN is None or _PLAIN[0] is not corpus:
        _PLAIN = (corpus, frozenset(without_accents(n) for n in name_stems(corpus, tokenizer)))
    return _PLAIN[1]


def names_elsewhere(
    corpus: Corpus, tokenizer: Tokenizer, tokens: Iterable[str], article_id: str
) -> bool:
    """Whether the question's ``tokens`` hold names some article has, none of them in
    ``article_id``'s: an answer from that article is about something else."""
    names = name_stems(corpus, tokenizer)
    held = [_holders(corpus, names, t) for t in dict.fromkeys(tokens) if t in names]
    held = [owners for owners in held if owners]
    return bool(held) and not any(article_id in owners for owners in held)


def name_holders(corpus: Corpus, tokenizer: Tokenizer, token: str) -> frozenset[str]:
    """The articles holding ``token`` in some form when it is one of their names (:func:`_holders`:
    "russian" is held by an article on Russia); none otherwise."""
    names = name_stems(corpus, tokenizer)
    return _holders(corpus, names, token) if token in names else frozenset()


def _holders(corpus: Corpus, names: frozenset[str], name: str) -> frozenset[str]:
    """The articles holding ``name`` or a name it extends or is extended by ("chilean" and
    "chile": an article on Chile names what "the Chilean government" asks about)."""
    family = {name}
    if len(name) >= MIN_PREFIX:
        family |= {name[:end] for end in range(MIN_PREFIX, len(name))} & names
        ordered = _sorted_names(names)
        at = bisect_left(ordered, name)
        while at < len(ordered) and ordered[at].startswith(name):
            family.add(ordered[at])
            at += 1
    return frozenset().union(*(corpus.articles_with(t) for t in family))


_SORTED: tuple[frozenset[str], tuple[str, ...]] | None = None  # the names in order, once


def _sorted_names(names: frozenset[str]) -> tuple[str, ...]:
    global _SORTED
    if _SORTED is None or _SORTED[0] is not names:
        _SORTED = (names, tuple(sorted(names)))
    return _SORTED[1]
