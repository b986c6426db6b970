"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, for similarity by meaning.

Summaries compare sentences with each other (what a pick already covers,
near-duplicates) and with a topic ("the prices" against "will cost about
$799"); word overlap misses both when the words differ. The model is the
sentence-transformers checkpoint the reader was fine-tuned from, exported with
mean pooling and L2 normalisation inside the graph (``training/export_embedder.py``),
so a row of :meth:`Embedder.embed` is a unit vector and a dot product is a cosine.

Only onnxruntime and tokenizers run here, never torch. The session is made once
per process (:func:`shared_embedder`) and ``run`` is thread-safe. When the model
cannot be loaded, :func:`shared_embedder` logs the reason once and returns None,
and the summariser falls back to word-overlap similarity.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.reader import ReaderUnavailable, card_checksum, file_checksum

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("embedding_model")
MODEL_FILE = "embedder.onnx"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "MODEL.md"
MAX_TOKENS = 128  # the checkpoint was trained on 128-token inputs; a sentence is far shorter
# Sentences per ONNX call, sorted by length: the least CPU for a 50-sentence article
# (ms: 1 a call 192, 8: 169, 16: 199, 32: 272; longer calls pad more).
BATCH = 8
CACHED = 256  # articles whose vectors are kept: a second summary of one costs no model call

FloatArray = npt.NDArray[np.float32]


class EmbedderUnavailable(RuntimeError):
    """The embedding model could not be loaded; the message says why in one line."""


class Embedder:
    """Unit-length sentence vectors from the int8 ONNX export of all-MiniLM-L6-v2."""

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = model_dir / MODEL_FILE
        if not model.is_file():
            raise EmbedderUnavailable(f"the embedding model {model} is missing")
        try:
            expected = card_checksum(model_dir / CARD_FILE)
        except ReaderUnavailable as exc:  # the card is read as the reader's is
            raise EmbedderUnavailable(str(exc)) from exc
        if file_checksum(model) != expected:
            raise EmbedderUnavailable(f"the embedding model {model.name} is damaged (SHA-256)")
        try:
            tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            # A bot shares its cores with other work: idle threads sleep instead of spinning.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # tokenizers and onnxruntime raise bare or private types
            raise EmbedderUnavailable(f"cannot load the embedding model: {exc}") from exc
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        self.checksum = expected  # names the model: vectors of another one are not comparable
        self._tokenizer = tokenizer
        self._session = session
        self._inputs = {i.name for i in session.get_inputs()}
        self._cached = lru_cache(maxsize=CACHED)(self._embed)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """One unit row per text (``len(texts)`` × 384), read-only; the last few calls are kept."""
        return self._cached(tuple(texts))

    def _embed(self, texts: tuple[str, ...]) -> FloatArray:
        """Texts of like length share a call, so little of it is padding."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))  # less padding
        rows: list[FloatArray] = []
        for start in range(0, len(order), BATCH):
            batch = [texts[k] for k in order[start : start + BATCH]]
            rows.append(self._run(batch))
        vectors = np.concatenate(rows)
        result = np.empty_like(vectors)
        result[order] = vectors
        result.setflags(write=False)  # shared through the cache
        return result

    def _run(self, texts: list[str]) -> FloatArray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        (vectors,) = self._session.run(None, feed)
        return np.asarray(vectors, dtype=np.float32)


def shared_embedder(model_dir: Path = MODEL_DIR) -> Embedder | None:
    """One embedder per process and folder, or None when it cannot load (logged once)."""
    return _load(model_dir.resolve())  # one key per folder, however it is spelt or passed


@cache
def _load(model_dir: Path) -> Embedder | None:
    try:
        return Embedder(model_dir)
    except EmbedderUnavailable as exc:
        log.warning("sentence embeddings unavailable, summaries match words only: %s", exc)
        return None
