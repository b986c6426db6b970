"""How many summaries open with a sentence that leans on the one before it.

For every article of the development file (default ``tests/data/cnndm-dev.jsonl``,
read and cleaned as ``articlebot eval-summaries`` reads it) this makes the plain
three-sentence summary and one topic summary for each of its reference highlights
(the highlight's words as the topic, as a user would type them), and counts the
summaries whose first sentence :func:`index.cohesion.leans_on_previous` flags and
is not the article's first (nothing comes before that one to take). It also counts
how many body sentences are flagged, for scale.

Run: ``.venv/bin/python benchmarks/summary_openers.py [DEV.jsonl] [--show]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from index.cohesion import leans_on_previous
from index.evaluation import summaries as ev
from index.summarize import Summary, summarize

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "cnndm-dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEV))
    parser.add_argument("--show", action="store_true", help="print each flagged opener")
    args = parser.parse_args()
    examples = ev.read_examples(args.file)
    plain = topic = first_topic = found = first_found = flagged = sentences = 0
    for article, reference in ev.dataset_pairs(examples):
        sentences += len(article.sentences)
        flagged += sum(leans_on_previous(s.text) for s in article.sentences)
        plain += dangling(summarize(article), "plain", args.show)
        for n, highlight in enumerate(h for h in reference.splitlines() if h.strip()):
            on_topic = summarize(article, topic=highlight)
            found += on_topic.found
            topic += dangling(on_topic, "topic", args.show)
            if n == 0:
                first_found += on_topic.found
                first_topic += dangling(on_topic, "", False)
    print(
        f"{len(examples)} articles; {flagged} of {sentences} body sentences lean on the one before"
    )
    print(f"plain summaries opening with one: {plain} of {len(examples)}")
    print(f"topic summaries, first highlight as topic: {first_topic} of {first_found} found")
    print(f"topic summaries, every highlight as topic: {topic} of {found} found")


def dangling(summary: Summary, kind: str, show: bool) -> int:
    """1 when the summary opens with a sentence that leans on one before it, else 0."""
    if not summary.sentences:
        return 0
    opener = summary.sentences[0]
    if opener.position == 0 or not leans_on_previous(opener.text):
        return 0
    if show:
        print(f"{kind:6} {summary.article_id[:12]} #{opener.position}: {opener.text[:90]}")
    return 1


if __name__ == "__main__":
    main()
