"""Does the sentence embedder help pick the paragraphs the reader reads? (issue 28)

For every answerable question, the candidate paragraphs of its set are ranked three ways,
and paragraph recall@1 / @3 is the share of questions whose answer's paragraph is among
the first 1 / 3 (the engine reads ``READ_PASSAGES`` = 3):

- ``bm25``: the engine's own order, ``SentenceRanker.rank`` then ``passages.by_words``
  (the question cleaned and respelled as ``Engine.answer`` does; the reader is not run);
- ``emb-max`` / ``emb-mean``: the cosine of the question with each paragraph's sentences
  (``shared_embedder``), a paragraph scored by its best sentence or by their mean vector;
- ``rrf``: reciprocal rank fusion of ``bm25`` and an embedder order (k = 60);
- ``hybrid``: ``w`` x BM25 (the paragraph's best sentence score, min-max over the ranked
  ones, 0 for a paragraph BM25 did not rank) + (1 - w) x cosine (min-max over the set).

The pooling and ``w`` are chosen on the tuning sets (the 20 SQuAD training articles, the
news ``train`` split) by recall@3 and reported on the others. Each set's articles are
indexed together, as ``articlebot eval`` and the bot do. ``--reader`` also runs the reader on
the first three paragraphs of ``bm25`` and of the hybrid on the report sets: the top
citation's paragraph after the reader (``articlebot eval``'s paragraph_recall@1) and F1.
Run (about 4 minutes on 2 cores, 15 with ``--reader``):

    .venv/bin/python benchmarks/retrieval_embeddings.py [--reader]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "training")]

from news_data import load_news  # noqa: E402

from index.confidence import REFUSAL_THRESHOLD, Calibration  # noqa: E402
from index.corpus import Corpus  # noqa: E402
from index.embedding import Embedder, FloatArray, shared_embedder  # noqa: E402
from index.engine import READ_PASSAGES, Reading  # noqa: E402
from index.evaluation.squad import best_over_gold, f1_score, parse_squad  # noqa: E402
from index.passages import by_words  # noqa: E402
from index.question_input import QuestionError, clean_question  # noqa: E402
from index.question_types import Question  # noqa: E402
from index.ranking import SentenceRanker  # noqa: E402
from index.reader import CALIBRATION_FILE, MODEL_DIR, TOKENIZER_FILE, Reader, shared_reader  # noqa: E402
from index.records import Article  # noqa: E402
from index.saved.building import build_corpus  # noqa: E402
from index.spelling import Vocabulary, english_words, respell  # noqa: E402
from index.tokenize import default_tokenizer  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"
RRF_K = 60
WEIGHTS = [round(w, 2) for w in np.arange(0.0, 1.0001, 0.05)]
POOLS = ("max", "mean")
Key = tuple[str, int]  # (article id, 1-based paragraph number)
Ints = npt.NDArray[np.intp]


@dataclass
class Asked:
    """One question's candidates: BM25 scores by paragraph, the engine's order, cosines."""

    text: str  # the question as read (cleaned, slips respelled)
    answers: tuple[str, ...]
    gold: Key
    bm25: dict[Key, float]  # the paragraph's best sentence score, for those ranked
    engine: list[Key]  # the paragraphs in the engine's order (``_passages``)
    cosine: dict[str, FloatArray]  # pooling -> one cosine per paragraph of the set


Ranker = Callable[[Asked, list[Key]], list[Key]]


@dataclass
class Measured:
    name: str
    corpus: Corpus
    keys: list[Key]
    asked: list[Asked]
    rejected: int  # questions the engine turns away (misses everywhere; none on these sets)
    embed_ms: float  # the question's embedding, per question
    article_ms: float  # the set's sentence vectors, per paragraph, once


Item = tuple[str, tuple[str, ...], Key]  # question, answers, the answer's paragraph


def measure(name: str, articles: list[Article], questions: list[Item]) -> Measured:
    """Rank every question's paragraphs by BM25 (as the engine does) and by the embedder."""
    corpus: Corpus = build_corpus(articles).corpus
    tokenizer = default_tokenizer()
    corpus.paragraph_index(tokenizer)
    ranker = SentenceRanker(tokenizer)
    vocabulary = Vocabulary.of(corpus.articles, tokenizer)
    english = english_words(MODEL_DIR / TOKENIZER_FILE, tokenizer)
    embedder = shared_embedder()
    if embedder is None:
        raise SystemExit("the embedder cannot load")
    keys = [(a.id, p.number) for a in corpus.articles for p in a.paragraphs]
    started = time.perf_counter()
    sentences, starts, means = paragraph_vectors(embedder, corpus)
    article_ms = 1000 * (time.perf_counter() - started) / len(keys)
    asked: list[Asked] = []
    rejected, embedding = 0, 0.0
    for text, answers, gold in questions:
        try:
            read, _ = respell(clean_question(text), vocabulary, english)
        except QuestionError:
            rejected += 1
            continue
        question = Question.of(read, tokenizer)
        ranked = ranker.rank(corpus, question, None) if question.query else []
        bm25: dict[Key, float] = {}
        for s in ranked:
            key = (s.sentence.article_id, s.sentence.paragraph)
            bm25[key] = max(bm25.get(key, -np.inf), s.score)
        engine = [(aid, p.number) for aid, p in by_words(corpus, ranked, len(keys))]
        t0 = time.perf_counter()
        vector = embedder.embed([question.text])[0]
        embedding += time.perf_counter() - t0
        cosine = {"max": np.maximum.reduceat(sentences @ vector, starts), "mean": means @ vector}
        asked.append(Asked(question.text, answers, gold, bm25, engine, cosine))
    embed_ms = 1000 * embedding / max(len(asked), 1)
    return Measured(name, corpus, keys, asked, rejected, embed_ms, article_ms)


def paragraph_vectors(embedder: Embedder, corpus: Corpus) -> tuple[FloatArray, Ints, FloatArray]:
    """Every sentence's vector, each paragraph's first row among them, and each paragraph's
    renormalised mean vector (paragraphs in the articles' order)."""
    rows: list[FloatArray] = []
    starts: list[int] = []
    means: list[FloatArray] = []
    at = 0
    for article in corpus.articles:
        vectors = embedder.embed([s.text for s in article.sentences])
        rows.append(vectors)
        local = 0
        for p in article.paragraphs:
            starts.append(at + local)
            mean = vectors[local : local + len(p.sentences)].mean(axis=0)
            means.append(mean / (np.linalg.norm(mean) or 1.0))
            local += len(p.sentences)
        at += len(vectors)
    return np.concatenate(rows), np.array(starts), np.stack(means)


def order(scores: npt.NDArray[np.floating], keys: list[Key]) -> list[Key]:
    """Keys by score, best first (ties: the article's order)."""
    return [keys[i] for i in np.argsort(-scores, kind="stable")]


def bm25_vector(a: Asked, keys: list[Key]) -> FloatArray:
    """BM25 min-max normalised over the ranked paragraphs; 0 for the others."""
    values = np.zeros(len(keys), dtype=np.float32)
    if not a.bm25:
        return values
    low, high = min(a.bm25.values()), max(a.bm25.values())
    span = (high - low) or 1.0
    index = {k: i for i, k in enumerate(keys)}
    for key, score in a.bm25.items():
        values[index[key]] = (score - low) / span if high > low else 1.0
    return values


def rrf(a: Asked, keys: list[Key], pool: str) -> list[Key]:
    fused = np.zeros(len(keys), dtype=np.float64)
    index = {k: i for i, k in enumerate(keys)}
    for rank, key in enumerate(a.engine, 1):
        fused[index[key]] += 1.0 / (RRF_K + rank)
    for rank, key in enumerate(order(a.cosine[pool], keys), 1):
        fused[index[key]] += 1.0 / (RRF_K + rank)
    return order(fused, keys)


def hybrid(a: Asked, keys: list[Key], pool: str, weight: float) -> list[Key]:
    cosine = a.cosine[pool]
    cosine = (cosine - cosine.min()) / (float(cosine.max() - cosine.min()) or 1.0)
    return order(weight * bm25_vector(a, keys) + (1 - weight) * cosine, keys)


def keep_first(a: Asked, keys: list[Key], pool: str, weight: float) -> list[Key]:
    """The hybrid's order, BM25's first paragraph moved to the front."""
    fused = hybrid(a, keys, pool, weight)
    first = a.engine[:1]
    return first + [k for k in fused if k not in first]


def recall(m: Measured, rank: Ranker) -> tuple[float, float]:
    """Recall@1 and @READ_PASSAGES of an ordering function, over every question asked."""
    at1 = at3 = 0
    for a in m.asked:
        ranked = rank(a, m.keys)
        at1 += a.gold in ranked[:1]
        at3 += a.gold in ranked[:READ_PASSAGES]
    total = len(m.asked) + m.rejected
    return at1 / total, at3 / total


def read_through(m: Measured, rank: Ranker) -> tuple[float, float]:
    """The reader on each ordering's first ``READ_PASSAGES``, decided as ``Engine._compose``
    does: the top citation's paragraph right (``articlebot eval``'s paragraph_recall@1) and F1."""
    reader = shared_reader(MODEL_DIR)
    assert isinstance(reader, Reader), reader
    calibration = Calibration.load(MODEL_DIR / CALIBRATION_FILE)
    hits = f1 = 0.0
    for a in m.asked:
        keys = rank(a, m.keys)[:READ_PASSAGES]
        paragraphs = [(k[0], m.corpus.article(k[0]).paragraphs[k[1] - 1]) for k in keys]
        spans = reader.read(a.text, [p.text for _, p in paragraphs]) if paragraphs else []
        span = max(spans, key=lambda s: s.margin, default=None)
        reading = Reading((), tuple(paragraphs), span, tuple(spans))
        if span is not None and calibration.probability(reading.features()) >= REFUSAL_THRESHOLD:
            hits += keys[span.passage] == a.gold
            f1 += best_over_gold(f1_score, span.text.strip().rstrip("…").strip(), a.answers)
        else:
            hits += keys[:1] == [a.gold]
    total = len(m.asked) + m.rejected
    return hits / total, 100 * f1 / total


def methods(pool: str, weight: float) -> dict[str, Ranker]:
    return {
        "bm25 (engine)": lambda a, keys: a.engine,
        "emb-max": lambda a, keys: order(a.cosine["max"], keys),
        "emb-mean": lambda a, keys: order(a.cosine["mean"], keys),
        f"rrf ({pool})": lambda a, keys: rrf(a, keys, pool),
        f"hybrid ({pool}, w={weight})": lambda a, keys: hybrid(a, keys, pool, weight),
    }


def squad_set(path: Path) -> tuple[str, list[Article], list[Item]]:
    squad = parse_squad(json.loads(path.read_text(encoding="utf-8")))
    asked = [(q.question, q.answers, (q.article_id, q.paragraph)) for q in squad.questions]
    return path.name, list(squad.articles), [q for q in asked if q[1]]  # answerable


def news_sets() -> list[tuple[str, list[Article], list[Item]]]:
    data = load_news()
    out = []
    for part, articles, questions in (
        ("train", data.train_articles, data.train_questions),
        ("dev", data.dev_articles, data.dev_questions),
    ):
        by_id = {a.id: a for a in articles}
        asked = []
        for q in questions:
            gold = q.gold_paragraph(by_id[q.article]) if q.answerable else None
            if gold is not None:
                asked.append((q.question, q.exact_answers(), (q.article, gold[0])))
        out.append((f"news {part}", articles, asked))
    return out


def main() -> None:
    news_train, news_dev = news_sets()
    tuning = [measure(*squad_set(p)) for p in sorted(SQUAD.glob("*-train.json"))]
    tuning.append(measure(*news_train))
    report = [measure(*squad_set(ROOT / "tests" / "data" / "squad-v1.1-dev-slice.json"))]
    report += [measure(*squad_set(SQUAD / "squad-v1.1-dev.json")), measure(*news_dev)]
    # The pooling and the weight: the best mean recall@3 over the tuning sets, then @1.
    grid = {}
    for pool in POOLS:
        for weight in WEIGHTS:
            rank = methods(pool, weight)[f"hybrid ({pool}, w={weight})"]
            figures = np.array([recall(m, rank) for m in tuning]).mean(axis=0)
            grid[(pool, weight)] = (float(figures[1]), float(figures[0]))
            print(f"tuning {pool} w={weight}: @1, @3 {figures.round(3)}", file=sys.stderr)
    pool, weight = max(grid, key=lambda k: grid[k])
    rrf_pool = max(
        POOLS, key=lambda p: sum(recall(m, methods(p, 0)[f"rrf ({p})"])[1] for m in tuning)
    )
    chosen = methods(pool, weight)
    chosen = {k: v for k, v in chosen.items() if not k.startswith("rrf")}
    chosen[f"rrf ({rrf_pool})"] = methods(rrf_pool, 0)[f"rrf ({rrf_pool})"]

    def kept(w: float) -> Ranker:
        return lambda a, keys: keep_first(a, keys, pool, w)

    def tuned(w: float) -> tuple[float, float]:
        at1, at3 = np.array([recall(m, kept(w)) for m in tuning]).mean(axis=0)
        return float(at3), float(at1)

    keep_weight = max(WEIGHTS, key=tuned)
    keep_name = f"hybrid, BM25's first kept (w={keep_weight})"
    chosen[keep_name] = kept(keep_weight)
    print(
        f"\nchosen on the tuning sets: hybrid {pool}, w = {weight}; rrf {rrf_pool}; "
        f"BM25's first kept, w = {keep_weight}"
    )
    print("| set | questions | " + " | ".join(f"{n} @1 / @3" for n in chosen) + " |")
    print("| --- " * (len(chosen) + 2) + "|")
    for m in tuning + report:
        cells = " | ".join("{:.3f} / {:.3f}".format(*recall(m, r)) for r in chosen.values())
        role = "tuning" if m in tuning else "report"
        print(f"| {m.name} ({role}) | {len(m.asked) + m.rejected} | {cells} |")
    for m in tuning + report:
        vectors, question = f"{m.article_ms:.1f} ms a paragraph", f"{m.embed_ms:.1f} ms"
        print(f"{m.name}: {len(m.keys)} paragraphs, vectors {vectors}, question {question}")
    if "--reader" in sys.argv:  # the reader on the passages: about 10 minutes more
        print("\n| set | reader on | paragraph@1 after the reader | F1 |\n" + "| --- " * 4 + "|")
        for m in report:
            for name in ("bm25 (engine)", f"hybrid ({pool}, w={weight})", keep_name):
                at1, f1 = read_through(m, chosen[name])
                print(f"| {m.name} | {name} | {at1:.4f} | {f1:.2f} |", flush=True)


if __name__ == "__main__":
    main()
