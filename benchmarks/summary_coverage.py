"""What the plain summaries cover, and whether each of their sentences stands alone.

On the development articles only (the 50 CNN/DailyMail of ``tests/data/cnndm-dev.jsonl``
and the ``dev`` split of ``training/data/articles``) this prints:

* ROUGE-1/2/Lsum F1 of three-sentence summaries on the CNN/DailyMail file, beside
  the first three sentences (Lead-3), as ``articlebot eval-summaries`` scores them;
* of the summaries at the default length of articles of 12+ sentences, the share
  holding a sentence from the article's later half, and the latest position chosen;
* chosen sentences that lean on one left out (:func:`index.cohesion.leans_on`, or
  a quotation's tail or head cut off), and pairs of chosen sentences whose embeddings'
  cosine is 0.8 or more (near-duplicates).

Run: ``.venv/bin/python benchmarks/summary_coverage.py [--words] [--at COMMIT] [--sweep]``;
``--words`` runs without the embedding model, as a process where it cannot load
does; ``--at`` measures ``index/summarize.py`` as it was at COMMIT (the "before"
figures in docs/evaluation.md are ``--at 14f2fed``); ``--sweep`` prints only ROUGE
and the later-half counts for each coverage setting of :data:`SWEEP`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import types
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from index.cohesion import leans_on, quote_open_after
from index.embedding import shared_embedder
from index.evaluation import summaries as ev
from index.loader import load_file
from index.records import Article, Sentence
from index.summarize import DEFAULT_SETTINGS
from index.summarize import summarize as summarize_now

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "cnndm-dev.jsonl"
DUPLICATE = 0.8
# (coverage_weight, coverage_picks): how much coverage counts, and for how many last picks
SWEEP = ((0.0, 1), (0.5, 10), (1.0, 10), (1.5, 10), (2.0, 10), (1.0, 1), (2.0, 1), (5.0, 1))
SWEEP += ((10.0, 1), (20.0, 1), (100.0, 1), (5.0, 2))


def news_dev() -> list[Article]:
    split = json.loads((ROOT / "training" / "data" / "split.json").read_text(encoding="utf-8"))
    folder = ROOT / "training" / "data" / "articles"
    return [load_file(folder / f"{name}.txt") for name in split["dev"]]


def unsupported(article: Article, chosen: tuple[Sentence, ...]) -> int:
    """Chosen sentences that need a sentence the summary left out."""
    body = article.sentences
    picked = {s.position for s in chosen}
    inside = [False] * len(body)
    ends = [False] * len(body)
    for paragraph in article.paragraphs:
        state = False
        for s in paragraph.sentences:
            inside[s.position] = state
            state = quote_open_after(s.text, state)
            ends[s.position] = state and s is not paragraph.sentences[-1]
    count = 0
    for s in chosen:
        i = s.position
        previous = body[i - 1].text if i else ""
        back = i > 0 and (inside[i] or leans_on(s.text, previous)) and i - 1 not in picked
        forward = ends[i] and i + 1 not in picked
        count += back or forward
    return count


def summariser_at(commit: str) -> Callable[..., object]:
    """``summarize`` from ``index/summarize.py`` at ``commit``, beside today's other modules."""
    source = subprocess.run(
        ["git", "show", f"{commit}:index/summarize.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("summarize_then")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, f"summarize@{commit}", "exec"), module.__dict__)
    summarise: Callable[..., object] = module.summarize
    return summarise


def later_half(articles: list[Article], summarize: Callable[..., object]) -> str:
    """Default summaries of articles of 12+ sentences holding a later-half sentence."""
    long = [a for a in articles if len(a.sentences) >= 12]
    hits = sum(
        any(s.position >= len(a.sentences) / 2 for s in summarize(a).sentences)  # type: ignore[attr-defined]
        for a in long
    )
    return f"{hits:2} of {len(long)}"


def sweep(cnn: list[tuple[Article, str]]) -> None:
    """ROUGE (3 sentences) and later-half counts (default length) for each setting."""
    news = news_dev()
    print("weight, last picks | R1 / R2 / RLsum, CNN/DM dev | later half: CNN/DM | news dev")
    for weight, picks in SWEEP:
        settings = replace(DEFAULT_SETTINGS, coverage_weight=weight, coverage_picks=picks)
        run = partial(summarize_now, settings=settings)
        s = ev.evaluate(cnn, lambda a, k, run=run: run(a, k).sentences).system
        print(
            f"{weight:6.1f}, {picks:2}         | {s.rouge1:.2f} / {s.rouge2:.2f} / {s.rougeLsum:.2f}"
            f"        | {later_half([a for a, _ in cnn], run)} | {later_half(news, run)}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", action="store_true", help="without the embedding model")
    parser.add_argument("--at", metavar="COMMIT", help="the summariser as it was at COMMIT")
    parser.add_argument("--sweep", action="store_true", help="only ROUGE, for each setting")
    args = parser.parse_args()
    options = {"model_dir": Path("/nonexistent")} if args.words else {}
    summarize = summariser_at(args.at) if args.at else summarize_now
    cnn = list(ev.dataset_pairs(ev.read_examples(DEV)))
    if args.sweep:
        return sweep(cnn)
    report = ev.evaluate(cnn, lambda a, k: summarize(a, k, **options).sentences)  # type: ignore[attr-defined]
    print(f"CNN/DailyMail dev, {report.articles} articles, 3 sentences, R1 / R2 / RLsum F1:")
    for label, s in (("summariser", report.system), ("Lead-3", report.lead3)):
        print(f"  {label:11} {s.rouge1:.2f} / {s.rouge2:.2f} / {s.rougeLsum:.2f}")
    embedder = shared_embedder()
    articles = [a for a, _ in cnn] + news_dev()
    long = later = lonely = dups = chosen_total = 0
    lengths: list[int] = []
    latest: list[float] = []
    for article in articles:
        chosen: tuple[Sentence, ...] = summarize(article, **options).sentences  # type: ignore[attr-defined]
        n = len(article.sentences)
        lengths.append(len(chosen))
        chosen_total += len(chosen)
        lonely += unsupported(article, chosen)
        if n >= 12:
            long += 1
            later += any(s.position >= n / 2 for s in chosen)
            latest.append(max(s.position for s in chosen) / n)
        if embedder is not None and len(chosen) > 1:
            vectors = embedder.embed([s.text for s in chosen])
            similar = vectors @ vectors.T
            dups += sum(
                float(similar[i, j]) >= DUPLICATE
                for i in range(len(chosen))
                for j in range(i + 1, len(chosen))
            )
    print(f"default summaries of {len(articles)} dev articles (50 CNN/DailyMail + news dev):")
    print(f"  sentences per summary: mean {statistics.mean(lengths):.2f}")
    print(f"  articles of 12+ sentences holding a later-half sentence: {later} of {long}")
    print(f"  latest sentence chosen, median share of the article: {statistics.median(latest):.2f}")
    print(f"  chosen sentences needing one left out: {lonely} of {chosen_total}")
    print(f"  near-duplicate pairs (cosine >= {DUPLICATE}): {dups}")


if __name__ == "__main__":
    main()
