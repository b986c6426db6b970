"""Generic topics ("reactions", "what happens next", "the numbers"): how the summariser decides.

Not a test. For each labelled topic of benchmarks/generic_topics/ (README there) it summarises
the article on the topic and prints, for the topics the article covers and for those it does
not, how many the summary says absent, gives in doubt, or gives as covered; and for covered
ones given as covered, how many show a sentence the annotators cited.

    .venv/bin/python benchmarks/generic_topics.py [benchmarks/generic_topics/second.jsonl]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from summary_topics import dev_articles  # noqa: E402

from index.summarize import summarize  # noqa: E402

DEFAULT = ROOT / "benchmarks/generic_topics/second.jsonl"


def _plain(text: str) -> str:
    return " ".join(text.split()).lower()


def cites(shown: list[str], evidence: list[str]) -> bool:
    """Whether a shown sentence is one the annotators cited (splitters may cut apart)."""
    return any(_plain(e)[:60] in s or s[:60] in _plain(e) for e in evidence for s in shown)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    articles = dev_articles()
    tally: Counter[tuple[str, str]] = Counter()
    shown_cited = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        summary = summarize(articles[row["article"]], topic=row["topic"])
        state = "absent" if not summary.found else "in doubt" if summary.unsure else "covered"
        label = "covered" if row["covered"] else "absent"
        tally[label, state] += 1
        if label == state == "covered":
            shown_cited += cites([_plain(s.text) for s in summary.sentences], row["evidence"])
    for label in ("covered", "absent"):
        total = sum(n for (lab, _), n in tally.items() if lab == label)
        said = ", ".join(
            f"{state} {tally[label, state]}" for state in ("absent", "in doubt", "covered")
        )
        print(f"{label} topics ({total}): said {said}")
    print(f"covered topics given as covered with a sentence the annotators cited: {shown_cited}")


if __name__ == "__main__":
    main()
