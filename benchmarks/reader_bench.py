"""Reader benchmark: latency, throughput and memory of the engine, old and new, in one run.

Not a test. Each engine runs in a process of its own (so resident memory is
its own) over the same questions:

- ``rules``: the engine before the trained reader, checked out from git
  (``--baseline``, default the last commit without ``index/reader.py``);
- ``reader``: this tree, retrieve then read (the shipped int8 model);
- ``passages``: this tree with the reader unavailable (cited sentences only).

Measured per engine: p50 / p95 / p99 per question on the seed article (its
development questions, then again in a loop) and on the SQuAD v1.1
development file (all its articles indexed together), questions per second
on this machine, and resident memory after start-up and after the questions.

    .venv/bin/python benchmarks/reader_bench.py               # a table
    .venv/bin/python benchmarks/reader_bench.py --squad-limit 500 --json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
BASELINE = "e109b26"  # main before the reader: the hand-written short-answer rules


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(at(0.95), 2),
        "p99_ms": round(at(0.99), 2),
        "q_per_s": round(1000 * len(ordered) / sum(ordered), 1),
    }


def seed_questions() -> list[str]:
    for path in (SHARED / "article_qa_dev.jsonl", ROOT / "tests" / "data" / "article_qa_dev.jsonl"):
        if path.exists():
            return [json.loads(line)["question"] for line in path.read_text().splitlines() if line]
    raise SystemExit("article_qa_dev.jsonl not found in ../shared/eval or tests/data")


def worker(mode: str, squad_limit: int, rounds: int) -> dict[str, Any]:
    """Runs inside the measured process (this tree or the baseline's on sys.path)."""
    from index.engine import Engine
    from index.evaluation.squad import parse_squad
    from index.saved.building import build_corpus, open_corpus

    started_rss = rss_mb()
    options: dict[str, Any] = {}
    if mode == "passages":
        options["model_dir"] = Path("/nonexistent/reader_model")
    seeds = tempfile.mkdtemp()
    for path in (ROOT / "seeds").glob("*.txt"):
        Path(seeds, path.name).write_bytes(path.read_bytes())
    engine = Engine(open_corpus(seeds, Path(seeds) / "index"), **options)
    engine.ask("warm up")
    loaded_rss = rss_mb()
    questions = seed_questions()
    seed_ms = [engine.ask(q).elapsed_ms for _ in range(rounds) for q in questions]
    squad = parse_squad(json.loads((SHARED / "squad" / "squad-v1.1-dev.json").read_text()))
    squad_engine = Engine(build_corpus(squad.articles).corpus, **options)
    asked = squad.questions[:squad_limit] if squad_limit else squad.questions
    wall = time.perf_counter()
    squad_ms = [squad_engine.ask(q.question).elapsed_ms for q in asked]
    wall = time.perf_counter() - wall
    return {
        "mode": mode,
        "seed": percentiles(seed_ms) | {"questions": len(seed_ms)},
        "squad_v1.1_dev": percentiles(squad_ms)
        | {"questions": len(asked), "wall_s": round(wall, 1)},
        "rss_start_mb": round(started_rss, 1),
        "rss_loaded_mb": round(loaded_rss, 1),
        "rss_end_mb": round(rss_mb(), 1),
    }


def baseline_tree(ref: str) -> Path:
    """The files of ``ref`` in a temporary folder (``git archive``; no checkout of this tree)."""
    data = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="articlebot-baseline-"))
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def run(mode: str, tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(tree), ARTICLEBOT_LOG_LEVEL="ERROR")
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        mode,
        "--squad-limit",
        str(args.squad_limit),
        "--rounds",
        str(args.rounds),
    ]
    out = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def table(results: list[dict[str, Any]]) -> str:
    rows = [("", *(r["mode"] for r in results))]
    for part in ("seed", "squad_v1.1_dev"):
        for key in ("p50_ms", "p95_ms", "p99_ms", "q_per_s"):
            rows.append((f"{part} {key}", *(str(r[part][key]) for r in results)))
    rows.append(("squad_v1.1_dev wall_s", *(str(r["squad_v1.1_dev"]["wall_s"]) for r in results)))
    for key in ("rss_loaded_mb", "rss_end_mb"):
        rows.append((key, *(str(r[key]) for r in results)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--baseline", default=BASELINE, help=f"git revision of the old engine ({BASELINE})"
    )
    parser.add_argument("--squad-limit", type=int, default=0, help="SQuAD questions (0: all 2,310)")
    parser.add_argument("--rounds", type=int, default=10, help="passes over the seed questions")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.squad_limit, args.rounds)))
        return
    results = [run("rules", baseline_tree(args.baseline), args)]
    results += [run(mode, ROOT, args) for mode in ("reader", "passages")]
    growth = results[1]["rss_end_mb"] - results[0]["rss_end_mb"]
    if args.json:
        print(json.dumps({"engines": results, "reader_rss_growth_mb": round(growth, 1)}))
    else:
        print(f"cores: {os.cpu_count()}")
        print(table(results))
        print(f"reader's resident memory over the rules engine: {growth:+.1f} MB")


if __name__ == "__main__":
    main()
