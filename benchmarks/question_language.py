"""Which way of telling a non-English question from an English one: measured side by side.

Not a test. Each method gives a question a score, higher meaning "less
likely English"; a question is refused as non-English at a threshold. The
threshold of each method is chosen on one half of the questions (the lowest
that refuses no English question there) and the figures are reported on the
other half. The halves are cut by a seeded hash of the question text, the
same for every language and file.

- ``vocab``: the share of the question's words that an English word list
  does not know (the whole words of the reader's WordPiece vocabulary, which
  ships with the model, plus the tokenizer's stop words);
- ``py3langid``: 1 - P(English) from py3langid (all its 97 languages);
- ``lingua``: 1 - confidence(English) from lingua-language-detector, when it
  can be imported (``pip install --target DIR`` and ``--lingua DIR``; its
  96 MB wheel rules it out as a run-time dependency, so it is only measured);
- ``both``: the smaller of ``vocab`` and ``py3langid``: refused only when
  both say so.

English questions: the ``question`` field of training/data/questions/*.jsonl
and tests/data/article_qa_dev.jsonl, plus the English rows of
tests/data/question_languages.jsonl (short ones and ones full of
names). Non-English: the other rows of that file.

    .venv/bin/python benchmarks/question_language.py
    .venv/bin/python benchmarks/question_language.py --lingua /tmp/lingua_pkg
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.question_language import (  # noqa: E402
    NOT_ENGLISH_THRESHOLD,
    load_identifier,
    not_english_score,
    script_rule,
)
from index.reader import MODEL_DIR  # noqa: E402
from index.tokenize import STOP_WORDS  # noqa: E402

SEED = "question-language-1"
ENGLISH_FILES = [
    *sorted((ROOT / "training/data/questions").glob("*.jsonl")),
    ROOT / "tests/data/article_qa_dev.jsonl",
]
SQUAD = ROOT.parent / "shared/eval/squad"
LANGUAGES_FILE = ROOT / "tests/data/question_languages.jsonl"
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    language: str

    @property
    def tune(self) -> bool:
        """Which half: a seeded hash of the text, blind to language and file."""
        return hashlib.sha256(f"{SEED}:{self.text}".encode()).digest()[0] % 2 == 0

    @property
    def short(self) -> bool:
        return len(self.text.split()) <= 3

    @property
    def named(self) -> bool:
        """Half or more of the words after the first are capitalised (names)."""
        words = self.text.split()[1:]
        return bool(words) and sum(w[:1].isupper() for w in words) * 2 >= len(words)


def read_jsonl(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8") as lines:
        yield from (json.loads(line) for line in lines if line.strip())


def questions() -> list[Question]:
    seen: set[str] = set()
    out: list[Question] = []
    rows = [(r["question"], "en") for p in ENGLISH_FILES for r in read_jsonl(p)]
    rows += [(r["question"], r["language"]) for r in read_jsonl(LANGUAGES_FILE)]
    for text, language in rows:
        if text not in seen and _WORD.search(text):
            seen.add(text)
            out.append(Question(text, language))
    return out


def reader_vocabulary() -> frozenset[str]:
    """The reader's WordPiece whole words (ASCII letters only) and the tokenizer's stop words."""
    tokens = json.loads((MODEL_DIR / "tokenizer.json").read_text("utf-8"))
    words = {w for w in tokens["model"]["vocab"] if w.isascii() and w.isalpha()}
    return frozenset(words | STOP_WORDS)


def methods(lingua_dir: str | None) -> dict[str, Callable[[str], float]]:
    vocabulary = reader_vocabulary()

    def vocab(text: str) -> float:
        words = _WORD.findall(text.lower())
        return sum(w not in vocabulary for w in words) / len(words)

    def p_english(text: str) -> float:
        return 1.0 - dict(load_identifier().rank(text))["en"]

    found: dict[str, Callable[[str], float]] = {
        "vocab": vocab,
        "py3langid": p_english,
        "rules+vocab": with_rules(vocab),
        "rules+py3langid (shipped)": not_english_score,
    }
    if lingua_dir:
        sys.path.insert(0, lingua_dir)
        from lingua import Language, LanguageDetectorBuilder

        detector = LanguageDetectorBuilder.from_all_languages().build()

        def lingua(text: str) -> float:
            return 1.0 - detector.compute_language_confidence(text, Language.ENGLISH)

        found["lingua"] = lingua
        found["rules+lingua"] = with_rules(lingua)
    return found


def with_rules(score: Callable[[str], float]) -> Callable[[str], float]:
    """``score`` behind the shipped script and one-word rules."""

    def ruled(text: str) -> float:
        by_rule = script_rule(text)
        return by_rule if by_rule is not None else score(text)

    return ruled


def threshold(scores: list[float]) -> float:
    """The lowest threshold that refuses none of these English questions."""
    return max(scores, default=0.0) + 1e-9


def squad_questions() -> list[str]:
    """SQuAD development questions from ../shared/eval/squad, when there: English, held out."""
    out: list[str] = []
    for path in sorted(SQUAD.glob("squad-v*-dev.json")):
        data = json.loads(path.read_text("utf-8"))["data"]
        out += [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    return list(dict.fromkeys(out))


def report(
    score: Callable[[str], float], qs: list[Question], squad: list[str], at: float | None = None
) -> dict[str, object]:
    started = time.perf_counter()
    scored = [(q, score(q.text)) for q in qs]
    per_question_us = (time.perf_counter() - started) / len(qs) * 1e6
    t = at if at is not None else threshold([s for q, s in scored if q.tune and q.language == "en"])
    test = [(q, s >= t) for q, s in scored if not q.tune]
    english = [(q, r) for q, r in test if q.language == "en"]
    other = [(q, r) for q, r in test if q.language != "en"]
    missed: dict[str, int] = {}
    for q, refused in other:
        if not refused:
            missed[q.language] = missed.get(q.language, 0) + 1
    return {
        "threshold": round(t, 4),
        "english_refused": f"{sum(r for _, r in english)}/{len(english)}",
        "short_refused": f"{sum(r for q, r in english if q.short)}/{sum(q.short for q, _ in english)}",
        "named_refused": f"{sum(r for q, r in english if q.named)}/{sum(q.named for q, _ in english)}",
        "squad_refused": f"{sum(score(text) >= t for text in squad)}/{len(squad)}",
        "other_caught": f"{sum(r for _, r in other)}/{len(other)}",
        "missed": dict(sorted(missed.items())),
        "us_per_question": round(per_question_us, 1),
        "refused_examples": [q.text for q, r in english if r][:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lingua", metavar="DIR", help="a folder lingua is installed in")
    parser.add_argument("--json", action="store_true", help="one JSON object per method")
    args = parser.parse_args(argv)
    qs, squad = questions(), squad_questions()
    tune = sum(q.tune for q in qs)
    print(
        f"{len(qs)} questions ({sum(q.language == 'en' for q in qs)} English, "
        f"{sum(q.language != 'en' for q in qs)} not), thresholds chosen on {tune}, "
        f"reported on {len(qs) - tune}; {len(squad)} SQuAD dev questions as a held-out check"
    )
    not_english_score("warm up")  # the model's load is not per question
    rows = [(name, report(score, qs, squad)) for name, score in methods(args.lingua).items()]
    rows.append(
        ("shipped at its threshold", report(not_english_score, qs, squad, NOT_ENGLISH_THRESHOLD))
    )
    for name, row in rows:
        if args.json:
            print(json.dumps({"method": name, **row}, ensure_ascii=False))
            continue
        print(
            f"{name:26} t={row['threshold']:<7} English refused {row['english_refused']}"
            f" (short {row['short_refused']}, names {row['named_refused']};"
            f" SQuAD {row['squad_refused']})  non-English caught {row['other_caught']}"
            f"  {row['us_per_question']} µs/q  missed {row['missed']}"
        )
        for text in row["refused_examples"]:  # type: ignore[attr-defined]
            print(f"    refused: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
