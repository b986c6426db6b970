"""Plain records passed between the pipeline steps.

They are frozen dataclasses so an index built in a worker thread can be shared
with the serving side without anybody mutating it underneath a reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The longest question anything takes: the engine, the question log, a server's setting.
MAX_QUESTION_CHARS = 1000
STANDFIRST = 0  # the paragraph number of the publisher's summary, before the body's 1, 2, …


def paragraph_place(number: int) -> str:
    """Paragraph ``number`` as a reader sees it: "paragraph 3", or "the summary paragraph"."""
    return "the summary paragraph" if number == STANDFIRST else f"paragraph {number}"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence, exactly as it appears in the article body.

    ``start``/``end`` are character offsets into the paragraph text, so a
    citation can be checked against the source (SQuAD scoring relies on it).
    """

    id: str
    article_id: str
    paragraph: int  # 1-based paragraph number inside the article body (0: the standfirst)
    position: int  # 0-based index of the sentence inside the article body (-1: the standfirst)
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    id: str
    number: int  # 1-based
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article.

    ``summary`` is the publisher's summary paragraph of the seed format. It is
    kept apart from the body on purpose: it is never indexed, and a summary of a length
    asked for never holds it, so it can serve as a held-out reference for summary
    evaluation. ``standfirst`` is that paragraph as paragraph :data:`STANDFIRST` (0) when
    it tells what the body does not (None when every sentence of it is in the body): the
    reader reads it beside the body's paragraphs, so a fact given only there is found, and
    it opens the article's default summary. ``source`` is
    the ``Original Source:`` value; ``added_at`` (ISO time), ``author`` and
    ``published`` come from the metadata lines after it, which an article added
    by link or upload carries so that its file alone says where it came from.
    None of them is in ``content_hash``: they are not indexed text.
    """

    id: str
    title: str
    source_path: str
    content_hash: str
    paragraphs: tuple[Paragraph, ...]
    summary: str = ""
    source: str = ""
    external_id: str = ""
    added_at: str = ""
    author: str = ""
    published: str = ""
    standfirst: Paragraph | None = None

    def paragraph(self, number: int) -> Paragraph:
        """Paragraph ``number`` of the body (1-based), or the standfirst for :data:`STANDFIRST`."""
        if number == STANDFIRST and self.standfirst is not None:
            return self.standfirst
        if not 1 <= number <= len(self.paragraphs):
            raise IndexError(f"“{self.title}” has no paragraph {number}")
        return self.paragraphs[number - 1]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    @property
    def sentence_count(self) -> int:
        return sum(len(p.sentences) for p in self.paragraphs)

    @property
    def headline(self) -> str:
        """The title, or "" when the article has none of its own (its title is its id)."""
        title = self.title.strip()
        return "" if title == self.id else title


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrieval unit: a short run of consecutive sentences of one article."""

    id: str
    article_id: str
    sentence_ids: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file that could not be loaded, with a reason a person can act on."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    article_id: str
    article_title: str
    paragraph: int
    sentence_id: str
    text: str
    score: float
    context: str | None = None  # the sentence before, when ``text`` leans on it ("it", "the X")

    @property
    def place(self) -> str:
        """Where the quote is, as a reader sees it (:func:`paragraph_place`)."""
        return paragraph_place(self.paragraph)

    def to_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "article_id": self.article_id,
            "article_title": self.article_title,
            "paragraph": self.paragraph,
            "sentence_id": self.sentence_id,
            "text": self.text,
            "score": round(self.score, 6),
            "context": self.context,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine says about a question.

    ``found`` is False for a refusal; then ``answer`` is None and
    ``citations`` hold the closest passages as a lead, not as support.
    ``confidence`` is the calibrated probability that the answer is right;
    ``found`` is True exactly when it reaches the engine's threshold.
    ``respelled`` holds the (typed, read as) pairs of question words read as
    the articles' words (:mod:`index.spelling`); ``hint`` says what to try when
    no word of the question is in the articles; ``read_as`` is the question as
    read after the conversation's context (:mod:`index.followup`) and spelling,
    None when it was read as asked.
    """

    question: str
    found: bool
    answer: str | None
    answer_type: str
    confidence: float
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    elapsed_ms: float = 0.0
    article_id: str | None = None
    article_title: str | None = None
    answer_citation: int | None = None  # ``n`` of the citation the answer comes from
    reader_used: bool = True  # False: the reader could not load, the citations are all there is
    respelled: tuple[tuple[str, str], ...] = ()
    hint: str | None = None
    read_as: str | None = None  # the question as read (context, spelling); None: as asked

    @property
    def context_read(self) -> str | None:
        """``read_as`` when the conversation, not only the spelling, changed the question:
        the "Read as: ..." both front ends show, so a wrong reading is seen at once."""
        spelt = self.question
        for typed, read in self.respelled:
            spelt = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", read, spelt)
        return self.read_as if self.read_as not in (None, spelt) else None

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "answer_type": self.answer_type,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_json() for c in self.citations],
            "elapsed_ms": round(self.elapsed_ms, 3),
            "article_id": self.article_id,
            "article_title": self.article_title,
            "answer_citation": self.answer_citation,
            "reader_used": self.reader_used,
            "respelled": [{"typed": t, "read_as": r} for t, r in self.respelled],
            "hint": self.hint,
            "read_as": self.read_as,
        }
