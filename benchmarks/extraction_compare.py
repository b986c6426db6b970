"""Main-text extraction of web pages: trafilatura (as bot.intake calls it) against lighter ones.

Not a test. Each extractor reads every page of an annotated corpus and is
scored as trafilatura's own evaluation scores it: per page, the snippets that
must appear in the extracted text ("with": found or missed) and those that must
not ("without": boilerplate leaked or left out), matched after whitespace is
normalised. A page an extractor refuses or crashes on finds none of its
snippets. The body is what ``articlebot add`` would write: the paragraphs,
not the title.

The corpus is trafilatura's evaluation set (990 real web pages: news, blogs,
government and shop pages, many in German), annotated by trafilatura's
authors, which is its bias: trafilatura was tuned on these very pages. The
pages are third-party web pages and stay outside this repository; get them
from trafilatura's repository (its PyPI source distribution no longer ships
them)::

    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/trafilatura
    python benchmarks/extraction_compare.py /tmp/trafilatura/tests

The folder holds ``evaldata.json`` and the pages under ``eval/`` and
``cache/``. The project's own test pages (``tests/bot/intake/pages``) are
scored too, with the snippets of tests/bot/intake/test_extraction.py.

Extractors: ``trafilatura`` (bot.intake.extraction.draft_from_html),
``readability`` (readability-lxml's ``Document.summary``, its blocks as
paragraphs; author and date from ``<meta>`` tags and JSON-LD read with lxml),
``readability+`` (the same, less blocks that are mostly links or short lines
that end no sentence, bot.intake.extraction's two filters) and ``justext``
(jusText alone, every language's stop words, as trafilatura runs it when the
language is unknown); each is skipped when not installed (``pip install
readability-lxml``; jusText comes with trafilatura). Pages are split in two
halves by file name (a hash) so a change tuned on one half can be checked on
the other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

Extracted = tuple[str, str, str, str]  # title, body (paragraphs joined by newlines), author, date
Extractor = Callable[[bytes], Extracted | None]
_BLOCKS = ("p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "td")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]»«]*$")
_NEWS_PATH = re.compile(r"/(19|20)\d\d[/-]|news|article|artikel|nachricht|story|politi|/\d{6,}")


def norm(text: str) -> str:
    return " ".join(text.split())


def with_trafilatura() -> Extractor:
    from bot.intake.errors import IntakeError
    from bot.intake.extraction import draft_from_html

    def extract(html: bytes) -> Extracted | None:
        try:
            draft = draft_from_html(html, source="file: page.html")
        except IntakeError:
            return None
        return draft.title, "\n".join(draft.paragraphs), draft.author, draft.published

    return extract


def meta_tags(html: bytes) -> tuple[str, str]:
    """Author and date from ``<meta>`` tags and JSON-LD, with lxml alone (what a switch would need)."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    meta = {
        (m.get("property") or m.get("name") or m.get("itemprop") or "").lower(): norm(
            m.get("content") or ""
        )
        for m in tree.iter("meta")
    }
    author = meta.get("author") or meta.get("article:author") or meta.get("dc.creator") or ""
    date = (
        meta.get("article:published_time")
        or meta.get("datepublished")
        or meta.get("date")
        or meta.get("dc.date")
        or meta.get("pubdate")
        or ""
    )
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            date = date or str(item.get("datePublished") or "")
            who = item.get("author")
            who = who[0] if isinstance(who, list) and who else who
            author = author or (who.get("name", "") if isinstance(who, dict) else str(who or ""))
    return norm(author), date[:10]


def with_readability(filtered: bool = False, short_line: int = 80) -> Extractor:
    import lxml.html
    from readability import Document

    def extract(html: bytes) -> Extracted | None:
        document = Document(html)
        summary = document.summary(html_partial=True)
        if not summary.strip():
            return None
        tree = lxml.html.fragment_fromstring(summary, create_parent="div")
        paragraphs = [_paragraph(b, short_line) for b in tree.iter(*_BLOCKS)]
        paragraphs = [p for p in paragraphs if p and p != "-"]
        if not filtered:  # every block's text, as readability keeps it
            paragraphs = [norm(b.text_content()) for b in tree.iter(*_BLOCKS)]
        paragraphs = [p for p in paragraphs if p] or [norm(tree.text_content())]
        try:
            author, date = meta_tags(html)
        except Exception:  # lxml's parser errors: the text is still scored
            author, date = "", ""
        return norm(document.short_title() or ""), "\n".join(paragraphs), author, date

    return extract


def _paragraph(block, short_line: int) -> str:  # block: an lxml element
    """A block's text, "-" when it is mostly links or a short line that is no sentence.

    The two filters (tuned on half 0 of the evaluation set, link share 0.5,
    80 characters, ``--short-line``) are bot.intake.extraction's, applied to readability's output.
    """
    if any(a.tag in _BLOCKS for a in block.iterancestors()):
        return ""  # counted with the block it is in
    text = norm(block.text_content())
    linked = sum(len(norm(a.text_content())) for a in block.iter("a"))
    if text and (
        linked >= 0.5 * len(text) or (len(text) < short_line and not _SENTENCE_END.search(text))
    ):
        return "-"
    return text


def with_justext() -> Extractor:
    import justext

    stoplist = frozenset().union(*(justext.get_stoplist(s) for s in justext.get_stoplists()))

    def extract(html: bytes) -> Extracted | None:
        paragraphs = [p.text for p in justext.justext(html, stoplist) if not p.is_boilerplate]
        return ("", "\n".join(paragraphs), "", "") if paragraphs else None

    return extract


EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "trafilatura": with_trafilatura,
    "readability": with_readability,
    "readability+": lambda: with_readability(filtered=True),
    "justext": with_justext,
}


@dataclass
class Score:
    found: int = 0
    missed: int = 0
    leaked: int = 0
    dropped: int = 0
    pages: int = 0
    refused: int = 0
    crashed: int = 0
    titled: int = 0
    authored: int = 0
    dated: int = 0
    seconds: float = 0.0
    by_half: dict[int, list[int]] = field(
        default_factory=lambda: {0: [0, 0, 0, 0], 1: [0, 0, 0, 0]}
    )

    def add(self, item: dict, result: Extracted | None, half: int) -> None:
        body = norm(result[1]) if result else ""
        found = sum(norm(w) in body for w in item["with"])
        leaked = sum(norm(w) in body for w in item["without"])
        self.found += found
        self.missed += len(item["with"]) - found
        self.leaked += leaked
        self.dropped += len(item["without"]) - leaked
        self.pages += 1
        self.refused += result is None
        self.titled += bool(result and result[0])
        self.authored += bool(result and result[2])
        self.dated += bool(result and result[3])
        counts = self.by_half[half]
        counts[0] += found
        counts[1] += len(item["with"])
        counts[2] += leaked
        counts[3] += len(item["without"])

    def line(self, name: str) -> str:
        wanted, unwanted = self.found + self.missed, self.leaked + self.dropped
        halves = "  ".join(
            f"half {h}: {c[0]}/{c[1]} kept, {c[2]}/{c[3]} leaked" for h, c in self.by_half.items()
        )
        return (
            f"{name:12} kept {self.found}/{wanted} ({self.found / max(wanted, 1):.1%})"
            f"  leaked {self.leaked}/{unwanted} ({self.leaked / max(unwanted, 1):.1%})"
            f"  no text {self.refused}  crashed {self.crashed}  title {self.titled}/{self.pages}"
            f"  author {self.authored}  date {self.dated}"
            f"  {1000 * self.seconds / max(self.pages, 1):.0f} ms/page\n{'':12} {halves}"
        )


def half_of(name: str) -> int:
    return hashlib.sha1(name.encode()).digest()[0] % 2


def load_corpus(folder: Path) -> list[tuple[str, dict, bytes]]:
    evaldata = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in sorted(evaldata.items()):
        for sub in ("cache", "eval"):
            path = folder / sub / item["file"]
            if path.is_file():
                pages.append((url, item, path.read_bytes()))
                break
    return pages


def own_pages() -> list[tuple[str, dict, bytes]]:
    from tests.bot.intake import test_extraction as t
    from tests.bot.intake.conftest import PAGES

    clutter = dict(t.PAGES_CLUTTER)
    return [
        (name, {"with": list(body), "without": list(clutter[name])}, (PAGES / name).read_bytes())
        for name, body in t.PAGES_BODY
    ]


def run(name: str, extract: Extractor, pages: list[tuple[str, dict, bytes]]) -> tuple[Score, dict]:
    score, results = Score(), {}
    for url, item, html in pages:
        start = time.perf_counter()
        try:
            result = extract(html)
        except Exception:  # a crash is scored as a page with nothing found
            result = None
            score.crashed += 1
        score.seconds += time.perf_counter() - start
        score.add(item, result, half_of(item.get("file", url)))
        results[url] = result
    return score, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="trafilatura's tests/ (evaldata.json, eval/)")
    parser.add_argument(
        "--only", nargs="*", choices=[*EXTRACTORS, "readability+"], help="extractors to run"
    )
    parser.add_argument("--short-line", type=int, default=80, help="readability+: shorter lines")
    parser.add_argument("--show", type=int, default=0, help="print the first paragraphs of N pages")
    args = parser.parse_args(argv)
    EXTRACTORS["readability+"] = lambda: with_readability(filtered=True, short_line=args.short_line)
    if not (args.folder / "evaldata.json").is_file():
        parser.error(f"{args.folder}/evaldata.json not found; see the module docstring for where")
    corpus = load_corpus(args.folder)
    news = [p for p in corpus if _NEWS_PATH.search(p[0].lower())]
    sets = {"evaluation set": corpus, "  of which news-like URLs": news, "own pages": own_pages()}
    print(f"{len(corpus)} annotated pages ({len(news)} with a news-like URL)")
    results: dict[str, dict] = {}
    for name in args.only or list(EXTRACTORS):
        try:
            extract = EXTRACTORS[name]()
        except ImportError as exc:
            print(f"{name}: skipped ({exc})")
            continue
        for label, pages in sets.items():
            score, found = run(name, extract, pages)
            print(f"[{label}]\n{score.line(name)}")
            if label == "evaluation set":
                results[name] = found
    names = list(results)
    if len(names) > 1:
        first = names[0]
        for other in names[1:]:
            same = sum(
                bool(a and b and a[0] and norm(a[0]) == norm(b[0]))
                for a, b in ((results[first][u], results[other][u]) for u, _, _ in corpus)
            )
            print(f"title the same as {first}'s: {other} {same}/{len(corpus)}")
            for i, what in ((2, "author"), (3, "date")):
                pairs = [(results[first][u], results[other][u]) for u, _, _ in corpus]
                both = [(a, b) for a, b in pairs if a and b and a[i] and b[i]]
                same = sum(norm(a[i]).lower() == norm(b[i]).lower() for a, b in both)
                print(
                    f"{what} the same as {first}'s where both give one: {other} {same}/{len(both)}"
                )
    for url, _, _ in news[: args.show]:
        print(f"\n== {url}")
        for name in names:
            result = results[name][url]
            text = result[1][:400] if result else "(no text)"
            print(f"-- {name}: {result[0] if result else ''!r}\n{text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
