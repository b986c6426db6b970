"""Sentence splitting.

syntok finds the sentences, and a few rules correct the ends it gets wrong in English
news and Wikipedia text (each measured against BlingFire, the splitter before it, in
docs/operations.md; ``benchmarks/splitter_compare.py`` shows every difference). The
spans are cut from the original text between the starts of consecutive sentences, so
``text[start:end]`` is always exact, whatever syntok does to its tokens.
"""

from __future__ import annotations

import re

from syntok import segmenter

_CITATION_MARK = re.compile(r"^\[[^\]]{1,30}\]$")

_NEXT = r"(?=\s+[\"“‘(]?[A-Z0-9])"  # white space, then a capital letter or a digit
# Sentence ends syntok misses. Each pattern matches the end of a sentence.
_MISSED_ENDS = re.compile(
    "(?:"
    # syntok skips bracketed text, and so misses an end inside a bracket, "(as it did.) Next",
    # before a citation mark, "in 2006.[1] Next", 'the "renewal".[2] Next', or after two
    # bracketed parts in a row, "(1700-21) (in Sweden). Next"
    r"(?:(?<=\w\w[.!?])|(?<=[\"”’)][.!?]))[\"”’']?(?:\)|(?:\[[^\]\n]{1,30}\])+)"
    r"|(?<=\))[.!?]"
    # a bracketed omission mark in a quotation, "it [...] Next"
    r"|\[(?:\.\.\.|…)\]|\((?:\.\.\.|…)\)"
    # a quotation inside a quotation closing together, "she said: "Why?"' Next"
    r"|(?<=[.!?])[\"”][’']"
    # a number with a decimal point, which syntok takes for an abbreviation, "rated 99.4. Next"
    r"|(?<=\d\.\d)\d*\."
    # after a full stop syntok splits before a capitalised word only when it is on its list of
    # sentence starters ("The", "It", "However"...), which lacks the subject pronouns and a few
    # other openers: "World War II. Then", "Washington, D.C. He", "etc. While"; no abbreviation
    # comes before these words
    r"|(?<=[.!?])[\"”’')\]]*(?=\s+(?:He|She|They|We|You|There|These|Those|Then|When|While|But)\b)"
    ")" + _NEXT
)
# Titles before a name that syntok's list of abbreviations (Dr, Mr, Gen, Capt, Col, Sen...)
# lacks: the others AP style abbreviates, "Gov. Andrew Cuomo", "Master Sgt. Corine Lombardo",
# and the Indian press's "Sh. P. Rajeev", "Smt. Sonia Gandhi".
_TITLE = re.compile(r"\b(?:Gov|Rep|Rev|Lt|Sgt|Cpl|Pvt|Pfc|Spc|Maj|Cmdr|Sh|Smt|Shri)\.$")
# What a sentence can end with: its final punctuation, closing quotes and brackets.
_FINAL = re.compile(r"[.!?…\"”’'»)\]]$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character spans of the sentences of ``text``.

    Spans index into ``text`` itself, so ``text[start:end]`` is the exact
    sentence. Stray fragments such as ``[citation needed]`` are merged into
    the sentence before them.
    """
    if not text.strip():
        return []
    starts = sorted({0, *_syntok_starts(text), *(m.end() for m in _MISSED_ENDS.finditer(text))})
    return _finish(text, list(zip(starts, [*starts[1:], len(text)], strict=True)))


def _syntok_starts(text: str) -> list[int]:
    """Where syntok's sentences start, less the starts that are not ends of sentences."""
    starts: list[int] = []
    # syntok knows the three-dot ellipsis but not the one-character "…": read it as a full
    # stop (one character for one, so the offsets stay those of ``text``).
    for paragraph in segmenter.analyze(text.replace("…", ".")):
        for number, sentence in enumerate(paragraph):
            first = next((token for token in sentence if token.value), None)
            if first is None:
                continue
            if number == 0:  # a paragraph (after a blank line) starts a sentence
                starts.append(first.offset)
                continue
            end = first.offset
            while end > 0 and text[end - 1].isspace():
                end -= 1
            before = text[max(0, end - 12) : end]
            # No sentence ends without final punctuation (syntok may split before a long
            # bracket), at a semicolon (it joins clauses; syntok ends one there) or at a title.
            if _FINAL.search(before) and not _TITLE.search(before):
                starts.append(first.offset)
    return starts


def _finish(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge stray fragments into the sentence before them; trim white space."""
    spans: list[tuple[int, int]] = []
    for start, end in pieces:
        piece = text[start:end].strip()
        if not piece:
            continue
        if spans and (_CITATION_MARK.match(piece) or not any(ch.isalnum() for ch in piece)):
            spans[-1] = (spans[-1][0], end)
            continue
        spans.append((start, end))
    return [_strip_span(text, a, b) for a, b in spans]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + len(piece.rstrip())
