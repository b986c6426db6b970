"""BM25 at scale: rank-bm25 (the reference) vs the engine's SparseBM25 (vs bm25s if installed).

Not a test. Each implementation runs in its own subprocess over the same
synthetic corpus (fixed seed, Zipf-distributed vocabulary, ~60-token chunks),
so build time, query latency and peak memory are measured alike and one
implementation's garbage never counts against another. Peak memory is the
process's peak resident set size above what it held before building (the
corpus itself is excluded; Linux ``/proc/self/clear_refs`` resets the peak).

    python benchmarks/bm25_bench.py                     # 1k, 10k, 100k chunks + the seed article
    python benchmarks/bm25_bench.py --chunks 1000000    # one size (rank-bm25 on a few queries)
    python benchmarks/bm25_bench.py --json              # one JSON object per size
    python benchmarks/bm25_bench.py --loop-lag 100000   # bot event-loop lag during a reindex

bm25s is optional (``pip install -e ".[bench]"``). Its "lucene" method omits
the constant ``k1 + 1`` factor of Okapi BM25 and stores float32, so its scores
are multiplied by ``k1 + 1`` before comparing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

SEED = 20260401
VOCABULARY = 300_000  # distinct word forms the generator can draw (Heaps-like growth)
ZIPF_EXPONENT = 1.05
CHUNK_TOKENS = (40, 80)  # uniform, mean 60
QUERIES = 50
QUERY_WORDS = (3, 6)
TOP_K = 10
DEFAULT_SIZES = (1_000, 10_000, 100_000)
RANK_BM25_FULL_LIMIT = 100_000  # above this rank-bm25 is timed on a few queries only
RANK_BM25_FEW = 5
IMPLEMENTATIONS = ("rank-bm25", "sparse", "bm25s")
K1_PLUS_1 = 2.5


# -- data --------------------------------------------------------------------------------


def synthetic_corpus(chunks: int, seed: int = SEED) -> tuple[list[list[str]], list[list[str]]]:
    """``chunks`` token lists and the fixed query set, identical in every process."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, VOCABULARY + 1) ** ZIPF_EXPONENT
    cdf = np.cumsum(weights / weights.sum())
    words = [_word(i) for i in range(VOCABULARY)]
    lengths = rng.integers(CHUNK_TOKENS[0], CHUNK_TOKENS[1] + 1, size=chunks)
    corpus: list[list[str]] = []
    step = 20_000  # draw in blocks to keep the temporary arrays small
    for start in range(0, chunks, step):
        block = lengths[start : start + step]
        ids = np.searchsorted(cdf, rng.random(int(block.sum())), side="right").tolist()
        offset = 0
        for n in block.tolist():
            corpus.append([words[i] for i in ids[offset : offset + n]])
            offset += n
    query_rng = np.random.default_rng(seed + 1)
    queries = []
    for q in range(QUERIES):
        n = int(query_rng.integers(QUERY_WORDS[0], QUERY_WORDS[1] + 1))
        # content words: log-uniform over ranks 100..50,000; every fifth query also has a
        # word found in more than half of the chunks (where idf variants disagree)
        ranks = np.exp(query_rng.uniform(math.log(100), math.log(50_000), size=n)).astype(int)
        query = [words[int(r)] for r in ranks]
        if q % 5 == 0:
            query[0] = words[int(query_rng.integers(0, 3))]
        queries.append(query)
    return corpus, queries


def _word(i: int) -> str:
    """A pronounceable pseudo-word, unique per rank, 3-12 letters."""
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    out = []
    n = i + 1
    while n:
        n, c = divmod(n, len(consonants))
        n, v = divmod(n, len(vowels))
        out.append(consonants[c] + vowels[v])
    return "".join(out)


def seed_corpus() -> tuple[list[list[str]], list[list[str]]]:
    """The shipped seed article's chunks and the dev questions, tokenised like the engine."""
    from index.chunking import chunk_article
    from index.loader import load_folder
    from index.tokenize import default_tokenizer

    tokenizer = default_tokenizer()
    articles = load_folder(ROOT / "seeds").articles
    chunks = [c for a in articles for c in chunk_article(a)]
    questions = _dev_questions()
    return [tokenizer.tokens(c.text) for c in chunks], [tokenizer.tokens(q) for q in questions]


def _dev_questions() -> list[str]:
    path = ROOT.parent / "shared" / "eval" / "article_qa_dev.jsonl"
    if not path.exists():
        return ["How many troops were sent?", "When did Pyongyang release the images?"]
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


# -- one implementation, in its own process ----------------------------------------------------


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak_bytes() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Runner:
    """Build, query, score and persist calls for one implementation."""

    def __init__(self, name: str, docs: list[list[str]], workdir: Path) -> None:
        self.name, self.docs, self.workdir = name, docs, workdir

    def prepare(self) -> None:
        """Import everything first, so module code is not counted as index memory."""
        import index.bm25
        import index.saved.store  # noqa: F401

        if self.name == "bm25s":
            import bm25s  # noqa: F401

    def build(self) -> Any:
        if self.name == "rank-bm25":
            from index.bm25_reference import ReferenceBM25

            return ReferenceBM25(self.docs)
        if self.name == "sparse":
            from index.bm25 import SparseBM25

            return SparseBM25(self.docs)
        import bm25s

        index = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
        index.index(self.docs, show_progress=False)
        return index

    def query(self, index: Any, query: list[str]) -> object:
        if self.name == "bm25s":
            known = [t for t in query if t in index.vocab_dict]
            if not known:
                return None
            k = min(TOP_K, len(self.docs))
            return index.retrieve([known], k=k, show_progress=False, n_threads=1)
        return index.top_k(query, TOP_K)

    def scores(self, index: Any, query: list[str]) -> npt.NDArray[np.float64]:
        if self.name == "bm25s":
            known = [t for t in query if t in index.vocab_dict]
            if not known:
                return np.zeros(len(self.docs))
            return np.asarray(index.get_scores(known), dtype=np.float64) * K1_PLUS_1
        return np.asarray(index.scores(query), dtype=np.float64)

    def persist(self, index: Any) -> str | None:
        """Save the index; returns the folder, or None for rank-bm25 (no format but pickle)."""
        folder = self.workdir / f"persist-{self.name}"
        if self.name == "sparse":
            from index.bm25 import SparseBM25
            from index.saved.manifest import ArticleEntry
            from index.saved.store import write_index

            # one tiny paragraph row: the load time stays that of the chunk index measured here
            entry = ArticleEntry("synthetic", "-", index.size, "-", paragraphs=1)
            write_index(
                folder,
                index,
                paragraphs=SparseBM25([["synthetic"]]),
                articles=[entry],
                tokenizer={},
                chunking={},
                sentences=0,
                build_seconds=0.0,
            )
            return str(folder)
        if self.name == "bm25s":
            index.save(str(folder), show_progress=False)
            return str(folder)
        return None


def run_load(name: str, folder: str) -> None:
    """Time loading a saved index in a fresh process, as a starting bot would."""
    if name == "sparse":
        from index.saved.store import read_index

        started = time.perf_counter()
        read_index(folder)
    else:
        import bm25s

        started = time.perf_counter()
        bm25s.BM25.load(folder, show_progress=False, verbosity=0)
    print(json.dumps({"load_s": time.perf_counter() - started}))


def run_worker(name: str, corpus: str, chunks: int, query_limit: int, out: Path) -> None:
    docs, queries = seed_corpus() if corpus == "seed" else synthetic_corpus(chunks)
    queries = queries[:query_limit]
    runner = Runner(name, docs, out.parent)
    runner.prepare()
    base = _rss_bytes()
    exact_peak = _reset_peak()
    started = time.perf_counter()
    index = runner.build()
    build_s = time.perf_counter() - started
    for query in queries[:3]:  # warm-up
        runner.query(index, query)
    latencies = []
    for query in queries:
        started = time.perf_counter()
        runner.query(index, query)
        latencies.append((time.perf_counter() - started) * 1000)
    peak = _peak_bytes() if exact_peak else max(_peak_bytes(), base)
    compared = RANK_BM25_FEW if chunks > RANK_BM25_FULL_LIMIT else QUERIES
    scores = np.stack([runner.scores(index, q) for q in queries[:compared]])
    np.save(out.with_suffix(".npy"), scores, allow_pickle=False)
    saved = runner.persist(index)
    result = {
        "implementation": name,
        "build_s": build_s,
        "query_ms": latencies,
        "peak_mb": (peak - base) / 2**20,
        "process_peak_mb": peak / 2**20,  # including the corpus's token lists
        "saved": saved,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


# -- the comparison ----------------------------------------------------------------------


def available(names: Sequence[str]) -> list[str]:
    out = []
    for name in names:
        if name == "bm25s":
            try:
                import bm25s  # noqa: F401
            except ImportError:
                print("bm25s not installed; pip install -e '.[bench]' to compare", file=sys.stderr)
                continue
        out.append(name)
    return out


def measure(corpus: str, chunks: int, names: Sequence[str], workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    score_sets: dict[str, npt.NDArray[np.float64]] = {}
    for name in names:
        few = name == "rank-bm25" and chunks > RANK_BM25_FULL_LIMIT
        limit = RANK_BM25_FEW if few else QUERIES
        out = workdir / f"{corpus}-{chunks}-{name}.json"
        command = [
            sys.executable,
            __file__,
            "--worker",
            name,
            "--corpus",
            corpus,
            "--chunks",
            str(chunks),
            "--query-limit",
            str(limit),
            "--out",
            str(out),
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0", "DISABLE_TQDM": "1"}
        subprocess.run(command, check=True, env=env)
        data = json.loads(out.read_text(encoding="utf-8"))
        saved = data.pop("saved")
        data["load_s"] = None
        if saved:
            load = [sys.executable, __file__, "--load", name, saved]
            done = subprocess.run(load, check=True, env=env, capture_output=True, text=True)
            data["load_s"] = json.loads(done.stdout.strip().splitlines()[-1])["load_s"]
        latencies = np.array(data.pop("query_ms"))
        data["queries_timed"] = len(latencies)
        data["query_ms_p50"] = float(np.percentile(latencies, 50))
        data["query_ms_p95"] = float(np.percentile(latencies, 95))
        data["query_ms_mean"] = float(latencies.mean())
        results[name] = data
        score_sets[name] = np.load(out.with_suffix(".npy"), allow_pickle=False)
    reference = score_sets.get("rank-bm25")
    for name, data in results.items():
        if reference is not None:
            n = min(len(reference), len(score_sets[name]))
            data["max_score_diff"] = max_relative_diff(reference[:n], score_sets[name][:n])
        ref = results.get("rank-bm25")
        if ref:
            data["speedup_vs_rank_bm25"] = ref["query_ms_p50"] / data["query_ms_p50"]
    if "bm25s" in results:
        for data in results.values():
            data["speedup_vs_bm25s"] = results["bm25s"]["query_ms_p50"] / data["query_ms_p50"]
    return results


def max_relative_diff(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    scale = np.maximum(np.abs(a), np.abs(b))
    safe = np.where(scale > 0, scale, 1.0)
    return float(np.max(np.abs(a - b) / safe)) if a.size else 0.0


def summary(chunks: int | str, results: dict[str, Any]) -> dict[str, Any]:
    """The one-line JSON record of a size: the new index's figures plus every implementation's."""
    ours = results["sparse"]
    return {
        "chunks": chunks,
        "speedup_vs_rank_bm25": ours.get("speedup_vs_rank_bm25"),
        "speedup_vs_bm25s": ours.get("speedup_vs_bm25s"),
        "max_score_diff": ours.get("max_score_diff"),
        "query_ms_p50": ours["query_ms_p50"],
        "query_ms_p95": ours["query_ms_p95"],
        "load_s": ours["load_s"],
        "build_s": ours["build_s"],
        "peak_mb": ours["peak_mb"],
        "implementations": results,
    }


def print_table(label: str, results: dict[str, Any]) -> None:
    header = (
        f"{'corpus':>10} {'impl':>10} {'build s':>8} {'p50 ms':>9} {'p95 ms':>9} "
        f"{'x rank':>8} {'x bm25s':>8} {'load s':>7} {'peak MB':>8} {'proc MB':>8} "
        f"{'max rel diff':>12}"
    )
    print(header)
    for name, d in results.items():
        load = "-" if d["load_s"] is None else f"{d['load_s']:.3f}"
        speed = d.get("speedup_vs_rank_bm25")
        vs_bm25s = d.get("speedup_vs_bm25s")
        diff = d.get("max_score_diff")
        print(
            f"{label:>10} {name:>10} {d['build_s']:8.2f} {d['query_ms_p50']:9.3f} "
            f"{d['query_ms_p95']:9.3f} {'-' if speed is None else f'{speed:.0f}x':>8} "
            f"{'-' if vs_bm25s is None else f'{vs_bm25s:.1f}x':>8} {load:>7} "
            f"{d['peak_mb']:8.1f} {d['process_peak_mb']:8.1f} "
            f"{'-' if diff is None else f'{diff:.1e}':>12}"
        )


def engine_seed_latency() -> dict[str, float]:
    """Engine time per dev question (retrieval + answer extraction) on the seed article."""
    from index.engine import Engine
    from index.saved.building import open_corpus

    with tempfile.TemporaryDirectory() as folder:
        engine = Engine(open_corpus(ROOT / "seeds", folder))
        questions = _dev_questions()
        for question in questions[:3]:
            engine.ask(question)
        times = []
        for _ in range(5):
            for question in questions:
                started = time.perf_counter()
                engine.ask(question)
                times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95))}


# -- event-loop lag during a reindex ------------------------------------------------------


def loop_lag(chunks: int) -> dict[str, float]:
    """Run :func:`index.saved.building.build_corpus` over ``chunks`` chunks of synthetic articles in a
    worker thread (as the bot's /reindex does) while a 1 ms ticker on the event loop
    records how late it wakes up."""
    import asyncio

    from index.saved.building import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        write_synthetic_articles(seeds, chunks)

        async def main() -> dict[str, float]:
            lags: list[float] = []
            done = False

            async def ticker() -> None:
                while not done:
                    before = time.perf_counter()
                    await asyncio.sleep(0.001)
                    lags.append((time.perf_counter() - before - 0.001) * 1000)

            task = asyncio.create_task(ticker())
            started = time.perf_counter()
            report = await asyncio.to_thread(build_corpus, seeds, index_dir=Path(tmp) / "index")
            seconds = time.perf_counter() - started
            done = True
            await task
            return {
                "chunks": report.chunks,
                "rebuild_s": seconds,
                "lag_ms_max": max(lags),
                "lag_ms_p99": float(np.percentile(lags, 99)),
            }

        return asyncio.run(main())


def write_synthetic_articles(folder: Path, chunks: int) -> None:
    """Plain-text articles of 5 paragraphs of 12 sentences: 50 three-sentence chunks each."""
    corpus, _ = synthetic_corpus(chunks * 6 // 5)
    per_article, per_paragraph = 60, 12
    for n in range(0, len(corpus), per_article):
        sentences = [" ".join(doc[:12]).capitalize() + "." for doc in corpus[n : n + per_article]]
        paragraphs = [
            " ".join(sentences[i : i + per_paragraph])
            for i in range(0, len(sentences), per_paragraph)
        ]
        text = f"Synthetic article {n // per_article}\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"a{n // per_article:06d}.txt").write_text(text, encoding="utf-8")


# -- command line -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--chunks", type=int, help="one corpus size instead of 1k, 10k, 100k")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument(
        "--impl", action="append", choices=IMPLEMENTATIONS, help="only these implementations"
    )
    parser.add_argument("--no-seed", action="store_true", help="skip the seed-article rows")
    parser.add_argument(
        "--loop-lag", type=int, metavar="CHUNKS", help="measure event-loop lag during a reindex"
    )
    parser.add_argument("--worker", choices=IMPLEMENTATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", default="synthetic", help=argparse.SUPPRESS)
    parser.add_argument("--query-limit", type=int, default=QUERIES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=2, metavar=("IMPL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.load:
        run_load(*args.load)
        return 0
    if args.worker:
        run_worker(args.worker, args.corpus, args.chunks or 0, args.query_limit, args.out)
        return 0
    if args.loop_lag:
        result = loop_lag(args.loop_lag)
        print(json.dumps(result) if args.json else _format_lag(result))
        return 0

    names = available(args.impl or IMPLEMENTATIONS)
    if "sparse" not in names:
        parser.error("the sparse index is always measured")
    emit: Callable[[str, dict[str, Any]], None]
    if args.json:

        def emit(label: str, results: dict[str, Any]) -> None:
            print(
                json.dumps(summary(label if label == "seed" else int(label), results)), flush=True
            )
    else:
        print(
            f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, numpy {np.__version__}"
        )
        print(
            f"queries: {QUERIES} of {QUERY_WORDS[0]}-{QUERY_WORDS[1]} words, top {TOP_K}; "
            f"speed-up from p50; peak MB = peak RSS above the corpus held in memory, "
            "proc MB = the whole process's peak RSS"
        )

        def emit(label: str, results: dict[str, Any]) -> None:
            print_table(label, results)
            sys.stdout.flush()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.no_seed and not args.chunks:
            emit("seed", measure("seed", 0, names, workdir))
        for size in [args.chunks] if args.chunks else DEFAULT_SIZES:
            emit(str(size), measure("synthetic", size, names, workdir))
    if not args.no_seed and not args.chunks:
        engine = engine_seed_latency()
        if args.json:
            print(json.dumps({"chunks": "seed-engine", **engine}))
        else:
            print(
                f"engine on the seed article, per dev question: p50 {engine['p50_ms']:.2f} ms, "
                f"p95 {engine['p95_ms']:.2f} ms"
            )
    return 0


def _format_lag(result: dict[str, float]) -> str:
    return (
        f"reindex of {int(result['chunks']):,} chunks in a worker thread took "
        f"{result['rebuild_s']:.1f} s; event-loop lag max {result['lag_ms_max']:.1f} ms, "
        f"p99 {result['lag_ms_p99']:.1f} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
