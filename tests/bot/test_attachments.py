"""Which attached files `/article add` takes: every file type the loader reads, and HTML."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from bot.discord_app.cogs.curation import check_attachment
from bot.discord_app.errors import BadArticleSource
from index.seed_format import ARTICLE_SUFFIXES


@pytest.mark.parametrize("suffix", [*ARTICLE_SUFFIXES, ".html", ".htm"])
def test_every_article_file_type_is_taken(suffix: str) -> None:
    attachment: Any = SimpleNamespace(filename=f"notes{suffix}", size=100)

    check_attachment(attachment)


def test_another_file_type_is_refused_before_download() -> None:
    attachment: Any = SimpleNamespace(filename="photo.png", size=100)

    with pytest.raises(BadArticleSource, match="markdown"):
        check_attachment(attachment)
