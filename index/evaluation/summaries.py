"""Scoring summaries with ROUGE against reference summaries, beside Lead-3.

The data set format is JSON lines with ``id``, ``article`` (the raw text as
one string, as CNN/DailyMail ships it) and ``summary`` (the reference, one
sentence per line). Each article goes through the loader's own paragraph and
sentence splitting, so the summariser and Lead-3 choose from exactly the same
sentences. Scores are ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 from ``rouge-score``
with ``use_stemmer=True``, the candidate's sentences separated by newlines,
averaged over articles and reported from 0 to 100.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.evaluation.jsonlines import numbered_rows
from index.loader import article_from_text
from index.records import Article, Sentence
from index.summarize import summarize

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
# Plain summary-level ROUGE-L, also computed: the seed target is stated in it.
ALL_TYPES = (*ROUGE_TYPES, "rougeL")
EVAL_SENTENCES = 3

# Page furniture that news sites leave inside article text. Each pattern is a
# generic marker of the publishing template, never the wording of one story;
# the text on either side becomes separate paragraphs.
_BOILERPLATE = re.compile(
    r"""
      \bscroll\s+down\s+for\s+(?:the\s+)?(?:video|more)s?\b\.?
    | \bclick\s+here\s+(?:for|to)\b[^.!?]*[.!?]?
    | \bWATCH\s+THE\s+VIDEO\b\.?
    | \bvideo\s+courtesy\s+of\s+[^.]*\.
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "By . Jane Doe . PUBLISHED: 10:07 EST, 1 May 2013 . | . UPDATED: ..." (older Daily Mail pages).
_BYLINE = re.compile(
    r"""^\s*(?:by\s*\.\s*.{0,80}?\s*\.\s*)?
        (?:published:\s*.{0,60}?\|\s*\.?\s*updated:\s*.{0,60}?\d{4}\s*\.\s*)""",
    re.IGNORECASE | re.VERBOSE,
)
_LAST_UPDATED = re.compile(r"^\s*last\s+updated\s+at\s+.{0,40}?\d{4}\s*\.\s*", re.IGNORECASE)
_DATELINE = re.compile(r"^\s*(?:[A-Z][\w .,'-]{0,60})?\(CNN\)\s*(?:--\s*)?")
# Picture captions run into the next sentence without a full stop ("... in the
# crowd The manager said"): a lower-case word or closing quote directly followed
# by a capitalised sentence opener and a lower-case word marks the lost boundary.
_RUN_ON = re.compile(
    r"(?<=[a-z0-9%)'’\"”])\s+(?=(?:The|A|An|He|She|They|It|His|Her|Their|This|These|But)\s+[a-z])"
)
# ``text . Next`` left by paragraph joins in the raw files.
_SPACED_STOP = re.compile(r"\s+\.\s+(?=[A-Z\"'‘“])")


class SummaryDataError(ValueError):
    """A data file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    article: str
    summary: str


@dataclass(frozen=True, slots=True)
class Scores:
    rouge1: float
    rouge2: float
    rougeLsum: float
    rougeL: float = 0.0

    def to_json(self, with_rouge_l: bool = False) -> dict[str, float]:
        names = ALL_TYPES if with_rouge_l else ROUGE_TYPES
        return {name: round(getattr(self, name), 2) for name in names}

    def minus(self, other: Scores) -> Scores:
        return Scores(*(getattr(self, n) - getattr(other, n) for n in ALL_TYPES))


@dataclass(frozen=True, slots=True)
class Prediction:
    id: str
    system: tuple[str, ...]
    lead: tuple[str, ...]
    reference: str


@dataclass(frozen=True, slots=True)
class Report:
    articles: int
    system: Scores
    lead3: Scores
    predictions: tuple[Prediction, ...]

    @property
    def delta(self) -> Scores:
        return self.system.minus(self.lead3)

    def to_json(self, with_rouge_l: bool = False) -> dict[str, object]:
        return {
            "articles": self.articles,
            "system": self.system.to_json(with_rouge_l),
            "lead3": self.lead3.to_json(with_rouge_l),
            "delta": self.delta.to_json(with_rouge_l),
        }


def read_examples(path: str | Path) -> list[Example]:
    """Read a JSON-lines data set; raises :class:`SummaryDataError` with the line at fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SummaryDataError(f"{path}: file not found") from exc
    except IsADirectoryError as exc:
        raise SummaryDataError(f"{path}: is a folder, not a JSON-lines file") from exc
    except UnicodeDecodeError as exc:
        raise SummaryDataError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise SummaryDataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    examples: list[Example] = []

    def not_json(number: int, message: str) -> SummaryDataError:
        return SummaryDataError(f"{path}, line {number}: not valid JSON ({message})")

    for number, row in numbered_rows(text, not_json):
        if not isinstance(row, dict):
            raise SummaryDataError(f"{path}, line {number}: expected a JSON object")
        missing = [k for k in ("article", "summary") if not isinstance(row.get(k), str)]
        if missing:
            raise SummaryDataError(
                f"{path}, line {number}: needs text fields 'article' and 'summary'"
                f" (missing {', '.join(missing)})"
            )
        if not row["article"].strip():
            raise SummaryDataError(f"{path}, line {number}: the article is empty")
        examples.append(Example(str(row.get("id", number)), row["article"], row["summary"]))
    if not examples:
        raise SummaryDataError(f"{path}: no articles in the file")
    return examples


def clean_paragraphs(raw: str) -> list[str]:
    """Split one raw article string into paragraphs, dropping template boilerplate."""
    text = raw.replace("\u00a0", " ")
    text = _BYLINE.sub("", text, count=1)
    text = _LAST_UPDATED.sub("", text, count=1)
    text = _DATELINE.sub("", text, count=1)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        for piece in (p for part in _BOILERPLATE.split(block) for p in _RUN_ON.split(part)):
            piece = _SPACED_STOP.sub(". ", " ".join(piece.split())).strip()
            if any(ch.isalnum() for ch in piece):
                paragraphs.append(piece)
    return paragraphs


def article_from_raw(article_id: str, raw: str) -> Article:
    return article_from_text(article_id, article_id, clean_paragraphs(raw))


def lead(article: Article, count: int = EVAL_SENTENCES) -> tuple[Sentence, ...]:
    return article.sentences[:count]


Summariser = Callable[[Article, int], Sequence[Sentence]]


def system_summary(article: Article, count: int = EVAL_SENTENCES) -> tuple[Sentence, ...]:
    return summarize(article, sentences=count).sentences


class RougeScorer:
    """ROUGE-1/2/Lsum F1 with the stemmer, as the data set's README prescribes."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer  # imported lazily: slow, and only needed here

        self._scorer = rouge_scorer.RougeScorer(list(ALL_TYPES), use_stemmer=True)

    def score(self, reference: str, sentences: Iterable[str]) -> Scores:
        candidate = "\n".join(" ".join(s.split()) for s in sentences)
        result = self._scorer.score(reference.strip(), candidate)
        return Scores(*(100 * result[name].fmeasure for name in ALL_TYPES))


def mean(scores: Sequence[Scores]) -> Scores:
    if not scores:
        return Scores(0.0, 0.0, 0.0)
    return Scores(*(sum(getattr(s, n) for s in scores) / len(scores) for n in ALL_TYPES))


def evaluate(
    pairs: Iterable[tuple[Article, str]],
    summariser: Summariser = system_summary,
    count: int = EVAL_SENTENCES,
    scorer: RougeScorer | None = None,
) -> Report:
    """Score ``summariser`` and Lead-``count`` on (article, reference) pairs."""
    scorer = scorer or RougeScorer()
    system: list[Scores] = []
    leads: list[Scores] = []
    predictions: list[Prediction] = []
    for article, reference in pairs:
        chosen = tuple(s.text for s in summariser(article, count))
        first = tuple(s.text for s in lead(article, count))
        system.append(scorer.score(reference, chosen))
        leads.append(scorer.score(reference, first))
        predictions.append(Prediction(article.id, chosen, first, reference))
    return Report(len(predictions), mean(system), mean(leads), tuple(predictions))


def dataset_pairs(examples: Iterable[Example]) -> Iterator[tuple[Article, str]]:
    for example in examples:
        article = article_from_raw(example.id, example.article)
        if not article.sentences:
            raise SummaryDataError(f"article {example.id}: no sentences left to summarise")
        yield article, example.summary


def seed_pairs(articles: Iterable[Article]) -> Iterator[tuple[Article, str]]:
    """Seed articles with their publisher's summary as the reference (body only as input)."""
    for article in articles:
        if article.summary.strip():
            yield article, sentences_per_line(article.summary)


def sentences_per_line(text: str) -> str:
    """A reference paragraph with one sentence per line, as ROUGE-Lsum expects."""
    from index.sentences import split_sentences

    return "\n".join(text[a:b] for a, b in split_sentences(text))


def write_predictions(path: str | Path, predictions: Iterable[Prediction]) -> None:
    with Path(path).open("w", encoding="utf-8") as out:
        for p in predictions:
            out.write(json.dumps({"id": p.id, "summary": "\n".join(p.system)}, ensure_ascii=False))
            out.write("\n")
