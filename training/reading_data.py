"""Stage 1 of the reader's training, *reading*: open Wikipedia QA data as question groups.

Sources (licences in ``index/reader_model/MODEL.md``): the whole SQuAD v1.1
training set and SquadShifts new_wiki from ``../shared/train/``, and the 20
SQuAD training articles of ``../shared/eval/squad/*-train.json`` (the v2.0 one
with its real unanswerable questions). No development or judging article is
read here.

Each answerable question becomes a group of its own paragraph, gold at *every*
copy of *every* labelled answer text in it (the rebuilt SQuAD offsets guess
among repeats; SquadShifts gives several answers). About half of them also get
a *topical unanswerable twin*: the same question over another paragraph of the
same article that holds none of its answers, drawn from the three that share
most words with the question, gold at [CLS], as SQuAD 2.0's near misses are.
With the twins a third of the examples, the reader learns to say "not here"
for the passages the bot's retrieval really hands it: same topic, wrong place.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
TRAIN_FILES = ("squad-v1.1-train-full.json.gz", "squadshifts-new-wiki-v1.0.json.gz")
EVAL_TRAIN_FILES = ("squad-v1.1-train.json", "squad-v2.0-train.json")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an and are as at be by did do does for from had has have how in is it its of on or "
    "that the their there they this to was were what when where which who whom whose why "
    "with".split()
)


@dataclass
class Group:
    """One question with the passages read for it and where its answer lies in them."""

    source: str
    question: str
    passages: list[str]
    answers: list[tuple[int, int, int]]  # (passage, char start, char end); empty: no answer


def occurrences(passage: str, texts: list[str]) -> list[tuple[int, int]]:
    """Every place one of ``texts`` is copied in ``passage``."""
    found: set[tuple[int, int]] = set()
    for text in texts:
        if not text:
            continue
        at = passage.find(text)
        while at >= 0:
            found.add((at, at + len(text)))
            at = passage.find(text, at + 1)
    return sorted(found)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def read_json(path: Path) -> dict:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _twin(
    question: str, texts: list[str], own: int, contexts: list[str], rng: random.Random
) -> str | None:
    """A paragraph of the same article, close to the question, holding none of the answers."""
    asked = _words(question)
    candidates = [
        (len(asked & _words(c)), k)
        for k, c in enumerate(contexts)
        if k != own and not any(t and t in c for t in texts)
    ]
    if not candidates:
        return None
    candidates.sort(reverse=True)
    return contexts[rng.choice(candidates[:3])[1]]


def article_groups(
    article: dict, source: str, rng: random.Random, twin_share: float
) -> list[Group]:
    """The groups of one SQuAD-format article: each question, and some unanswerable twins."""
    contexts = [p["context"] for p in article["paragraphs"]]
    groups: list[Group] = []
    for k, paragraph in enumerate(article["paragraphs"]):
        context = paragraph["context"]
        for qa in paragraph["qas"]:
            question = qa["question"].strip()
            if not question:
                continue
            if qa.get("is_impossible"):
                groups.append(Group(source, question, [context], []))
                continue
            texts = sorted({a["text"] for a in qa["answers"] if a["text"].strip()})
            spans = occurrences(context, texts)
            if not spans:
                continue
            groups.append(Group(source, question, [context], [(0, a, b) for a, b in spans]))
            if rng.random() < twin_share:
                other = _twin(question, texts, k, contexts, rng)
                if other is not None:
                    groups.append(Group(source + "-twin", question, [other], []))
    return groups


def reading_groups(
    questions: int, seed: int, twin_share: float = 0.5, shared: Path = SHARED
) -> list[Group]:
    """About ``questions`` answerable questions drawn from all sources (0: all), with twins.

    Questions are drawn at random across every article, so a subsample still
    covers every paragraph type; the twins come on top.
    """
    rng = random.Random(seed)
    articles: list[tuple[str, dict]] = []
    for name in TRAIN_FILES:
        source = "squadshifts" if "shifts" in name else "squad"
        articles += [(source, a) for a in read_json(shared / "train" / name)["data"]]
    for name in EVAL_TRAIN_FILES:
        articles += [("squad", a) for a in read_json(shared / "eval" / "squad" / name)["data"]]
    total = sum(len(p["qas"]) for _, a in articles for p in a["paragraphs"])
    keep = 1.0 if not questions else min(1.0, questions / total)
    groups: list[Group] = []
    for source, article in articles:
        drawn = {
            **article,
            "paragraphs": [
                {**p, "qas": [q for q in p["qas"] if rng.random() < keep]}
                for p in article["paragraphs"]
            ],
        }
        groups += article_groups(drawn, source, rng, twin_share)
    rng.shuffle(groups)
    return groups
