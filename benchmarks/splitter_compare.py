"""BlingFire against syntok as the sentence splitter, on development material only.

    .venv/bin/python benchmarks/splitter_compare.py diff [--dump DIR]
    .venv/bin/python benchmarks/splitter_compare.py eval SPLITTER -- ARTICLEBOT-ARGS...
    .venv/bin/python benchmarks/splitter_compare.py news-set DIR

``diff`` splits every paragraph of the development material with BlingFire, with syntok alone
and with the shipped splitter (``index.sentences``: syntok and its rules) and prints, per
corpus and per half, how many paragraphs they split differently. Each corpus is halved by
article (a hash of its id): the rules were written from the "look" half; the "report" half
shows whether they hold elsewhere. ``--dump DIR`` writes every boundary where they differ, with
its context and which of them split there (B, S, H), for judging by hand (one file per corpus
and half). The judged figures are in docs/operations.md.

``news-set DIR`` writes the news development part (``training/data``, 68 articles) in the
format ``articlebot eval`` reads, to compare answers on it too.

``eval`` runs one ``articlebot`` command (``eval`` or ``eval-summaries``) with the given
splitter in place of the shipped one: ``blingfire`` (needs ``pip install blingfire``),
``syntok`` (syntok's sentences as they are) or ``shipped`` (``index.sentences`` as it is).

Material (never the SQuAD development files beyond the slice in tests/data, nor CNN/DailyMail
beyond tests/data): the seed article, the news articles of ``training/data/articles``, the
50 CNN/DailyMail development articles and the SQuAD v1.1 slice of ``tests/data``, and the
SQuAD v1.1 and v2.0 training files in ``../shared/eval/squad`` when they are there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import sentences as shipped  # noqa: E402
from index.evaluation.summaries import clean_paragraphs, read_examples  # noqa: E402
from index.loader import load_file  # noqa: E402

Spans = list[tuple[int, int]]
Splitter = Callable[[str], Spans]


def blingfire_spans(text: str) -> Spans:
    try:
        import blingfire
    except ImportError:
        raise SystemExit("splitter_compare: BlingFire is needed: pip install blingfire") from None

    if not text.strip():
        return []
    _, offsets = blingfire.text_to_sentences_and_offsets(text)
    return shipped._finish(text, [(a, b) for a, b in offsets])


def syntok_spans(text: str) -> Spans:
    """syntok's own sentences, with the shipped merging of stray fragments, no rule."""
    from syntok import segmenter

    if not text.strip():
        return []
    starts = [
        next(t for t in sentence if t.value).offset
        for paragraph in segmenter.analyze(text)
        for sentence in paragraph
        if any(t.value for t in sentence)
    ] or [0]
    starts[0] = 0
    return shipped._finish(text, list(zip(starts, [*starts[1:], len(text)], strict=True)))


SPLITTERS: dict[str, Splitter] = {
    "blingfire": blingfire_spans,
    "syntok": syntok_spans,
    "shipped": shipped.split_sentences,
}


# ---------------------------------------------------------------------------- material


def _half(key: str) -> str:
    return "look" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "report"


def _articles_folder(folder: Path) -> Iterator[tuple[str, list[str]]]:
    for path in sorted(folder.glob("*.txt")):
        article = load_file(path)
        yield path.stem, [p.text for p in article.paragraphs]


def _squad(path: Path) -> Iterator[tuple[str, list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for article in data["data"]:
        contexts = [p["context"].strip() for p in article["paragraphs"] if p["context"].strip()]
        yield str(article.get("title")), contexts


def _cnndm(path: Path) -> Iterator[tuple[str, list[str]]]:
    for example in read_examples(path):
        yield example.id, clean_paragraphs(example.article)


def corpora() -> dict[str, list[tuple[str, list[str]]]]:
    found = {
        "seed article": list(_articles_folder(ROOT.parent / "shared" / "seeds")),
        "news articles (training/data)": list(_articles_folder(ROOT / "training/data/articles")),
        "CNN/DM dev (tests/data, 50)": list(_cnndm(ROOT / "tests/data/cnndm-dev.jsonl")),
        "SQuAD v1.1 dev slice (tests/data)": list(
            _squad(ROOT / "tests/data/squad-v1.1-dev-slice.json")
        ),
    }
    for version in ("v1.1", "v2.0"):
        train = ROOT.parent / f"shared/eval/squad/squad-{version}-train.json"
        if train.exists():
            found[f"SQuAD {version} train"] = list(_squad(train))
    return found


# ---------------------------------------------------------------------------- diff


def _starts(spans: Spans) -> set[int]:
    return {a for a, _ in spans[1:]}


def _context(text: str, at: int, width: int = 70) -> str:
    left = text[max(0, at - width) : at].replace("\n", " ")
    right = text[at : at + width].replace("\n", " ")
    return f"…{left}‖{right}…"


def diff(dump: Path | None) -> None:
    print(
        f"{'corpus':38} {'half':6} {'articles':>8} {'paragraphs':>10} "
        f"{'BF≠syntok':>10} {'BF≠shipped':>10} {'syntok≠shipped':>14}"
    )
    timings = {name: 0.0 for name in SPLITTERS}
    for corpus, articles in corpora().items():
        for half in ("look", "report"):
            chosen = [(k, ps) for k, ps in articles if _half(k) == half]
            n_par = sum(len(ps) for _, ps in chosen)
            counts = {"bs": 0, "bh": 0, "sh": 0}
            lines: list[str] = []
            for key, paragraphs in chosen:
                for number, text in enumerate(paragraphs, start=1):
                    got = {}
                    for name, split in SPLITTERS.items():
                        started = time.perf_counter()
                        got[name] = split(text)
                        timings[name] += time.perf_counter() - started
                    b, s, h = got["blingfire"], got["syntok"], got["shipped"]
                    counts["bs"] += b != s
                    counts["bh"] += b != h
                    counts["sh"] += s != h
                    if b != h or b != s:
                        for at in sorted(_starts(b) ^ _starts(h) | _starts(b) ^ _starts(s)):
                            who = "".join(
                                tag
                                for tag, spans in (("B", b), ("S", s), ("H", h))
                                if at in _starts(spans)
                            )
                            lines.append(
                                f"{key}#{number}\tsplit by [{who or '-'}]\t{_context(text, at)}"
                            )
            print(
                f"{corpus:38} {half:6} {len(chosen):8} {n_par:10} "
                f"{counts['bs']:10} {counts['bh']:10} {counts['sh']:14}"
            )
            if dump is not None:
                dump.mkdir(parents=True, exist_ok=True)
                name = corpus.split(" (")[0].replace("/", "").replace(" ", "-").lower()
                (dump / f"{name}-{half}.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    print("seconds spent splitting: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))


# ---------------------------------------------------------------------------- eval


def run_eval(splitter: str, argv: list[str]) -> int:
    """Run the articlebot command line with ``splitter`` in place of the shipped one."""
    import index.loader

    split = SPLITTERS[splitter]
    shipped.split_sentences = split  # type: ignore[assignment]
    index.loader.split_sentences = split  # type: ignore[assignment]
    from bot.launcher import main

    return main(argv)


def news_set(out: Path) -> None:
    """The news development part as ``articlebot eval`` reads it: OUT/articles, OUT/dev.jsonl.

    One JSON line per question (id, question, answers, evidence: its sentence), asked against
    the 68 development articles indexed together, as training/calibrate_reader.py asks them.
    """
    sys.path.insert(0, str(ROOT / "training"))
    from news_data import load_news

    news = load_news()
    folder = out / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for article in news.dev_articles:
        source = ROOT / "training/data/articles" / f"{article.id}.txt"
        (folder / source.name).write_bytes(source.read_bytes())
    with (out / "dev.jsonl").open("w", encoding="utf-8") as lines:
        for q in news.dev_questions:
            row = {
                "id": q.id,
                "question": q.question,
                "answers": list(q.answers),
                "evidence": [q.sentence] if q.sentence else [],
            }
            lines.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(news.dev_articles)} articles, {len(news.dev_questions)} questions in {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("diff", help="count paragraphs split differently")
    d.add_argument("--dump", type=Path, help="write the differing boundaries here")
    n = sub.add_parser("news-set", help="write the news development part for articlebot eval")
    n.add_argument("out", type=Path)
    e = sub.add_parser("eval", help="run articlebot with a splitter")
    e.add_argument("splitter", choices=sorted(SPLITTERS))
    e.add_argument("args", nargs=argparse.REMAINDER)
    ns = parser.parse_args()
    if ns.command == "diff":
        diff(ns.dump)
        return 0
    if ns.command == "news-set":
        news_set(ns.out)
        return 0
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    return run_eval(ns.splitter, args)


if __name__ == "__main__":
    raise SystemExit(main())
