"""The team's news QA set (``training/data/``) as the training and calibration scripts read it.

Articles load through the bot's own loader, so paragraphs are exactly what the
bot indexes. The second pass's verdicts (``checks/*.jsonl``) are applied:
``dropped`` questions go, ``fixed`` ones are replaced by the checker's version.
The split is by article and fixed in ``split.json`` (``make_split`` drew it
once, with a seed): the development part is never trained on.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class NewsQuestion:
    id: str
    article: str
    question: str
    answerable: bool
    answers: tuple[str, ...]
    sentence: str | None
    kind: str
    unanswerable_kind: str | None = None

    @classmethod
    def from_json(cls, row: dict) -> NewsQuestion:
        return cls(
            row["id"],
            row["article"],
            row["question"],
            bool(row["answerable"]),
            tuple(row.get("answers") or ()),
            row.get("sentence"),
            row["kind"],
            row.get("unanswerable_kind"),
        )

    def gold_paragraph(self, article) -> tuple[int, int] | None:
        """(paragraph number, char start) of the first answer in the sentence's paragraph."""
        if not self.answers:
            return None
        first = self.answers[0]
        for paragraph in article.paragraphs:
            if self.sentence and self.sentence in paragraph.text:
                at = paragraph.text.find(first, paragraph.text.find(self.sentence))
                if at >= 0:
                    return paragraph.number, at
        for paragraph in article.paragraphs:  # the sentence was re-split or re-quoted
            if first in paragraph.text:
                return paragraph.number, paragraph.text.find(first)
        return None

    def exact_answers(self) -> list[str]:
        return [a for a in self.answers if a]


@dataclass
class NewsData:
    train_articles: list = field(default_factory=list)
    dev_articles: list = field(default_factory=list)
    train_questions: list[NewsQuestion] = field(default_factory=list)
    dev_questions: list[NewsQuestion] = field(default_factory=list)
    dropped: int = 0
    fixed: int = 0


def checked_rows(data_dir: Path, balanced: bool = True) -> tuple[list[dict], int, int]:
    """Every question with the second pass applied; how many were dropped and fixed.

    ``balanced``: also apply ``balance.json`` (``data/balance.py``: questions
    dropped so the wording does not give the label away, some recased).
    """
    balance = {"dropped": {}, "recased": {}}
    if balanced and (data_dir / "balance.json").exists():
        balance = json.loads((data_dir / "balance.json").read_text(encoding="utf-8"))
    verdicts: dict[str, dict] = {}
    for file in sorted((data_dir / "checks").glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                verdicts[row["id"]] = row
    rows, dropped, fixed = [], 0, 0
    for file in sorted((data_dir / "questions").glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            verdict = verdicts.get(row["id"], {})
            if verdict.get("verdict") == "dropped":
                dropped += 1
                continue
            if verdict.get("verdict") == "fixed" and isinstance(verdict.get("fixed"), dict):
                row = {**row, **verdict["fixed"]}
                fixed += 1
            if row["id"] in balance["dropped"]:
                continue
            if row["id"] in balance["recased"]:
                row = {**row, "question": balance["recased"][row["id"]]}
            rows.append(row)
    return rows, dropped, fixed


REAL_BATCHES = frozenset(
    {"wn", "gv", "am1", "am2"}
)  # published news; the others are invented events


def make_split(article_ids: list[str], seed: int = 7) -> dict[str, list[str]]:
    """A by-article split, stratified by batch (the id's prefix) so each writer is in both parts.

    Half of the real articles go to the development part and a fifth of the
    invented ones: calibration and the report should lean on published news,
    which is what the bot is judged on.
    """
    by_batch: dict[str, list[str]] = defaultdict(list)
    for aid in sorted(article_ids):
        by_batch[aid.rsplit("-", 1)[0]].append(aid)
    rng = random.Random(seed)
    dev: list[str] = []
    for batch in sorted(by_batch):
        ids = by_batch[batch]
        rng.shuffle(ids)
        share = 0.5 if batch in REAL_BATCHES else 0.2
        dev += ids[: max(1, round(len(ids) * share))]
    return {"dev": sorted(dev), "train": sorted(set(article_ids) - set(dev))}


def extend_split(
    split: dict[str, list[str]], article_ids: list[str], seed: int = 7
) -> dict[str, list[str]]:
    """``split`` with the articles of batches it has not seen drawn by :func:`make_split`'s rule.

    Articles already in the split keep their side, so adding a batch never
    moves a development article into training or back.
    """
    known = set(split["dev"]) | set(split["train"])
    new = make_split([a for a in article_ids if a not in known], seed)
    return {
        "dev": sorted(split["dev"] + new["dev"]),
        "train": sorted(split["train"] + new["train"]),
    }


@cache
def load_news(data_dir: Path = DATA) -> NewsData:
    """The news QA set, read once per process (training, the partners of the unanswerable
    questions and QAMR's exclusions all ask for it): callers read it, never change it."""
    from index.loader import load_folder

    loaded = load_folder(data_dir / "articles")
    articles = {a.id: a for a in loaded.articles}
    split = json.loads((data_dir / "split.json").read_text(encoding="utf-8"))
    dev_ids = set(split["dev"])
    rows, dropped, fixed = checked_rows(data_dir)
    data = NewsData(dropped=dropped, fixed=fixed)
    for aid, article in sorted(articles.items()):
        (data.dev_articles if aid in dev_ids else data.train_articles).append(article)
    for row in rows:
        if row["article"] not in articles:
            continue
        q = NewsQuestion.from_json(row)
        (data.dev_questions if q.article in dev_ids else data.train_questions).append(q)
    return data
