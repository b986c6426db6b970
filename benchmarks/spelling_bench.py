"""What reading slips costs (index/spelling.py): the vocabulary's build, and each question.

Not a test. Times are CPU time of this process (``time.process_time``), so a
machine shared with other work does not inflate them. Over the seed and the team's news articles (training/data/articles),
it builds the vocabulary (best of five) and reads every question of
training/data/questions/*.jsonl twice: as written, and with one keyboard slip
in its longest word (a letter swapped, doubled or dropped; seeded). It prints
the build time, the time per question (p50, p95) and how the slips fared:
read back to the word as written, read as another word, or left as typed;
and how many questions as written had a word read differently.

    .venv/bin/python benchmarks/spelling_bench.py
"""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import numpy as np

from index.loader import load_folder
from index.reader import MODEL_DIR, TOKENIZER_FILE
from index.spelling import Vocabulary, english_words, respell
from index.tokenize import default_tokenizer

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "seeds", ROOT / "training/data/articles")
QUESTIONS = sorted((ROOT / "training/data/questions").glob("*.jsonl"))


def slipped(question: str, rng: random.Random) -> tuple[str, str, str]:
    """``question`` with one slip in its longest word: (question, word as written, as slipped)."""
    word = max(re.findall(r"[a-z]+", question), key=len)
    at = rng.randrange(len(word) - 1)
    kind = rng.choice(("swap", "double", "drop"))
    if kind == "swap":
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "double":
        typo = word[: at + 1] + word[at] + word[at + 1 :]
    else:
        typo = word[:at] + word[at + 1 :]
    return question.replace(word, typo, 1), word, typo


def per_question_ms(
    questions: list[str], vocabulary: Vocabulary, english: frozenset[str]
) -> list[float]:
    times = []
    for question in questions:
        started = time.process_time()
        respell(question, vocabulary, english)
        times.append((time.process_time() - started) * 1000)
    return times


def main() -> None:
    articles = [a for folder in FOLDERS for a in load_folder(folder).articles]
    tokenizer = default_tokenizer()
    english = english_words(MODEL_DIR / TOKENIZER_FILE, tokenizer)
    builds = []
    for _ in range(5):
        started = time.process_time()
        vocabulary = Vocabulary.of(articles, tokenizer)
        builds.append(time.process_time() - started)
    words = sum(vocabulary.counts.values())
    print(f"{len(articles)} articles, {words:,} words, {len(vocabulary.words):,} distinct")
    print(f"vocabulary build: {min(builds) * 1000:.1f} ms (best of 5)")

    rows = [
        json.loads(line) for path in QUESTIONS for line in path.read_text().splitlines() if line
    ]
    clean = [r["question"].lower() for r in rows if re.search(r"[a-z]{4,}", r["question"].lower())]
    rng = random.Random(26)
    slips = [slipped(q, rng) for q in clean]
    for name, questions in (("as written", clean), ("one slip", [s[0] for s in slips])):
        ms = np.array(per_question_ms(questions, vocabulary, english))
        print(
            f"respell, {name}: p50 {np.percentile(ms, 50):.3f} ms, "
            f"p95 {np.percentile(ms, 95):.3f} ms over {len(ms):,} questions"
        )
    back = other = left = 0
    for question, word, typo in slips:
        read = dict((r.typed, r.read_as) for r in respell(question, vocabulary, english)[1])
        if typo not in read:
            left += 1
        elif read[typo] == word:
            back += 1
        else:
            other += 1
    changed = sum(bool(respell(q, vocabulary, english)[1]) for q in clean)
    print(f"slips read back {back:,}, read as another word {other:,}, left as typed {left:,}")
    print(f"questions as written with a word read differently: {changed:,} of {len(clean):,}")


if __name__ == "__main__":
    main()
