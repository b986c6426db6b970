"""What the terminal and Discord say after an add or a remove: the same words in both."""

from __future__ import annotations

from bot.intake.folder import Added, Removed

MAX_TITLE = 200
MAX_SENTENCE = 300


def added_message(added: Added) -> str:
    """``Added “title”: n sentences. First: “...”``, each part shortened to fit a message."""
    article = added.article
    count = article.sentence_count
    sentences = f"{count} sentence" if count == 1 else f"{count} sentences"
    first = article.sentences[0].text if article.sentences else ""
    return (
        f"Added “{_shorten(article.title, MAX_TITLE)}”: {sentences}. "
        f"First: “{_shorten(first, MAX_SENTENCE)}”"
    )


def removed_message(removed: Removed) -> str:
    folder = removed.moved_to.parent.name
    return (
        f"Removed “{_shorten(removed.article.title, MAX_TITLE)}”; "
        f"its file is kept as {folder}/{removed.moved_to.name}."
    )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
