"""Draw the paragraphs the team writes unanswerable questions on.

600 SQuAD v1.1 training paragraphs (5 from each of 120 articles, 60-220 words), drawn with a
fixed seed from ``../shared/train/squad-v1.1-train-full.json.gz`` and written in six batches
of 100 (``paragraphs/a1.jsonl`` ... ``a6.jsonl``), and the 152 Wikinews paragraphs of
``qamr-wikinews.json.gz`` (news text) in three batches (``n1`` ... ``n3``); each paragraph
with questions it does answer (SQuAD's, or up to 8 of QAMR's) so a writer sees them.
Run: ``python3 training/data/adversarial/select.py``.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[3] / "shared" / "train" / "squad-v1.1-train-full.json.gz"
NEWS = SOURCE.with_name("qamr-wikinews.json.gz")
NEWS_BATCHES = 3
ARTICLES, PER_ARTICLE, BATCHES = 120, 5, 6


def write_batches(paragraphs: list[dict], prefix: str, batches: int) -> None:
    """``paragraphs`` in ``batches`` files of nearly equal size: ``paragraphs/<prefix>N.jsonl``."""
    size = -(-len(paragraphs) // batches)
    for b in range(batches):
        out = HERE / "paragraphs" / f"{prefix}{b + 1}.jsonl"
        lines = [json.dumps(p, ensure_ascii=False) for p in paragraphs[b * size : (b + 1) * size]]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(paragraphs)} paragraphs in {batches} batches ({prefix}1 ...)")


def main() -> None:
    data = json.loads(gzip.decompress(SOURCE.read_bytes()))["data"]
    rng = random.Random(2026)
    chosen = []
    for article in rng.sample(data, ARTICLES):
        fit = [
            (k, p) for k, p in enumerate(article["paragraphs"])
            if 60 <= len(p["context"].split()) <= 220
        ]
        for k, p in rng.sample(fit, min(PER_ARTICLE, len(fit))):
            chosen.append({
                "pid": f"{article['title']}-{k}",
                "title": article["title"].replace("_", " "),
                "context": p["context"],
                "answerable": [q["question"] for q in p["qas"]],
            })
    rng.shuffle(chosen)
    write_batches(chosen, "a", BATCHES)
    news = [
        {
            "pid": article["title"],
            "title": "Wikinews",
            "context": p["context"],
            "answerable": [q["question"] for q in p["qas"][:8]],
        }
        for article in json.loads(gzip.decompress(NEWS.read_bytes()))["data"]
        for p in article["paragraphs"]
    ]
    rng.shuffle(news)
    write_batches(news, "n", NEWS_BATCHES)


if __name__ == "__main__":
    main()
