"""What the plain summaries cover, and whether each of their sentences stands alone.

On the development articles only (the 50 CNN/DailyMail of ``tests/data/cnndm-dev.jsonl``
and the ``dev`` split of ``training/data/articles``) this prints:

* ROUGE-1/2/Lsum F1 of three-sentence summaries on the CNN/DailyMail file, beside
  the first three sentences (Lead-3), as ``articlebot eval-summaries`` scores them;
* of the summaries at the default length of articles of 12+ sentences, the share
  holding a sentence from the article's later half, and the latest position chosen;
  of all, those holding each of the article's first three sentences (captions aside);
* chosen sentences that lean on one left out (:func:`index.cohesion.leans_on`, or
  a quotation's tail or head cut off, single-quoted ones too since issue 28's second
  round), chosen sentences that read as photo captions
  (:func:`index.summary_sentences.caption_factors`), and pairs of chosen sentences whose
  embeddings' cosine is 0.8 or more (near-duplicates).

With ``--halves``: R1 / RLsum gain over Lead-3 of the three-sentence summaries on four
fixed halves of the CNN/DailyMail file (even/odd lines, first/last 25), for the
shipped lead (the opening less captions, leaning and repeated sentences) and the
older lead chosen by score: nothing of the shipped one was tuned on ROUGE, and
this shows whether the difference holds on every half.

Run: ``.venv/bin/python benchmarks/summary_coverage.py [--words] [--at COMMIT] [--sweep] [--halves]``;
``--words`` runs without the embedding model, as a process where it cannot load
does; ``--at`` measures ``index/summarize.py`` as it was at COMMIT (the "before"
figures in docs/evaluation.md are ``--at 64fff3e``); ``--sweep`` prints only ROUGE
and the caption count for each ``caption_factor`` of :data:`SWEEP`.
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

from index.cohesion import SINGLE_QUOTE_SPAN, leans_on, quote_open_after, single_quote_state
from index.embedding import shared_embedder
from index.evaluation import summaries as ev
from index.loader import load_file
from index.records import Article, Sentence
from index.summarize import DEFAULT_SETTINGS
from index.summarize import summarize as summarize_now
from index.summary_sentences import caption_factors

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "cnndm-dev.jsonl"
DUPLICATE = 0.8
CAPTION_ONLY = replace(DEFAULT_SETTINGS, caption_factor=0.0)  # flags captions as 0
SWEEP = (1.0, 0.5, 0.25)  # caption_factor: 1 leaves captions alone


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
        state = single = False
        run = 0
        for s in paragraph.sentences:
            tail, single = single_quote_state(s.text, single)
            run = run + 1 if single else 0
            if run >= SINGLE_QUOTE_SPAN:  # a closing mark missed: not followed further
                single, run = False, 0
            inside[s.position] = state or tail
            state = quote_open_after(s.text, state)
            ends[s.position] = (state or single) and s is not paragraph.sentences[-1]
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


def captions(articles: list[Article], summarize: Callable[..., object]) -> str:
    """Sentences of the default summaries that read as photo captions."""
    flagged = [caption_factors(a.sentences, CAPTION_ONLY) == 0.0 for a in articles]
    chosen = [summarize(a).sentences for a in articles]  # type: ignore[attr-defined]
    hits = sum(int(f[s.position]) for f, c in zip(flagged, chosen, strict=True) for s in c)
    return f"{hits} of {sum(len(c) for c in chosen)}"


def sweep(cnn: list[tuple[Article, str]]) -> None:
    """ROUGE (3 sentences) and caption picks (default length) for each caption factor."""
    articles = [a for a, _ in cnn] + news_dev()
    print("caption_factor | R1 / R2 / RLsum, CNN/DM dev | captions chosen, all dev")
    for factor in SWEEP:
        run = partial(summarize_now, settings=replace(DEFAULT_SETTINGS, caption_factor=factor))
        s = ev.evaluate(cnn, lambda a, k, run=run: run(a, k).sentences).system
        print(
            f"{factor:14.2f} | {s.rouge1:.2f} / {s.rouge2:.2f} / {s.rougeLsum:.2f}"
            f"        | {captions(articles, run)}",
            flush=True,
        )


def halves(cnn: list[tuple[Article, str]]) -> None:
    """R1 / RLsum gain over Lead-3 on four fixed halves, with and without the coverage pick."""
    scorer = ev.RougeScorer()
    lead = [scorer.score(ref, [s.text for s in ev.lead(a)]) for a, ref in cnn]
    n = len(cnn)
    splits = {
        "even lines": range(0, n, 2),
        "odd lines": range(1, n, 2),
        "first half": range(n // 2),
        "last half": range(n // 2, n),
        "all": range(n),
    }
    variants = {
        "shipped (the lead)": DEFAULT_SETTINGS,
        "lead by score (older)": replace(DEFAULT_SETTINGS, lead_by_score=True),
    }
    print("R1 / RLsum gain over Lead-3, 3 sentences | " + " | ".join(splits))
    for label, settings in variants.items():
        scores = [
            scorer.score(ref, [s.text for s in summarize_now(a, 3, settings=settings).sentences])
            for a, ref in cnn
        ]
        cells = []
        for idx in splits.values():
            r1 = statistics.mean(scores[i].rouge1 - lead[i].rouge1 for i in idx)
            rl = statistics.mean(scores[i].rougeLsum - lead[i].rougeLsum for i in idx)
            cells.append(f"{r1:+.2f} / {rl:+.2f}")
        print(f"  {label:22} | " + " | ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", action="store_true", help="without the embedding model")
    parser.add_argument("--at", metavar="COMMIT", help="the summariser as it was at COMMIT")
    parser.add_argument("--sweep", action="store_true", help="only ROUGE, for each setting")
    parser.add_argument("--halves", action="store_true", help="ROUGE gain on fixed halves")
    args = parser.parse_args()
    options = {"model_dir": Path("/nonexistent")} if args.words else {}
    summarize = summariser_at(args.at) if args.at else summarize_now
    cnn = list(ev.dataset_pairs(ev.read_examples(DEV)))
    if args.sweep:
        return sweep(cnn)
    if args.halves:
        return halves(cnn)
    report = ev.evaluate(cnn, lambda a, k: summarize(a, k, **options).sentences)  # type: ignore[attr-defined]
    print(f"CNN/DailyMail dev, {report.articles} articles, 3 sentences, R1 / R2 / RLsum F1:")
    for label, s in (("summariser", report.system), ("Lead-3", report.lead3)):
        print(f"  {label:11} {s.rouge1:.2f} / {s.rouge2:.2f} / {s.rougeLsum:.2f}")
    embedder = shared_embedder()
    articles = [a for a, _ in cnn] + news_dev()
    long = later = lonely = dups = chosen_total = caption = lead_kept = 0
    lengths: list[int] = []
    latest: list[float] = []
    for article in articles:
        chosen: tuple[Sentence, ...] = summarize(article, **options).sentences  # type: ignore[attr-defined]
        n = len(article.sentences)
        lengths.append(len(chosen))
        chosen_total += len(chosen)
        lonely += unsupported(article, chosen)
        flagged = caption_factors(article.sentences, CAPTION_ONLY) == 0.0
        caption += sum(int(flagged[s.position]) for s in chosen)
        opening = {i for i in range(min(3, n)) if not flagged[i]}
        lead_kept += opening <= {s.position for s in chosen}
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
    print(f"  holding each of the first three sentences, captions aside: {lead_kept}")
    print(f"  chosen sentences needing one left out: {lonely} of {chosen_total}")
    print(f"  chosen sentences that read as photo captions: {caption} of {chosen_total}")
    print(f"  near-duplicate pairs (cosine >= {DUPLICATE}): {dups}")


if __name__ == "__main__":
    main()
