"""Mechanical checks of the news QA data (see FORMAT.md); prints one line per problem.

Usage: python training/data/validate.py [BATCH ...]   (no batch: every questions/*.jsonl)

It checks what a script can: the article parses in the seed format, each answerable
question's first answer and sentence are copied exactly from the article body, the
sentence holds the answer, ids are unique, keys and kinds are valid. Whether an
unanswerable question is really unanswerable is for the human second pass.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"who", "when", "how many", "how much", "where", "which", "what", "why"}
KEYS = {"id", "article", "question", "answerable", "answers", "sentence", "kind", "writer"}


def article_body(path: Path) -> str:
    """The indexed text: the body paragraphs after the summary, up to ``Original Source:``.

    The summary paragraph (line 6) is kept apart by the bot's loader and never
    indexed, so an answer found only there cannot be read: it does not count.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 8 or lines[1].strip() or not lines[2].strip().isdigit():
        raise ValueError("not in the seed format (title, blank, number, id, blank, ...)")
    if lines[3].strip() != path.stem:
        raise ValueError(f"id line {lines[3].strip()!r} is not the file name {path.stem!r}")
    body = "\n".join(lines[6:])
    if "Original Source:" not in body:
        raise ValueError("no 'Original Source:' line")
    return body.split("Original Source:")[0]


def check_question(q: dict, body: str) -> list[str]:
    problems = [f"missing key {k}" for k in sorted(KEYS - q.keys())]
    if problems:
        return problems
    if q["kind"] not in KINDS:
        problems.append(f"kind {q['kind']!r}")
    if not q["question"].strip():
        problems.append("empty question")
    if q["answerable"]:
        if not q["answers"]:
            problems.append("answerable with no answers")
        elif q["answers"][0] not in body:
            problems.append(
                f"answer {q['answers'][0]!r} is not in the article body (the summary is not indexed)"
            )
        if not q.get("sentence") or q["sentence"] not in body:
            problems.append("sentence is not copied exactly from the article")
        elif q["answers"] and q["answers"][0] not in q["sentence"]:
            problems.append("sentence does not hold answers[0]")
    else:
        if q["answers"]:
            problems.append("unanswerable with answers")
        if q.get("unanswerable_kind") not in {"missing", "near miss"}:
            problems.append("unanswerable_kind must be 'missing' or 'near miss'")
    return problems


def main(batches: list[str]) -> int:
    files = [HERE / "questions" / f"{b}.jsonl" for b in batches] or sorted(
        (HERE / "questions").glob("*.jsonl")
    )
    seen: Counter[str] = Counter()
    bad = total = unanswerable = 0
    bodies: dict[str, str] = {}
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            total += 1
            where = f"{file.name}:{n}"
            try:
                q = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{where}: not JSON ({exc})")
                bad += 1
                continue
            seen[q.get("id", where)] += 1
            art = q.get("article", "")
            if art not in bodies:
                try:
                    bodies[art] = article_body(HERE / "articles" / f"{art}.txt")
                except (OSError, ValueError) as exc:
                    print(f"{where}: article {art!r}: {exc}")
                    bad += 1
                    continue
            unanswerable += not q.get("answerable", True)
            for problem in check_question(q, bodies[art]):
                print(f"{where} {q.get('id')}: {problem}")
                bad += 1
    for qid, count in seen.items():
        if count > 1:
            print(f"duplicate id {qid} ({count} times)")
            bad += 1
    share = unanswerable / total if total else 0.0
    print(
        f"{total} questions over {len(bodies)} articles, {share:.0%} unanswerable, {bad} problems"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
