"""Lines asking for an account of a subject ("tell me about the strike"): how many are read
so, and how many questions of the development sets are read so by mistake.

Not a test. ``benchmarks/account_lines/tuning.jsonl`` (the rule was shaped on it),
``heldout.jsonl`` (written by another annotator; judged blind in ``verdicts-heldout.jsonl``
against ``key-heldout.json``, docs/evaluation.md "Lines asking for an account") and
``fresh.jsonl`` (a third annotator, one line on each article's story and one on a side of it;
the filled accounts judged blind in ``verdicts-fresh.jsonl`` against ``key-fresh.json``): each
line with its article, all 16 of a set's articles indexed together. Prints, per set, the lines
read as accounts, those summarised from their own article, and the sentences an account
holds against the topic summary alone; the key sentences held (the side lines' labels, mapped
to sentences by a second annotator, and the covered topics of ``summary_topics_tuning.json``
and ``summary_topics_heldout.json``); then the development questions (the seed's, the
team's news questions, the SQuAD training split) read so. ``side.jsonl`` was written by a
fourth annotator, on one part of each article; ``*-searched.*`` judge a variant not kept.
``side2.jsonl``: a sixth annotator's lines on one part of each of 16 more articles, with key
facts; its subjects as written, the topic summary, the account before and the passage
account judged blind three ways in ``verdicts-passage.jsonl`` (``key-passage.json``).
``typed-topics.jsonl`` to ``typed-topics6.jsonl``: short topics typed for ``/summary`` by a
seventh to a fourteenth annotator, with key facts (the fourth to sixth sets on articles of the
team's training split); the replies judged blind in ``verdicts-typed*.jsonl``
(``key-typed*.json``).

    .venv/bin/python benchmarks/account_lines.py
"""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

from summary_topics import dev_articles

from index.engine import Engine
from index.gist import account_subject
from index.loader import load_file
from index.records import Article
from index.saved.building import build_corpus
from index.summarize import summarize
from index.summary_account import account
from index.summary_settings import Summary

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "training" / "data" / "articles"
TYPED = tuple(f"typed-topics{n}.jsonl" for n in ("", "2", "3", "4", "5", "6"))
HERE = ROOT / "benchmarks" / "account_lines"
SHARED = ROOT.parent / "shared"


def lines(name: str) -> list[dict[str, str]]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def dev_questions() -> list[str]:
    questions = []
    files = [
        SHARED / "eval" / "article_qa_dev.jsonl",
        *(ROOT / "training" / "data" / "questions").glob("*.jsonl"),
    ]
    for path in files:
        questions += [
            json.loads(line)["question"] for line in path.read_text().splitlines() if line
        ]
    for path in (SHARED / "eval" / "squad").glob("*-train.json"):
        for article in json.loads(path.read_text())["data"]:
            questions += [q["question"] for p in article["paragraphs"] for q in p["qas"]]
    return questions


KeyedTopic = tuple[str, str, list[list[int]], set[int]]


def topic_summary(article: Article, subject: str) -> Summary:
    return summarize(article, topic=subject)


def keyed_sets(articles: dict[str, Article]) -> dict[str, list[KeyedTopic]]:
    """(article, subject, key sentence positions per fact, positions not to hold): the side
    lines read as accounts, and the covered topics of summary_topics_{tuning,heldout}.json."""
    sets: dict[str, list[KeyedTopic]] = {}
    for name in ("tuning", "heldout"):
        topics = json.loads((ROOT / "benchmarks" / f"summary_topics_{name}.json").read_text())
        sets[f"summary_topics_{name}"] = [
            (
                next(k for k in articles if k.startswith(t["article"])),
                t["topic"],
                [[m] for m in t["must"]],
                set(t["off"]),
            )
            for t in topics["topics"]
            if t["about"]
        ]
    side = []
    for r in lines("side.jsonl"):
        subject = account_subject(r["line"])
        if subject is not None:
            keys = [[p - 1 for p in k] for k in r["key_sentences"] if k]
            side.append((r["article"], subject, keys, {p - 1 for p in r["off"]}))
    sets["side lines"] = side
    sets["side2 subjects"] = [  # as the annotator put each subject, read or not
        (
            r["article"],
            r["subject"],
            [[p - 1 for p in k] for k in r["key_sentences"] if k],
            {p - 1 for p in r["off"]},
        )
        for r in lines("side2.jsonl")
    ]
    for name in TYPED:
        sets[name] = [
            (r["article"], r["topic"], [[p - 1 for p in k] for k in r["key_sentences"] if k], set())
            for r in lines(name)
        ]
    return sets


def main() -> None:
    articles = dev_articles()
    for name in TYPED[3:]:  # the team's training split: never summary work
        for r in lines(name):
            articles.setdefault(r["article"], load_file(TEAM / f"{r['article']}.txt"))
    names = (
        "tuning.jsonl",
        "heldout.jsonl",
        "fresh.jsonl",
        "side.jsonl",
        "third.jsonl",
        "side2.jsonl",
    )
    for name in names:
        rows = lines(name)
        engine = Engine(
            build_corpus([articles[i] for i in dict.fromkeys(r["article"] for r in rows)]).corpus
        )
        gists = [engine.gist(r["line"]) for r in rows]
        read = [g for g in gists if g is not None and g.kind == "summary"]
        own = sum(
            g is not None and g.articles[0].id == r["article"]
            for g, r in zip(gists, rows, strict=True)
        )
        print(f"{name}: {len(read)} of {len(rows)} read as accounts, {own} from their own article")
        topical = [summarize(g.articles[0], topic=g.topic) for g in read if g.topic]
        told = [account(g.articles[0], g.topic) for g in read if g.topic]
        print(
            f"    sentences an account holds: {mean(len(s.sentences) for s in told):.2f}"
            f" (the topic summary alone: {mean(len(s.sentences) for s in topical):.2f});"
            f" in doubt {sum(s.unsure for s in told)}, said absent {sum(not s.found for s in told)}"
        )
        for r, g in zip(rows, gists, strict=True):
            if g is None:
                print(f"    a question: {r['line']!r}")
    print("key sentences held (topic summary alone, the account /summary shows), off-topic picks:")
    for name, rows in keyed_sets(articles).items():
        for label, reply in (("topic summary", topic_summary), ("account", account)):
            facts = held = off = 0
            for article_id, subject, keys, wrong in rows:
                picks = {s.position for s in reply(articles[article_id], subject).sentences}
                facts += len(keys)
                held += sum(bool(set(k) & picks) for k in keys)
                off += len(picks & wrong)
            print(f"    {name}, {label}: {held} of {facts}, {off} off-topic")
    questions = dev_questions()
    english = engine.english  # as the engine reads them: a word English knows is no slip
    taken = [q for q in questions if account_subject(q, english) is not None]
    print(f"development questions read as accounts: {len(taken)} of {len(questions)}")
    for q in taken:
        print(f"    {q!r}")


if __name__ == "__main__":
    main()
