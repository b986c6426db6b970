"""The question-answering library: what the front ends use, by name from ``index``.

Get a corpus (:func:`open_corpus` at start, :func:`build_corpus` to reindex or to
index articles in memory), serve it with an :class:`Engine` (``ask``, ``gist``) and
:func:`summarize` its articles. ``index`` reads no environment: folders are arguments.

``import index`` loads nothing: each name loads its module on first use (PEP 562),
so the terminal's ``--help`` does not pay for NumPy, the reader or the saved index.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs 2 ms
if TYPE_CHECKING:
    from typing import Any

    from index.article_choice import (
        AmbiguousArticle,
        article_at,
        find_article,
        matching_articles,
    )
    from index.chat_moves import asks_for_more, asks_for_source, asks_for_summary, without_chatter
    from index.confidence import REFUSAL_THRESHOLD
    from index.corpus import Corpus, NoArticlesError
    from index.engine import Engine
    from index.followup import (
        Previous,
        Reading,
        named_next,
        next_subject,
        previous_subject,
        read_in_context,
    )
    from index.gist import (
        account_subject,
        asks_for_account,
        asks_for_gist,
        asks_this_article,
        names_a_subject,
    )
    from index.loader import MAX_FILE_BYTES, ArticleError, load_folder, parse_article
    from index.question_input import QuestionError, clean_question
    from index.question_types import YES_NO
    from index.records import MAX_QUESTION_CHARS, Answer, Article, Citation, LoadProblem
    from index.saved.building import ReindexReport, build_corpus, open_corpus
    from index.saved.manifest import IndexStoreError, read_manifest
    from index.saved.store import read_index
    from index.seed_format import ARTICLE_SUFFIXES, is_article_file, write_article
    from index.small_talk import SMALL_TALK
    from index.summarize import MAX_SENTENCES, Summary, SummaryError, summarize
    from index.summary_account import account, summary_for

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_FILE_BYTES",
    "MAX_QUESTION_CHARS",
    "MAX_SENTENCES",
    "REFUSAL_THRESHOLD",
    "SMALL_TALK",
    "YES_NO",
    "AmbiguousArticle",
    "Answer",
    "Article",
    "ArticleError",
    "Citation",
    "Corpus",
    "Engine",
    "IndexStoreError",
    "LoadProblem",
    "NoArticlesError",
    "Previous",
    "QuestionError",
    "Reading",
    "ReindexReport",
    "Summary",
    "SummaryError",
    "account",
    "account_subject",
    "article_at",
    "asks_for_account",
    "asks_for_gist",
    "asks_for_more",
    "asks_for_source",
    "asks_for_summary",
    "asks_this_article",
    "build_corpus",
    "clean_question",
    "find_article",
    "is_article_file",
    "load_folder",
    "matching_articles",
    "named_next",
    "names_a_subject",
    "next_subject",
    "open_corpus",
    "parse_article",
    "previous_subject",
    "read_in_context",
    "read_index",
    "read_manifest",
    "summarize",
    "summary_for",
    "without_chatter",
    "write_article",
]

_MODULES = {
    "index.article_choice": ("AmbiguousArticle", "article_at", "find_article", "matching_articles"),
    "index.confidence": ("REFUSAL_THRESHOLD",),
    "index.corpus": ("Corpus", "NoArticlesError"),
    "index.engine": ("Engine",),
    "index.question_input": ("QuestionError", "clean_question"),
    "index.followup": (
        "Previous",
        "Reading",
        "named_next",
        "next_subject",
        "previous_subject",
        "read_in_context",
    ),
    "index.chat_moves": ("asks_for_more", "asks_for_source", "asks_for_summary", "without_chatter"),
    "index.gist": (
        "account_subject",
        "asks_for_account",
        "asks_for_gist",
        "asks_this_article",
        "names_a_subject",
    ),
    "index.loader": ("MAX_FILE_BYTES", "ArticleError", "load_folder", "parse_article"),
    "index.question_types": ("YES_NO",),
    "index.small_talk": ("SMALL_TALK",),
    "index.records": ("MAX_QUESTION_CHARS", "Answer", "Article", "Citation", "LoadProblem"),
    "index.saved.building": ("ReindexReport", "build_corpus", "open_corpus"),
    "index.saved.manifest": ("IndexStoreError", "read_manifest"),
    "index.saved.store": ("read_index",),
    "index.seed_format": ("ARTICLE_SUFFIXES", "is_article_file", "write_article"),
    "index.summarize": ("MAX_SENTENCES", "Summary", "SummaryError", "summarize"),
    "index.summary_account": ("account", "summary_for"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


if not TYPE_CHECKING:  # hidden from mypy, so that it still flags a name index lacks

    def __getattr__(name: str) -> Any:
        """Load the module that defines ``name`` on first use, then keep the name here."""
        module = _HOME.get(name)
        if module is None:
            raise AttributeError(f"module 'index' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """Keeps the function :func:`summarize` the meaning of ``index.summarize``.

    Importing a submodule names it on its package; the module ``index.summarize``
    would then hide the function of the same name from ``from index import summarize``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
