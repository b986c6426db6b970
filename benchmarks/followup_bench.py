"""Follow-up questions read in context (issue 26): how they fare against the same question in full.

Not a test. Runs benchmarks/followup_dialogues.json over each of its article
setups, every dialogue as one conversation through the answering service (the
terminal's and Discord's path), and prints per setup:

* follow-ups answered right, beside the same questions asked in full (and
  asked as typed with no context, which is what the bot did before);
* topic switches answered from the article named;
* unanswerable follow-ups refused;

then the seed's time per question (p50, p95) over tests/data/article_qa_dev.jsonl,
asked through the service alone and as follow-ups of the question before.

    .venv/bin/python benchmarks/followup_bench.py
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import numpy as np

from bot.serving.answering import AnsweringService, Place
from index import Article, Engine, build_corpus, load_folder
from index.loader import article_from_text

ROOT = Path(__file__).resolve().parents[1]
DIALOGUES = ROOT / "benchmarks/followup_dialogues.json"
CNNDM = ROOT / "tests/data/cnndm-dev.jsonl"
SEED_QUESTIONS = ROOT / "tests/data/article_qa_dev.jsonl"


def articles(names: dict[str, str]) -> dict[str, Article]:
    """The named articles: the seed's, and CNN/DailyMail ones cut into paragraphs of three
    sentences (the set keeps each article as one block)."""
    seed = load_folder(ROOT / "seeds").articles[0]
    rows = {r["id"]: r for r in map(json.loads, CNNDM.read_text().splitlines())}
    out = {}
    for name, ident in names.items():
        if ident == "seed":
            out[name] = seed
            continue
        sentences = re.split(r"(?<=[.!?'\"])\s+(?=[A-Z])", rows[ident]["article"])
        blocks = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        out[name] = article_from_text(ident[:16], sentences[0][:90], blocks)
    return out


def right(reply_answer: object, answers: list[str]) -> bool:
    answer = getattr(reply_answer, "answer", None)
    if not getattr(reply_answer, "found", False) or not answer:
        return False
    return any(a.casefold() in answer.casefold() for a in answers)


async def run_setup(engine: Engine, dialogues: list[dict], ids: dict[str, str]) -> dict[str, int]:
    tally = dict.fromkeys(
        "followups context full alone switches switched unanswerable refused".split(), 0
    )
    for n, dialogue in enumerate(dialogues):
        service = AnsweringService(engine, max_chars=1000)
        place, fresh = Place("terminal", n), Place("terminal", 10_000 + n)
        for turn in dialogue["turns"]:
            reply = await service.ask(place, turn["ask"])
            kind = turn["kind"]
            if kind == "followup":
                full = await AnsweringService(engine, max_chars=1000).ask(fresh, turn["full"])
                alone = await AnsweringService(engine, max_chars=1000).ask(fresh, turn["ask"])
                tally["followups"] += 1
                tally["context"] += right(reply.answer, turn["answers"])
                tally["full"] += right(full.answer, turn["answers"])
                tally["alone"] += right(alone.answer, turn["answers"])
                if not right(reply.answer, turn["answers"]):
                    read = reply.answer.read_as if reply.answer else None
                    got = reply.answer.answer if reply.answer else reply.kind
                    print(f"    missed: {turn['ask']!r} read as {read!r}: {got!r}")
            elif kind == "switch":
                tally["switches"] += 1
                from_it = reply.answer is not None and reply.answer.article_id == ids[turn["article"]]
                tally["switched"] += from_it and right(reply.answer, turn["answers"])
            elif kind == "unanswerable":
                tally["unanswerable"] += 1
                tally["refused"] += reply.answer is not None and not reply.answer.found
    return tally


def timings(engine: Engine) -> tuple[list[float], list[float]]:
    """Milliseconds per seed question through the service: asked alone, and each asked
    as a follow-up of the one before (the follow-up reading included)."""
    questions = [json.loads(line)["question"] for line in SEED_QUESTIONS.read_text().splitlines()]

    async def run(conversation: bool) -> list[float]:
        service = AnsweringService(engine, max_chars=1000)
        out = []
        for n, question in enumerate(questions * 3):
            place = Place("terminal", 0 if conversation else n)
            started = time.perf_counter()
            await service.ask(place, question)
            out.append((time.perf_counter() - started) * 1000)
        return out

    return asyncio.run(run(False)), asyncio.run(run(True))


def main() -> None:
    spec = json.loads(DIALOGUES.read_text())
    named = articles(spec["articles"])
    for setup, names in spec["setups"].items():
        engine = Engine(build_corpus([named[n] for n in names]).corpus)
        ids = {n: named[n].id for n in names}
        chosen = [
            d
            for d in spec["dialogues"]
            if all(t.get("article", d["article"]) in names for t in d["turns"])
        ]
        print(f"{setup}: {len(chosen)} dialogues")
        t = asyncio.run(run_setup(engine, chosen, ids))
        ratio = t["context"] / t["full"] if t["full"] else float("nan")
        print(
            f"  follow-ups right: {t['context']}/{t['followups']} in context, "
            f"{t['full']}/{t['followups']} asked in full ({ratio:.2f} of it), "
            f"{t['alone']}/{t['followups']} as typed without context"
        )
        print(
            f"  switches answered from that article: {t['switched']}/{t['switches']}; "
            f"unanswerable follow-ups refused: {t['refused']}/{t['unanswerable']}"
        )
    seed_engine = Engine(build_corpus([named["seed"]]).corpus)
    alone, chained = timings(seed_engine)
    for label, ms in (("alone", alone), ("as follow-ups", chained)):
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"seed, {len(ms)} questions {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
