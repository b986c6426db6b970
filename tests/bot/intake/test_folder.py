"""Writing articles into the folder and taking them out (bot.intake.folder), with real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.intake import (
    Draft,
    DuplicateArticle,
    IntakeError,
    add_to_folder,
    added_message,
    draft_from_file,
    draft_from_text,
    remove_from_folder,
    removed_message,
)
from bot.intake.drafts import FILE_SUFFIXES
from index import open_corpus
from index.corpus import Corpus
from index.loader import load_file
from index.seed_format import ARTICLE_SUFFIXES

TEXT = (
    "The harbour authority opened a new ferry terminal in Lowmouth on Tuesday.\n"
    "The terminal cost 40 million euros and will handle 2,000 passengers a day.\n"
    "Work on a second pier starts in May."
)


def rebuild_of(seeds: Path, index: Path) -> Corpus:
    return open_corpus(seeds, index)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


Rebuild = Callable[[], Corpus]


@pytest.fixture
def rebuild(seeds_copy: Path, tmp_path: Path) -> Rebuild:
    return lambda: rebuild_of(seeds_copy, tmp_path / "index")


def test_pasted_text_becomes_an_article_of_the_new_corpus(
    seeds_copy: Path, rebuild: Rebuild
) -> None:
    added = add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), rebuild)
    assert added.file.parent == seeds_copy
    assert added.article.title == "Ferry terminal opens"
    assert added.article.sentences[1].text.startswith("The terminal cost 40 million euros")
    assert added.article.source == "pasted"


def test_pasted_text_with_blank_lines_keeps_its_paragraphs() -> None:
    draft = draft_from_text("T", "One line\nstill one.\n\nTwo.")
    assert draft.paragraphs == ("One line still one.", "Two.")


def test_the_file_alone_gives_the_same_index(
    seeds_copy: Path, rebuild: Rebuild, tmp_path: Path
) -> None:
    draft = Draft(
        "Ferry terminal opens",
        tuple(TEXT.split("\n")),
        "https://news.example/ferry",
        summary="A new terminal.",
        author="Ana Ruiz",
        published="2026-11-30",
    )
    added = add_to_folder(seeds_copy, draft, rebuild, added_by="terminal")
    after_add = rebuild()
    fresh = rebuild_of(seeds_copy, tmp_path / "fresh-index")
    assert [(a.id, a.content_hash) for a in fresh.articles] == [
        (a.id, a.content_hash) for a in after_add.articles
    ]
    assert [c.text for c in fresh.chunks] == [c.text for c in after_add.chunks]
    reread = load_file(added.file)
    assert (reread.summary, reread.author, reread.published) == (
        "A new terminal.",
        "Ana Ruiz",
        "2026-11-30",
    )
    assert reread.added_at.endswith("+00:00")


def test_a_page_without_summary_keeps_its_first_paragraph_in_the_body(
    seeds_copy: Path, rebuild: Rebuild
) -> None:
    added = add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), rebuild)
    assert added.article.sentences[0].text.startswith("The harbour authority opened")
    assert added.article.summary == ""


def test_the_same_link_is_not_added_twice(seeds_copy: Path, rebuild: Rebuild) -> None:
    first = Draft("Ferry", tuple(TEXT.split("\n")), "https://News.example/ferry/")
    add_to_folder(seeds_copy, first, rebuild)
    before = snapshot(seeds_copy)
    other_text = Draft(
        "Ferry again",
        ("A different story about boats entirely.",),
        "https://news.example:443/ferry#comments",
    )
    with pytest.raises(DuplicateArticle, match="already indexed as “Ferry”"):
        add_to_folder(seeds_copy, other_text, rebuild)
    assert snapshot(seeds_copy) == before


def test_the_same_text_is_not_added_twice(seeds_copy: Path, rebuild: Rebuild) -> None:
    add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), rebuild)
    before = snapshot(seeds_copy)
    with pytest.raises(DuplicateArticle) as raised:
        add_to_folder(seeds_copy, draft_from_text("Another title", TEXT.upper()), rebuild)
    assert raised.value.existing_title == "Ferry terminal opens"
    assert snapshot(seeds_copy) == before


def test_a_failed_rebuild_leaves_the_folder_as_it_was(seeds_copy: Path) -> None:
    before = snapshot(seeds_copy)

    def broken() -> Corpus:
        raise RuntimeError("disk full")

    with pytest.raises(IntakeError, match=r"could not be rebuilt \(disk full\); nothing was added"):
        add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), broken)
    assert snapshot(seeds_copy) == before


def test_an_article_the_rebuild_did_not_load_is_taken_out_again(
    seeds_copy: Path, rebuild: Rebuild
) -> None:
    before, served = snapshot(seeds_copy), rebuild()
    with pytest.raises(IntakeError, match=r"could not be indexed .*; nothing was added$"):
        add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), lambda: served)
    assert snapshot(seeds_copy) == before


def test_two_articles_with_one_title_get_two_files(seeds_copy: Path, rebuild: Rebuild) -> None:
    one = add_to_folder(seeds_copy, draft_from_text("Ferry", TEXT), rebuild)
    two = add_to_folder(seeds_copy, draft_from_text("Ferry", "Buses run late tonight."), rebuild)
    assert (one.file.name, two.file.name) == ("ferry.md", "ferry-2.md")
    assert one.article.id != two.article.id


def test_remove_moves_the_file_to_removed_and_rebuilds(seeds_copy: Path, rebuild: Rebuild) -> None:
    added = add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), rebuild)
    removed = remove_from_folder(seeds_copy, added.article, rebuild)
    assert removed.moved_to == seeds_copy / "removed" / added.file.name
    assert removed.moved_to.read_bytes().startswith(b"# Ferry terminal opens")
    assert not added.file.exists()
    assert added.article.id not in {a.id for a in rebuild().articles}


def test_a_second_removal_of_one_name_keeps_both_files(seeds_copy: Path, rebuild: Rebuild) -> None:
    draft = draft_from_text("Ferry terminal opens", TEXT)
    first = remove_from_folder(
        seeds_copy, add_to_folder(seeds_copy, draft, rebuild).article, rebuild
    )
    second = remove_from_folder(
        seeds_copy, add_to_folder(seeds_copy, draft, rebuild).article, rebuild
    )
    assert first.moved_to != second.moved_to
    assert first.moved_to.exists() and second.moved_to.exists()


def test_a_failed_remove_puts_the_file_back(seeds_copy: Path, rebuild: Rebuild) -> None:
    added = add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), rebuild)
    before = snapshot(seeds_copy)

    def broken() -> Corpus:
        raise RuntimeError("database away")

    with pytest.raises(IntakeError, match="nothing was removed"):
        remove_from_folder(seeds_copy, added.article, broken)
    assert snapshot(seeds_copy) == before


def test_messages_name_the_title_the_count_and_the_first_sentence(
    seeds_copy: Path, rebuild: Rebuild
) -> None:
    added = add_to_folder(seeds_copy, draft_from_text("Ferry terminal opens", TEXT), rebuild)
    assert added_message(added) == (
        "Added “Ferry terminal opens”: 3 sentences. First: “The harbour authority opened a "
        "new ferry terminal in Lowmouth on Tuesday.”"
    )
    removed = remove_from_folder(seeds_copy, added.article, rebuild)
    assert removed_message(removed) == (
        "Removed “Ferry terminal opens”; its file is kept as removed/ferry-terminal-opens.md."
    )


@pytest.mark.parametrize("suffix", ARTICLE_SUFFIXES)
def test_a_file_of_every_type_the_loader_reads_is_added(
    seeds_copy: Path, rebuild: Rebuild, suffix: str
) -> None:
    data = b"# Ferry terminal opens\n\n" + TEXT.encode("utf-8")
    added = add_to_folder(seeds_copy, draft_from_file(f"ferry{suffix}", data), rebuild)

    assert added.article.title == "Ferry terminal opens"


def test_discord_takes_every_file_type_the_loader_reads() -> None:
    assert set(ARTICLE_SUFFIXES) <= set(FILE_SUFFIXES)  # /article add checks FILE_SUFFIXES
