"""Follow-up questions read in context (issue 26): how they fare against the same question in full.

Not a test. Runs benchmarks/followup_dialogues.json (or ``--dialogues FILE``:
benchmarks/followup_dialogues_heldout.json is the held-out set, measured only once
before and once after a change; benchmarks/followup_dialogues_tuning.json the set to
tune on) over each of its article setups, every dialogue as one conversation through the answering service (the
terminal's and Discord's path), and prints per setup:

* follow-ups answered right, beside the same questions asked in full (and
  asked as typed with no context, which is what the bot did before); those
  relative in time to the answer before ("and after that?") also on their own;
* topic switches answered right from the article named (and from it at all);
* whole questions asked mid-conversation ("same": "who is the mayor?" after "how much is
  the tax?") answered right in context, beside the same question asked afresh;
* unanswerable follow-ups refused;

then the seed's time per question (p50, p95) over tests/data/article_qa_dev.jsonl,
asked through the service alone and as follow-ups of the question before.

    .venv/bin/python benchmarks/followup_bench.py [--dialogues FILE] [--no-timings]

An article named ``seed`` is the seed's; one of ``training/data/articles`` by its id
(``wn-003``); any other by its id in tests/data/cnndm-dev.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from pathlib import Path

import numpy as np

from bot.serving.answering import AnsweringService, Place
from index import Article, Engine, build_corpus, load_folder
from index.loader import article_from_text, load_file

ROOT = Path(__file__).resolve().parents[1]
DIALOGUES = ROOT / "benchmarks/followup_dialogues.json"
TRAINING_ARTICLES = ROOT / "training/data/articles"
CNNDM = ROOT / "tests/data/cnndm-dev.jsonl"
SEED_QUESTIONS = ROOT / "tests/data/article_qa_dev.jsonl"


def articles(names: dict[str, str]) -> dict[str, Article]:
    """The named articles: the seed's, the team's news articles as they are, and CNN/DailyMail
    ones cut into paragraphs of three sentences (the set keeps each article as one block)."""
    seed = load_folder(ROOT / "seeds").articles[0]
    rows = {r["id"]: r for r in map(json.loads, CNNDM.read_text().splitlines())}
    out = {}
    for name, ident in names.items():
        if ident == "seed":
            out[name] = seed
            continue
        if (TRAINING_ARTICLES / f"{ident}.txt").is_file():
            out[name] = load_file(TRAINING_ARTICLES / f"{ident}.txt")
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
        "followups context full alone timed timed_context timed_full switches switched from_it "
        "unanswerable refused same same_context same_alone".split(),
        0,
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
                if turn.get("time"):
                    tally["timed"] += 1
                    tally["timed_context"] += right(reply.answer, turn["answers"])
                    tally["timed_full"] += right(full.answer, turn["answers"])
                if not right(reply.answer, turn["answers"]):
                    read = reply.answer.read_as if reply.answer else None
                    got = reply.answer.answer if reply.answer else reply.kind
                    print(f"    missed: {turn['ask']!r} read as {read!r}: {got!r}")
            elif kind == "switch":
                tally["switches"] += 1
                from_it = (
                    reply.answer is not None and reply.answer.article_id == ids[turn["article"]]
                )
                tally["from_it"] += from_it
                tally["switched"] += from_it and right(reply.answer, turn["answers"])
                if not (from_it and right(reply.answer, turn["answers"])):
                    read = reply.answer.read_as if reply.answer else None
                    got = reply.answer.answer if reply.answer else reply.kind
                    print(f"    switch missed: {turn['ask']!r} read as {read!r}: {got!r}")
            elif kind == "same":  # a whole question mid-conversation: as good as asked afresh
                alone = await AnsweringService(engine, max_chars=1000).ask(fresh, turn["ask"])
                tally["same"] += 1
                tally["same_context"] += right(reply.answer, turn["answers"])
                tally["same_alone"] += right(alone.answer, turn["answers"])
                if not right(reply.answer, turn["answers"]) and right(
                    alone.answer, turn["answers"]
                ):
                    read = reply.answer.read_as if reply.answer else None
                    got = reply.answer.answer if reply.answer else reply.kind
                    print(f"    same missed: {turn['ask']!r} read as {read!r}: {got!r}")
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dialogues", type=Path, default=DIALOGUES, help="the dialogues' JSON")
    parser.add_argument("--no-timings", action="store_true", help="skip the seed's timings")
    args = parser.parse_args()
    spec = json.loads(args.dialogues.read_text())
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
        if t["timed"]:
            print(
                f"  of them relative in time: {t['timed_context']}/{t['timed']} in context, "
                f"{t['timed_full']}/{t['timed']} asked in full"
            )
        if t["same"]:
            print(
                f"  whole questions mid-conversation right: {t['same_context']}/{t['same']} in "
                f"context, {t['same_alone']}/{t['same']} asked afresh"
            )
        print(
            f"  switches answered from that article: {t['switched']}/{t['switches']} right "
            f"({t['from_it']}/{t['switches']} from it at all); "
            f"unanswerable follow-ups refused: {t['refused']}/{t['unanswerable']}"
        )
    if args.no_timings:
        return
    seed_engine = Engine(build_corpus([load_folder(ROOT / "seeds").articles[0]]).corpus)
    alone, chained = timings(seed_engine)
    for label, ms in (("alone", alone), ("as follow-ups", chained)):
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"seed, {len(ms)} questions {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
