"""Whether the default summary's later picks are the article's main points, by the team's labels.

The labels (``benchmarks/main_points/``, README there): for the 143 articles of the team's
training split with 12+ sentences, one annotator listed up to four sentences past the
opening (sentences 1-3) that tell a main point the opening lacks, each marked whether it
can be understood on its own; a second checked every pick and added what was missed. A
main point is a pick the checker agreed with, or one it added. No development article
and no CNN/DailyMail article is labelled: those judge the summaries.

For the tuning half (every other article by id, the half the standing-alone rules were
tuned on) and the held-out half, this prints:

* main points a coverage pick may be (``coverage_candidates`` after the lead);
* default summaries whose first coverage pick is a main point, and those with none;
* main points the default summaries hold, and summaries holding a later-half sentence;
* :func:`index.summary_sentences.self_contained` against the first annotator's "can be
  understood on its own" on every pick (leaning sentences aside): picks it accepts of
  those marked alone, and of those marked not alone.

Run: ``.venv/bin/python benchmarks/summary_main_points.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.embedding import shared_embedder
from index.loader import load_file
from index.summarize import lead_length, summarize
from index.summary_lead import clean_lead, coverage_candidates
from index.summary_sentences import caption_factors, said_words, self_contained, sentence_links
from index.summary_settings import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "main_points"
ARTICLES = ROOT / "training" / "data" / "articles"


def read_labels() -> list[tuple[dict, dict]]:
    """(annotation, check) per article, sorted by article id."""
    pairs = []
    for path in sorted(LABELS.glob("annotations-*.jsonl")):
        check_path = path.with_name(path.name.replace("annotations", "checks"))
        checks = {c["article"]: c for c in map(json.loads, check_path.open(encoding="utf-8"))}
        for line in path.open(encoding="utf-8"):
            annotation = json.loads(line)
            pairs.append((annotation, checks[annotation["article"]]))
    return sorted(pairs, key=lambda pair: pair[0]["article"])


def main_points(annotation: dict, check: dict) -> set[int]:
    """The picks the checker agreed with and those it added, as 0-based positions."""
    agreed = {v["n"] for v in check["verdicts"] if v["agree"]}
    picked = {p["n"] for p in annotation["picks"]}
    return {n - 1 for n in (picked & agreed) | {a["n"] for a in check["added"]}}


def measure(pairs: list[tuple[dict, dict]]) -> dict[str, int]:
    embedder = shared_embedder()
    if embedder is None:
        raise SystemExit("the embedding model does not load")
    counts = dict.fromkeys(
        ("articles", "main", "reachable", "first_hit", "first_none", "held", "later"), 0
    ) | dict.fromkeys(("alone", "alone_ok", "not_alone", "not_alone_ok"), 0)
    for annotation, check in pairs:
        article = load_file(ARTICLES / f"{annotation['article']}.txt")
        body = article.sentences
        main = main_points(annotation, check)
        vectors = embedder.embed([s.text for s in body])
        similarity = (vectors @ vectors.T).astype(np.float64)
        links = sentence_links(article)
        lead = clean_lead(body, lead_length(len(body)), similarity, links, DEFAULT_SETTINGS)
        captions = caption_factors(body, DEFAULT_SETTINGS) < 1.0
        pool = set(coverage_candidates(body, lead, similarity, links, captions))
        picked = [body.index(s) for s in summarize(article).sentences]
        extra = [i for i in picked if i not in lead]
        counts["articles"] += 1
        counts["main"] += len(main)
        counts["reachable"] += len(main & pool)
        counts["first_hit"] += bool(extra) and extra[0] in main
        counts["first_none"] += not extra
        counts["held"] += len(main & set(picked))
        counts["later"] += any(i >= len(body) / 2 for i in picked)
        said = said_words(body, lead)
        for pick in annotation["picks"]:
            i = pick["n"] - 1
            if i >= len(body) or links[0][i] or links[1][i]:
                continue
            key = "alone" if pick["alone"] else "not_alone"
            counts[key] += 1
            counts[key + "_ok"] += self_contained(body[i].text, said)
    return counts


def main() -> None:
    pairs = read_labels()
    halves = {"tuning": pairs[0::2], "held out": pairs[1::2]}
    for name, half in halves.items():
        c = measure(half)
        print(
            f"{name} ({c['articles']} articles, {c['main']} main points): "
            f"{c['reachable']} may be a coverage pick; first pick a main point "
            f"{c['first_hit']} (none {c['first_none']}); main points held {c['held']}; "
            f"later-half sentence in {c['later']}; standing alone accepted "
            f"{c['alone_ok']} of {c['alone']} marked alone, {c['not_alone_ok']} of "
            f"{c['not_alone']} marked not"
        )


if __name__ == "__main__":
    main()
