"""Draw the paragraphs the team writes unanswerable questions on.

600 SQuAD v1.1 training paragraphs (5 from each of 120 articles, 60-220 words), drawn with a
fixed seed from ``../shared/train/squad-v1.1-train-full.json.gz`` and written in six batches
of 100 (``paragraphs/a1.jsonl`` ... ``a6.jsonl``), and the 152 Wikinews paragraphs of
``qamr-wikinews.json.gz`` (news text) in three batches (``n1`` ... ``n3``); each paragraph
with questions it does answer (SQuAD's, or up to 8 of QAMR's) so a writer sees them.
A second draw (session 12), after the first and from articles it did not take: 400 more
SQuAD training paragraphs (5 from each of 80 articles, ``a7`` ... ``a10``) and 200 of
SquadShifts new_wiki (``squadshifts-new-wiki-v1.0.json.gz``, CC BY 4.0; ``s1``, ``s2``).
A third draw (session 13): 600 body paragraphs (40-220 words) of the **training part** of the
team's news QA set (``training/data/``, never its development part), every fitting paragraph
of the real articles (Wikinews, Global Voices) and the rest from the invented ones, each with
the team's answerable questions whose sentence it holds (``t1`` ... ``t6``).
Run: ``python3 training/data/adversarial/select.py``.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[3] / "shared" / "train" / "squad-v1.1-train-full.json.gz"
NEWS = SOURCE.with_name("qamr-wikinews.json.gz")
SHIFTS = SOURCE.with_name("squadshifts-new-wiki-v1.0.json.gz")
NEWS_BATCHES = 3
ARTICLES, PER_ARTICLE, BATCHES = 120, 5, 6
NEWS_PARAGRAPHS = 600


def write_batches(paragraphs: list[dict], prefix: str, batches: int, first_batch: int = 1) -> None:
    """``paragraphs`` in ``batches`` files of nearly equal size: ``paragraphs/<prefix>N.jsonl``."""
    size = -(-len(paragraphs) // batches)
    for b in range(batches):
        out = HERE / "paragraphs" / f"{prefix}{b + first_batch}.jsonl"
        lines = [json.dumps(p, ensure_ascii=False) for p in paragraphs[b * size : (b + 1) * size]]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(paragraphs)} paragraphs in {batches} batches ({prefix}{first_batch} ...)")


def draw(articles: list[dict], per_article: int, rng: random.Random) -> list[dict]:
    """Up to ``per_article`` paragraphs of 60-220 words from each article, shuffled."""
    chosen = []
    for article in articles:
        fit = [
            (k, p)
            for k, p in enumerate(article["paragraphs"])
            if 60 <= len(p["context"].split()) <= 220
        ]
        for k, p in rng.sample(fit, min(per_article, len(fit))):
            chosen.append(
                {
                    "pid": f"{article['title']}-{k}",
                    "title": article["title"].replace("_", " "),
                    "context": p["context"],
                    "answerable": [q["question"] for q in p["qas"]],
                }
            )
    rng.shuffle(chosen)
    return chosen


def news_training_paragraphs(rng: random.Random) -> list[dict]:
    """The news training part's body paragraphs: all the real articles' and invented ones'."""
    sys.path.insert(0, str(HERE.parents[1]))
    sys.path.insert(0, str(HERE.parents[2]))
    from adversarial_data import news_partners
    from news_data import load_news

    asked = news_partners()
    real, invented = [], []
    for article in load_news().train_articles:
        for paragraph in article.paragraphs:
            if not 40 <= len(paragraph.text.split()) <= 220:
                continue
            pid = f"{article.id}-{paragraph.number}"
            (invented if article.id.startswith("inv") else real).append(
                {
                    "pid": pid,
                    "title": article.title,
                    "context": paragraph.text,
                    "answerable": [q["question"] for q in asked.get(pid, [])],
                }
            )
    chosen = real + rng.sample(invented, NEWS_PARAGRAPHS - len(real))
    rng.shuffle(chosen)
    return chosen


def main() -> None:
    data = json.loads(gzip.decompress(SOURCE.read_bytes()))["data"]
    rng = random.Random(2026)
    first = rng.sample(data, ARTICLES)
    write_batches(draw(first, PER_ARTICLE, rng), "a", BATCHES)
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
    second = random.Random(2027)
    taken = {a["title"] for a in first}
    rest = [a for a in data if a["title"] not in taken]
    write_batches(draw(second.sample(rest, 80), PER_ARTICLE, second), "a", 4, first_batch=7)
    shifts = json.loads(gzip.decompress(SHIFTS.read_bytes()))["data"]
    write_batches(draw(shifts, 5, second)[:200], "s", 2)
    write_batches(news_training_paragraphs(random.Random(2028)), "t", 6)


if __name__ == "__main__":
    main()
