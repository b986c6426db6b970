"""The question-answering engine: retrieve, then read, then compose the answer.

:meth:`Engine.ask` cleans the question, ranks the sentences of the best BM25
chunks (:mod:`index.ranking`), picks the paragraphs closest to it by those scores
and by meaning (:mod:`index.passages`), reads them with the trained reader
(:mod:`index.reader`), and answers with the reader's span
when its calibrated confidence (:mod:`index.confidence`) reaches
``REFUSAL_THRESHOLD``; otherwise it refuses with the closest passages. The
corpus it serves (:mod:`index.corpus`) is swapped whole on a reindex.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.article_choice import article_at, listed_place, most_holding
from index.attribution import never_quoted
from index.citing import MAX_CITATIONS, citation, openings, sentence_at
from index.confidence import REFUSAL_THRESHOLD, Calibration
from index.corpus import Corpus
from index.embedding import Embedder, shared_embedder
from index.gist import Gist, account_subject, asks_for_gist, names_article, newest_first
from index.names import is_name, names_elsewhere
from index.passages import by_words, by_words_and_meaning
from index.question_input import QuestionError, clean_question
from index.question_language import load_identifier
from index.question_types import YES_NO, Question
from index.ranking import Scored, SentenceRanker, best_article
from index.reader import (
    CALIBRATION_FILE,
    MODEL_DIR,
    TOKENIZER_FILE,
    Reader,
    Span,
    shared_reader,
)
from index.records import Answer, Paragraph
from index.spelling import Respelling, Vocabulary, english_words, respell
from index.standfirst import closest_standfirst, holding_standfirst
from index.tokenize import Tokenizer, default_tokenizer

READ_PASSAGES = 3  # paragraphs the reader reads per question (docs/evaluation.md, "Reader")
# The least confidence for an answer from the publisher's summary paragraph: a dense paragraph
# gives the reader few rivals, so its spans come surer than they are (docs/evaluation.md,
# "The publisher's summary"; chosen on the training split and its own questions).
STANDFIRST_THRESHOLD = 0.5


# An article named, then a subject within it: "the wildfire article about the plants".
_WITHIN = re.compile(
    r"^(?P<article>(?:the|that)\s+.+?\s+(?:article|story|piece|one))\s+(?:about|on)\s+(?P<topic>.+)$",
    re.IGNORECASE,
)
YES_NO_HINT = "I can't answer yes or no in a word; the passages closest to the question:"
_BRACKETED = re.compile(r"\([^()]*\)")  # the words a follow-up carries, read in brackets


@dataclass(frozen=True, slots=True)
class Reading:
    """The ranked sentences, the paragraphs read (article id, paragraph) and the spans found.

    ``span`` is the best of ``spans`` (one per passage that has one) by its
    margin over its window's "no answer" score.
    """

    ranked: tuple[Scored, ...]
    passages: tuple[tuple[str, Paragraph], ...]
    span: Span | None
    spans: tuple[Span, ...] = ()
    closeness: float = 0.0  # the question's cosine with the sentence holding ``span`` (0: none)

    def features(self) -> dict[str, float]:
        """The signals :class:`index.confidence.Calibration` may weigh (``span`` must be set).

        ``margin``: the best span over its own window's "no answer";
        ``rival``: the best margin another passage offers (a competing answer
        elsewhere, the "nearby number of another paragraph" error; -10 when
        none); ``pooled``: the best span's score over "no answer" pooled over
        every passage read, as one choice over the whole set; ``closeness``:
        how close in meaning the sentence holding the span is to the question.
        """
        assert self.span is not None
        best = self.span
        others = [s.margin for s in self.spans if s.passage != best.passage]
        nulls = np.array([s.null for s in self.spans] or [best.null])
        pooled_null = float(nulls.max() + np.log(np.exp(nulls - nulls.max()).sum()))
        return {
            "margin": best.margin,
            "rival": max(max(others, default=-10.0), -10.0),
            "pooled": best.score - pooled_null,
            "closeness": self.closeness,
        }


class Engine:
    """Retrieve, then read: BM25 ranks sentences, the reader answers from their paragraphs.

    ``model_dir`` is the reader's folder (None: the shipped model, ``MODEL_DIR``),
    loaded once per process; when it cannot load, ``reader`` is None,
    ``reader_problem`` says why and every question gets the closest passages only.
    """

    def __init__(
        self,
        corpus: Corpus,
        tokenizer: Tokenizer | None = None,
        *,
        model_dir: Path | None = None,
        meaning: bool = True,
    ) -> None:
        self.corpus = corpus
        self.tokenizer = tokenizer or default_tokenizer()
        model_dir = model_dir or MODEL_DIR
        loaded = shared_reader(model_dir)
        self.reader: Reader | None = loaded if isinstance(loaded, Reader) else None
        self.reader_problem: str | None = None if self.reader else str(loaded)
        self.calibration = Calibration.load(model_dir / CALIBRATION_FILE)
        self.ranker = SentenceRanker(self.tokenizer)
        self._english_file = model_dir / TOKENIZER_FILE
        self._spelling: tuple[Corpus, Vocabulary] | None = None
        # Paragraphs are picked by meaning too, when the embedder loads (else by BM25 alone).
        self.embedder: Embedder | None = shared_embedder() if meaning else None
        corpus.paragraph_index(self.tokenizer)  # built now, not by the first question
        if self.embedder is not None:
            corpus.sentence_vectors(self.embedder)  # likewise
        load_identifier()  # likewise the language model (0.6 s, once per process)

    @property
    def english(self) -> frozenset[str]:
        """Real English words, never read as slips; read at the first question, not at start,
        so a restart from a saved index tokenises nothing."""
        return english_words(self._english_file, self.tokenizer)

    def swap(self, corpus: Corpus) -> Corpus:
        """Serve ``corpus`` from now on; returns the previous one."""
        old, self.corpus = self.corpus, corpus
        return old

    def check(self, question: str) -> str:
        """The question's words, cleaned (:func:`clean_question`), or a :class:`QuestionError`.

        A front end checks a question before it commits to answering (Discord
        must acknowledge a command within 3 s) and hands the checked text to
        :meth:`answer`, so a question is cleaned once.
        """
        corpus = self.corpus
        return clean_question(question, lambda word: is_name(corpus, self.tokenizer, word))

    def ask(
        self,
        question: str,
        article_id: str | None = None,
        *,
        threshold: float = REFUSAL_THRESHOLD,
    ) -> Answer:
        """Answer ``question``, its misspelt words read as the articles' (``Answer.respelled``)."""
        return self.answer(self.check(question), article_id, threshold=threshold)

    def answer(
        self,
        text: str,
        article_id: str | None = None,
        *,
        threshold: float = REFUSAL_THRESHOLD,
        respelled: tuple[Respelling, ...] | None = None,
        context: str = "",
    ) -> Answer:
        """Answer a question :meth:`check` has cleaned.

        ``threshold`` is the confidence the answer must reach, else the engine
        refuses with the closest passages (a server may set a stricter one than
        ``REFUSAL_THRESHOLD``): the decision to answer is a call parameter, as
        in Hugging Face's QA pipeline, and it is made here only.
        ``respelled``: ``text`` was already read by :meth:`respell`, which found
        these slips (a line is respelled once). ``context``: words of the
        conversation searched with the question (as answer-type words count,
        for less), never shown to the reader, which reads ``text`` alone.
        """
        started = time.perf_counter()
        corpus = self.corpus  # one snapshot for the whole question
        if respelled is None:
            read, respelled = self.respell(text)
        else:
            read = text
        asked = Question.of(read, self.tokenizer)
        carried = tuple(
            dict.fromkeys(t for t in self.tokenizer.tokens(context) if t not in asked.query)
        )
        if carried:
            asked = replace(
                asked, query=asked.query + carried, fillers=asked.fillers | set(carried)
            )
        reading = self._read(corpus, asked, article_id)
        confidence = self._confidence(reading)
        # no word in any body: the standfirst holding the question's words, read and quoted
        held = (
            None
            if reading.ranked
            else holding_standfirst(corpus, asked.query, self.tokenizer, article_id)
        )
        if confidence < threshold:  # the publisher's summary, never over the body
            fuller = self._with_standfirst(corpus, asked, reading, held)
            surer = self._confidence(fuller) if fuller is not None else 0.0
            if fuller is not None and surer >= max(threshold, STANDFIRST_THRESHOLD):
                reading, confidence = fuller, surer
        answer = self._compose(corpus, asked, reading, confidence, threshold)
        if not reading.ranked and not answer.found:  # the standfirst, not "no word … is in them"
            answer = closest_standfirst(corpus, answer, held) or openings(
                corpus, answer, read, article_id
            )
        elapsed = (time.perf_counter() - started) * 1000
        return replace(
            answer,
            question=text,
            respelled=tuple((r.typed, r.read_as) for r in respelled),
            read_as=read if read != text else None,
            elapsed_ms=elapsed,
        )

    def respell(self, text: str) -> tuple[str, tuple[Respelling, ...]]:
        """``text`` with its slips read as the articles' words (:func:`index.spelling.respell`)."""
        return respell(text, self.vocabulary(self.corpus), self.english)

    def read(self, question: str, article_id: str | None = None) -> Reading:
        """What :meth:`ask` decides on, before the decision (calibration and diagnostics)."""
        text, _ = respell(clean_question(question), self.vocabulary(self.corpus), self.english)
        return self._read(self.corpus, Question.of(text, self.tokenizer), article_id)

    def gist(self, line: str, article_id: str | None = None) -> Gist | None:
        """What a line with nothing to search asks for (:mod:`index.gist`), or None to :meth:`ask`.

        The summary is of ``article_id``'s article or of the only one; with
        several and none given, the choice of them, newest first. A line
        :meth:`ask` would turn away (no words, too long, not English) is left to it.
        """
        try:
            text = self.check(line)
        except QuestionError:
            return None
        return self.gist_of(text, article_id)

    def gist_of(
        self,
        text: str,
        article_id: str | None = None,
        *,
        respelled: bool = False,
        about: str | None = None,
    ) -> Gist | None:
        """:meth:`gist` of a line :meth:`check` has cleaned (``respelled``: and :meth:`respell`).

        ``about``: the subject the conversation gives the line ("what happened?" after a
        question, "and the drones?" after a summary: :mod:`index.followup`): the line asks
        for an account of it, as "tell me about …" would."""
        corpus = self.corpus
        if about:
            return self._account_of(corpus, about, article_id)
        vocabulary = self.vocabulary(corpus)
        text = text if respelled else self.respell(text)[0]
        kind = asks_for_gist(text, vocabulary.knows)
        subject = account_subject(text, self.english)  # "tell me about the strike"
        if kind is None or (subject is not None and listed_place(subject) is not None):
            # an account: of the article named ("the chess story", "the 2nd one"), else on the
            # subject, from ``article_id``'s article or the one it ranks first in; None: a question
            return None if subject is None else self._account_of(corpus, subject, article_id)
        if kind != "summary":
            return Gist(kind)  # a greeting or a thank-you
        if article_id or len(corpus.articles) == 1:
            return Gist("summary", (corpus.article(article_id or corpus.articles[0].id),))
        return Gist("choose", tuple(newest_first(corpus.articles)))

    def _account_of(self, corpus: Corpus, subject: str, article_id: str | None) -> Gist | None:
        # "article 5", "the second one", "summarize #2": the listing's, as `summary 2` reads it
        listed = article_at(corpus.articles, f"#{subject}" if subject.isdigit() else subject)
        if listed is not None:
            return Gist("summary", (listed,))
        within = _WITHIN.match(subject)  # "the wildfire article about the plants"
        if within and not article_id:
            found = self._account_of(corpus, within["article"], None)
            if found is not None and found.articles:
                return self._account_of(corpus, within["topic"], found.articles[0].id)
        if not article_id and len(corpus.articles) > 1:
            ranked = self.ranker.rank(corpus, Question.of(subject, self.tokenizer), None)
            words = self.tokenizer.tokens(subject)  # a headline alone may name it ("the wildfire")
            headed = (
                most_holding(corpus.articles, words, lambda a: a.headline, self.tokenizer)
                if not ranked or names_article(subject)
                else None
            )
            if ranked and headed is None:
                article_id = best_article(ranked)
            elif headed is not None:  # its headline names it: "the ahmed mohamed story"
                article_id = headed.id
            else:
                return None
        article = corpus.article(article_id or corpus.articles[0].id)
        return Gist("summary", (article,), None if names_article(subject) else subject)

    def vocabulary(self, corpus: Corpus) -> Vocabulary:
        """The words of ``corpus`` for reading slips, built once per corpus (a race builds twice)."""
        held = self._spelling
        if held is None or held[0] is not corpus:
            held = (corpus, Vocabulary.of(corpus.articles, self.tokenizer))
            self._spelling = held
        return held[1]

    def _read(self, corpus: Corpus, question: Question, article_id: str | None) -> Reading:
        ranked = self.ranker.rank(corpus, question, article_id) if question.query else []
        vectors, asked = None, None
        if self.embedder is None or not ranked:
            passages = by_words(corpus, ranked, READ_PASSAGES)
        else:
            vectors = corpus.sentence_vectors(self.embedder)
            asked = self.embedder.embed([question.text])[0]
            passages = by_words_and_meaning(
                corpus, ranked, vectors, asked, READ_PASSAGES, article_id
            )
        span, spans, closeness = None, [], 0.0
        if self.reader is not None and passages:
            spans = self.reader.read(question.text, [p.text for _, p in passages])
            span = max(spans, key=lambda s: s.margin, default=None)
        if span is not None and vectors is not None and asked is not None:
            article, paragraph = passages[span.passage]
            holder = paragraph.sentences.index(sentence_at(paragraph, span.start))
            closeness = float(vectors.row((article, paragraph.number), holder) @ asked)
        return Reading(tuple(ranked), tuple(passages), span, tuple(spans), closeness)

    def _with_standfirst(
        self, corpus: Corpus, question: Question, body: Reading, held: str | None
    ) -> Reading | None:
        """``body`` with the best article's standfirst (:attr:`Article.standfirst`) read too,
        when the reader's best span is there; read only when the body gives no answer, as the
        body is the full account and the standfirst its paraphrase, which rounds ("3,000"
        where the body says "more than 3,000"). ``held``: the article whose standfirst holds
        the question's words, read when the body offers no passage."""
        if self.reader is None:
            return None
        article_id = body.passages[0][0] if body.passages else held
        standfirst = corpus.article(article_id).standfirst if article_id else None
        if article_id is None or standfirst is None:
            return None
        found = self.reader.read(question.text, [standfirst.text])
        if not found or (body.span is not None and found[0].margin <= body.span.margin):
            return None
        best = replace(found[0], passage=len(body.passages))
        closeness = 0.0
        if self.embedder is not None and body.ranked:
            held = sentence_at(standfirst, best.start).text
            asked = self.embedder.embed([question.text])[0]  # each alone, as stored vectors are
            closeness = float(self.embedder.embed([held])[0] @ asked)
        passages = (*body.passages, (article_id, standfirst))
        return Reading(body.ranked, passages, best, (*body.spans, best), closeness)

    def _compose(
        self,
        corpus: Corpus,
        question: Question,
        reading: Reading,
        confidence: float,
        threshold: float,
    ) -> Answer:
        """Read the best passages and answer with the reader's span, or refuse.

        The answer is the best span the reader finds across the passages (by its margin over
        the window's "no answer" score); ``confidence`` (:meth:`_confidence`) is the
        probability that it is right, and the engine answers only at ``threshold`` or above, a
        question for someone's words only from an article that reports them speaking
        (:func:`index.attribution.never_quoted`: "what did the minister say?" was answered
        with the words of the MP who would ask him), and from an article that names what was
        asked about (:func:`index.names.names_elsewhere`). Without a reader (it could not
        load) every question gets the closest passages.
        """
        ranked, passages, span = reading.ranked, reading.passages, reading.span
        citations = [citation(corpus, n, s) for n, s in enumerate(ranked[:MAX_CITATIONS], 1)]
        if (  # "what did X say?" when X never speaks, "the ceo of cobres" from another article
            span is not None
            and confidence >= threshold
            and self._elsewhere(corpus, question, passages[span.passage][0])
        ):
            span = None
        if span is not None and confidence >= threshold and question.kind == YES_NO:
            # The reader picks spans, never yes or no ("short-range missiles" for "did North
            # Korea send troops?"): the passages, the sentence it read first.
            held = sentence_at(passages[span.passage][1], span.start)
            ranked = (Scored(held, span.margin, 1.0), *(s for s in ranked if s.sentence != held))
            citations = [citation(corpus, n, s) for n, s in enumerate(ranked[:MAX_CITATIONS], 1)]
            span = None
        if span is None or confidence < threshold:
            lead = ranked[0].sentence if ranked else None
            return Answer(
                question=question.text,
                found=False,
                answer=None,
                answer_type=question.kind,
                confidence=confidence,
                citations=tuple(citations),
                article_id=lead.article_id if lead else None,
                article_title=corpus.article(lead.article_id).title if lead else None,
                reader_used=self.reader is not None,
                hint=YES_NO_HINT if question.kind == YES_NO and citations else None,
            )
        article_id, paragraph = passages[span.passage]
        holder = sentence_at(paragraph, span.start)
        support = Scored(holder, span.margin, 1.0)
        # Only the answer's own article supports it: another's sentences read as noise.
        others = [
            s for s in ranked if s.sentence.id != holder.id and s.sentence.article_id == article_id
        ][: MAX_CITATIONS - 1]
        cited = [citation(corpus, n, s) for n, s in enumerate([support, *others], 1)]
        return Answer(
            question=question.text,
            found=True,
            answer=span.text.strip(),
            answer_type=question.kind,
            confidence=confidence,
            citations=tuple(cited),
            article_id=article_id,
            article_title=corpus.article(article_id).title,
            answer_citation=1,
        )

    def _confidence(self, reading: Reading) -> float:
        """The probability that ``reading``'s span is right (:class:`Calibration`); 0 without one."""
        return self.calibration.probability(reading.features()) if reading.span else 0.0

    def _elsewhere(self, corpus: Corpus, question: Question, article_id: str) -> bool:
        """Whether an answer from ``article_id`` would be about something else: the question
        asks for someone's words or reaction it never reports (:func:`never_quoted`: "what
        did the minister say?" was answered with the words of the MP who would ask him), or
        names what only other articles name (:func:`names_elsewhere`: "who is the ceo of
        cobres?" was answered with another company's chief executive)."""
        article = corpus.article(article_id)
        if never_quoted([s.text for s in article.sentences], question.text):
            return True
        return names_elsewhere(
            corpus, self.tokenizer, _own_words(question, self.tokenizer), article_id
        )


def _own_words(question: Question, tokenizer: Tokenizer) -> set[str]:
    """The tokens of the question as typed: not the words a follow-up carries in brackets
    ("where did he write that (senator said …)?"), nor those naming the answer's kind."""
    return set(tokenizer.tokens(_BRACKETED.sub(" ", question.text))) - question.fillers
