"""The trained reader: finds the answer span in a few passages, or says there is none.

A fine-tuned all-MiniLM-L6-v2 (see ``index/reader_model/MODEL.md`` and
``training/``) exported to int8 ONNX. For each (question, passage) pair it
scores every token as the start and the end of the answer; the [CLS] token's
start + end score is the "no answer" score. Post-processing follows Hugging
Face's ``postprocess_qa_predictions``: passages longer than one window are
read in overlapping windows, spans that leave the passage, run backwards or
are longer than ``MAX_ANSWER_TOKENS`` are dropped, and the best span of each
passage is kept with its window's null score.

Each window goes through the model on its own: with int8 dynamic
quantisation an activation's scale is taken over the whole batch, so batched
windows (and their padding) changed each other's scores and a question's
answer depended on what it was read with; alone, a window always scores the
same, and on two cores it was also faster and held less memory than batches
of two, four or all (``benchmarks/reader_bench.py``). The ONNX session is created once per
process and shared (``run`` is thread-safe); the engine calls the reader from
its worker thread.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("reader_model")
MODEL_FILE = "reader.onnx"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "MODEL.md"
CALIBRATION_FILE = "calibration.json"
MAX_LENGTH = 256  # tokens per window, question included (as trained)
STRIDE = 96  # tokens shared by consecutive windows of one passage (as trained)
MAX_ANSWER_TOKENS = 30
MAX_WINDOWS = 16  # a bound on one question's batch, whatever the passages
# The question's share of a window at most (Hugging Face's max_query_length): a longer one
# left the passage fewer tokens than the stride, which the tokenizer refuses with a panic.
MAX_QUESTION_TOKENS = 64
_SHA256 = re.compile(r"SHA-256[^0-9a-f]*([0-9a-f]{64})", re.I)


class ReaderUnavailable(RuntimeError):
    """The model could not be loaded; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class Span:
    """The best answer span the reader found in one passage.

    ``start``/``end`` are character offsets into the passage text; ``score``
    is the span's start + end logit and ``null`` the [CLS] score of the
    window it was found in, so ``score - null`` says how much more the
    reader believes the span than "not in this window".
    """

    passage: int
    start: int
    end: int
    text: str
    score: float
    null: float

    @property
    def margin(self) -> float:
        return self.score - self.null


class Reader:
    """An int8 ONNX extractive reader with its WordPiece tokenizer."""

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = model_dir / MODEL_FILE
        verify_checksum(model, model_dir / CARD_FILE)
        try:
            tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        except Exception as exc:  # tokenizers raises a bare Exception on a bad file
            raise ReaderUnavailable(f"cannot read the reader's tokenizer: {exc}") from exc
        tokenizer.no_padding()
        tokenizer.enable_truncation(
            MAX_LENGTH, stride=STRIDE, strategy="only_second", direction="right"
        )
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Windows vary in shape: planning memory per shape only adds to what is kept.
        options.enable_mem_pattern = False
        # Idle threads sleep instead of spinning: spinning threads held the cores the
        # question's embedding ran on, and a SQuAD v1.1 dev question took 89 ms instead
        # of 64 (docs/evaluation.md, "Retrieval by meaning").
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's errors are not exported as one type
            raise ReaderUnavailable(f"cannot load the reader model {model.name}: {exc}") from exc
        self._tokenizer = tokenizer
        self._measure = Tokenizer.from_str(tokenizer.to_str())  # no truncation: the question's
        self._measure.no_truncation()  # own length (truncating, one sequence is an error)
        self._session = session
        self._inputs = {i.name for i in session.get_inputs()}

    def read(self, question: str, passages: Sequence[str]) -> list[Span]:
        """The best span of each passage that has one, in passage order."""
        if not passages:
            return []
        windows = self._windows(question, passages)
        if not windows:
            return []
        best: dict[int, Span] = {}
        for window in windows:
            start_logits, end_logits = self._logits(window)
            span = _best_span(window, start_logits, end_logits, passages)
            if span is not None and (
                span.passage not in best or span.margin > best[span.passage].margin
            ):
                best[span.passage] = span
        return [best[k] for k in sorted(best)]

    def _logits(self, window: _Window) -> tuple[npt.NDArray[np.float32], ...]:
        """Start and end logits of one window, read on its own (the module docstring says why)."""
        ids = np.array([window.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.array([window.types], dtype=np.int64)
        start_logits, end_logits = self._session.run(None, feed)
        return start_logits[0], end_logits[0]

    def _windows(self, question: str, passages: Sequence[str]) -> list[_Window]:
        windows: list[_Window] = []
        question = self._bounded(as_trained(question))
        # Truncation is set once in __init__, so threads can share the tokenizer unguarded.
        encodings = self._tokenizer.encode_batch([(question, p) for p in passages])
        for passage, encoding in enumerate(encodings):
            for piece in [encoding, *encoding.overflowing]:
                if len(windows) == MAX_WINDOWS:
                    return windows
                windows.append(_Window.of(passage, piece))
        return windows

    def _bounded(self, question: str) -> str:
        """``question`` cut after its first :data:`MAX_QUESTION_TOKENS` tokens."""
        offsets = self._measure.encode(question, add_special_tokens=False).offsets
        if len(offsets) <= MAX_QUESTION_TOKENS:
            return question
        return question[: offsets[MAX_QUESTION_TOKENS - 1][1]]


def as_trained(question: str) -> str:
    """The question as the training questions read: ending in a question mark.

    People type "how many troops were sent to Russia" where SQuAD asks "How many troops
    were sent?"; the mark alone moved that question's margin by about one point.
    """
    question = question.strip()
    return question if question.endswith("?") else question.rstrip(".!") + "?"


@dataclass(frozen=True, slots=True)
class _Window:
    passage: int
    ids: list[int]
    types: list[int]
    context: npt.NDArray[np.int64]  # token positions inside the passage
    offsets: list[tuple[int, int]]

    @classmethod
    def of(cls, passage: int, encoding: object) -> _Window:
        sequence = encoding.sequence_ids  # type: ignore[attr-defined]
        context = np.array([k for k, s in enumerate(sequence) if s == 1], dtype=np.int64)
        return cls(
            passage,
            list(encoding.ids),  # type: ignore[attr-defined]
            list(encoding.type_ids),  # type: ignore[attr-defined]
            context,
            list(encoding.offsets),  # type: ignore[attr-defined]
        )


def _best_span(
    window: _Window,
    start_logits: npt.NDArray[np.float32],
    end_logits: npt.NDArray[np.float32],
    passages: Sequence[str],
) -> Span | None:
    """The highest start + end pair inside the passage, at most MAX_ANSWER_TOKENS long."""
    if window.context.size == 0:
        return None
    starts = start_logits[window.context].astype(np.float64)
    ends = end_logits[window.context].astype(np.float64)
    n = starts.size
    scores = starts[:, None] + ends[None, :]
    offset = np.arange(n)[None, :] - np.arange(n)[:, None]
    scores[(offset < 0) | (offset >= MAX_ANSWER_TOKENS)] = -np.inf
    first, last = np.unravel_index(int(np.argmax(scores)), scores.shape)
    start = window.offsets[int(window.context[first])][0]
    end = window.offsets[int(window.context[last])][1]
    start, end = without_unpaired_quotes(passages[window.passage], start, end)
    start, end = whole_words(passages[window.passage], start, end)
    text = passages[window.passage][start:end]
    if not text.strip():
        return None
    null = float(start_logits[0] + end_logits[0])
    return Span(window.passage, start, end, text, float(scores[first, last]), null)


_OPENING_QUOTES = {"“": "”", '"': '"', "‘": "’", "(": ")", "[": "]"}
# Words that say how far to trust a figure: "more than 3,000" is not "3,000".
_HEDGE = re.compile(
    r"""\b(?:an?\s+)?(?:estimated|about|around|approximately|roughly|nearly|almost|some
    |over|under|(?:more|less|fewer)\s+than|up\s+to|at\s+(?:least|most)|just\s+(?:over|under)
    |close\s+to|as\s+(?:many|much|few)\s+as)\s+$""",
    re.IGNORECASE | re.VERBOSE,
)

_YEAR = re.compile(r"(?:1[89]|20)\d\d(?![\d,.]\d)")  # "over 2019" is a time, not a hedged figure


def whole_words(passage: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` widened to whole words, and a figure's span to the words hedging it.

    The reader's word pieces can stop inside a word or a figure ("4" of "4.5") and often
    leave out the hedge before a figure ("3,200" for "about 3,200"): the answer then claims
    more than the article does. The hedge is part of the figure, as the people who wrote
    SQuAD's and the team's answers marked it.
    """
    while start > 0 and (passage[start - 1].isalnum() or _joins(passage, start - 1)):
        start -= 1
    while end < len(passage) and (passage[end].isalnum() or _joins(passage, end)):
        end += 1
    if start < len(passage) and passage[start].isdigit() and not _YEAR.match(passage, start):
        hedge = _HEDGE.search(passage, max(0, start - 24), start)
        if hedge is not None:
            start = hedge.start()
    return start, end


def _joins(passage: str, at: int) -> bool:
    """Whether ``passage[at]`` joins two parts of one figure ("3,200", "4.5"). Not a hyphen:
    "three" of "three-day" answers "how many days"."""
    if not 0 < at < len(passage) - 1:
        return False
    return passage[at] in ",." and passage[at - 1].isdigit() and passage[at + 1].isdigit()


def without_unpaired_quotes(passage: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved past a quotation mark or bracket at either edge whose partner
    is not inside.

    The reader's word pieces sometimes take the quote mark before a quoted phrase without the
    one closing it (“comprehensive strategic partnership), or a bracket ("(approximately
    US$1.4 million"), which reads as a broken answer; the span still cuts the passage, so the
    citation quotes it exactly.
    """
    text = passage[start:end]
    closer = _OPENING_QUOTES.get(text[:1])
    if closer is not None and closer not in text[1:]:
        start += 1
    text = passage[start:end]
    for closing, opening in (("”", "“"), ('"', '"'), (")", "("), ("]", "[")):
        if text[-1:] == closing and opening not in text[:-1]:
            end -= 1
            break
    while start < end and passage[start].isspace():
        start += 1
    return start, end


def card_checksum(card: Path) -> str:
    """The SHA-256 the model card gives for the model file."""
    try:
        found = _SHA256.search(card.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReaderUnavailable(f"cannot read the model card {card.name}: {exc.strerror}") from exc
    if found is None:
        raise ReaderUnavailable(f"the model card {card.name} gives no SHA-256")
    return found.group(1).lower()


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(model: Path, card: Path) -> None:
    """Refuse a missing, truncated or altered model file before onnxruntime sees it."""
    if not model.is_file():
        raise ReaderUnavailable(f"the reader model {model} is missing")
    expected = card_checksum(card)
    actual = file_checksum(model)
    if actual != expected:
        raise ReaderUnavailable(
            f"the reader model {model.name} is damaged (SHA-256 {actual[:12]}…, "
            f"the model card says {expected[:12]}…)"
        )


@cache
def shared_reader(model_dir: Path = MODEL_DIR) -> Reader | ReaderUnavailable:
    """One reader per process and model folder, or the reason there is none (logged once)."""
    try:
        return Reader(model_dir)
    except ReaderUnavailable as exc:
        log.warning("reader unavailable, answering with cited sentences only: %s", exc)
        return exc
