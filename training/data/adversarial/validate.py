"""Mechanical check of the unanswerable questions: ``python3 validate.py a1 [a2 ...]``.

Each paragraph of ``paragraphs/<batch>.jsonl`` has two questions; each line of
``questions/<batch>.jsonl`` names a paragraph of it,
a known kind, a plausible answer copied exactly from that paragraph, a reason, and a
question no other line of the batch repeats. ``checks/<batch>.jsonl`` (when present) holds
one verdict per question, ``ok`` or ``dropped`` with a reason.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTIONS_PER_PARAGRAPH = 2
KINDS = {
    "negation",
    "antonym",
    "entity_swap",
    "mutual_exclusion",
    "impossible_condition",
    "missing",
}


def problems(batch: str) -> list[str]:
    paragraphs = {
        p["pid"]: p for p in map(json.loads, (HERE / "paragraphs" / f"{batch}.jsonl").open())
    }
    found, seen = [], set()
    lines = (HERE / "questions" / f"{batch}.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        try:
            q = json.loads(line)
        except ValueError:
            found.append(f"line {n}: not JSON")
            continue
        where = f"line {n} ({q.get('pid')})"
        if q.get("pid") not in paragraphs:
            found.append(f"{where}: unknown pid")
            continue
        if q.get("kind") not in KINDS:
            found.append(f"{where}: kind must be one of {sorted(KINDS)}")
        if (
            not q.get("plausible_answer")
            or q["plausible_answer"] not in paragraphs[q["pid"]]["context"]
        ):
            found.append(f"{where}: plausible_answer is not copied exactly from the paragraph")
        if not str(q.get("why", "")).strip():
            found.append(f"{where}: why is empty")
        text = str(q.get("question", "")).strip()
        if len(text.split()) < 4:
            found.append(f"{where}: question too short")
        if text.lower() in seen:
            found.append(f"{where}: repeated question")
        if text in paragraphs[q["pid"]]["answerable"]:
            found.append(f"{where}: this is one of SQuAD's answerable questions")
        seen.add(text.lower())
    per_paragraph = Counter(
        json.loads(line).get("pid") for line in lines if line.strip().startswith("{")
    )
    short = [pid for pid in paragraphs if per_paragraph[pid] != QUESTIONS_PER_PARAGRAPH]
    if short:
        found.append(
            f"{len(short)} paragraphs without {QUESTIONS_PER_PARAGRAPH} questions, e.g. {short[0]}"
        )
    checks = HERE / "checks" / f"{batch}.jsonl"
    if checks.exists():
        verdicts = [json.loads(line) for line in checks.read_text(encoding="utf-8").splitlines()]
        if len(verdicts) != len(lines):
            found.append(f"checks: {len(verdicts)} verdicts for {len(lines)} questions")
        for v in verdicts:
            if v.get("verdict") not in {"ok", "dropped"} or (
                v["verdict"] == "dropped" and not v.get("reason")
            ):
                found.append(f"checks: bad verdict {v}")
    return found


if __name__ == "__main__":
    bad = False
    for batch in sys.argv[1:]:
        found = problems(batch)
        bad |= bool(found)
        print(f"{batch}: {'ok' if not found else str(len(found)) + ' problems'}")
        for line in found[:40]:
            print("  " + line)
    sys.exit(1 if bad else 0)
