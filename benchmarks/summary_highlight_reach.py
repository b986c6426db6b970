"""Whether the later-half sentences CNN/DailyMail's own highlights draw on could stand alone.

Issue 28 asks that half the summaries of 12+ sentence articles hold a sentence from the
article's later half, and that every sentence stand alone. On the 50 CNN/DailyMail
development articles of ``tests/data/cnndm-dev.jsonl`` (development only: nothing here is
fitted), each highlight is matched to the body sentence it draws on most (ROUGE-2 F1, as
extractive oracles are made), and each such sentence in the later half is checked the way
a coverage or later pick is (:func:`index.summary_lead.coverage_candidates` less its
novelty tests): not leaning on the sentence before it nor continued by the next
(:func:`index.summary_sentences.sentence_links`), not a photo caption, and
:func:`index.summary_sentences.self_contained` after the article's default summary.

It prints how many articles have a highlight drawn from the later half, how many of those
sentences would stand alone, and why the rest would not. When few stand alone, the
later-half target and the standing-alone one pull apart on such articles; no threshold on
the later pick changes that.

Run: ``.venv/bin/python benchmarks/summary_highlight_reach.py [--show]`` (needs the
``eval`` extra for ROUGE).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from index.evaluation import summaries as ev
from index.records import Article
from index.summarize import summarize
from index.summary_sentences import caption_factors, said_words, self_contained, sentence_links
from index.summary_settings import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "cnndm-dev.jsonl"
MIN_SENTENCES = 12


def later_sources(
    article: Article, highlights: str, overlap: Callable[[str, str], float]
) -> list[int]:
    """Body sentences in the later half that some highlight draws on most (by ``overlap``)."""
    body = article.sentences
    found = set()
    for line in (h for h in highlights.split("\n") if h.strip()):
        best = max(range(len(body)), key=lambda i: overlap(line, body[i].text))
        if 2 * best >= len(body):
            found.add(best)
    return sorted(found)


def obstacles(article: Article, i: int) -> list[str]:
    """Why sentence ``i`` could not be a pick standing alone after the default summary."""
    body = article.sentences
    chosen = [body.index(s) for s in summarize(article).sentences]
    back, forward = sentence_links(article)
    why = []
    if back[i]:
        why.append("leans on the sentence before")
    if forward[i]:
        why.append("a quotation runs on")
    if caption_factors(body, DEFAULT_SETTINGS)[i] < 1.0:
        why.append("a photo caption")
    if not self_contained(body[i].text, said_words(body, chosen)):
        why.append("not self-contained")
    return why


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print each sentence turned away")
    args = parser.parse_args()
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)

    def overlap(highlight: str, sentence: str) -> float:
        return float(scorer.score(highlight, sentence)["rouge2"].fmeasure)

    long = reached = sentences = alone = with_alone = 0
    reasons: Counter[str] = Counter()
    for article, highlights in ev.dataset_pairs(ev.read_examples(DEV)):
        if len(article.sentences) < MIN_SENTENCES:
            continue
        long += 1
        sources = later_sources(article, highlights, overlap)
        reached += bool(sources)
        standing = 0
        for i in sources:
            why = obstacles(article, i)
            reasons.update(why)
            standing += not why
            if why and args.show:
                print(f"  [{'; '.join(why)}] {article.sentences[i].text[:140]}")
        sentences += len(sources)
        alone += standing
        with_alone += standing > 0
    print(f"CNN/DailyMail development articles of {MIN_SENTENCES}+ sentences: {long}")
    print(f"  with a highlight drawn from the later half: {reached}")
    print(f"  later-half sentences the highlights draw on: {sentences}, standing alone: {alone}")
    print(f"  articles where one of them stands alone: {with_alone}")
    for reason, count in reasons.most_common():
        print(f"  turned away, {reason}: {count}")


if __name__ == "__main__":
    main()
