from __future__ import annotations

from pathlib import Path

import pytest

from index.loader import article_from_text, load_file, load_folder, parse_article
from index.saved.building import build_corpus
from index.seed_format import ARTICLE_SUFFIXES, write_article
from tests.conftest import SEED_FILE


def test_seed_header_gives_title_id_and_source() -> None:
    article = load_file(SEED_FILE)
    assert article.title.startswith("North Korea’s Military Expansion")
    assert article.id == "533f8b16-f20c-4ffb-9691-b766978a69cb"
    assert article.source == "www.rferl.org"


def test_publisher_summary_is_kept_out_of_the_body() -> None:
    article = load_file(SEED_FILE)
    assert article.summary.startswith("North Korean leader Kim Jong Un showcased new drones")
    body = " ".join(s.text for s in article.sentences)
    assert "showcased new drones while reports surfaced" not in body


def test_boilerplate_after_original_source_is_not_indexed() -> None:
    article = load_file(SEED_FILE)
    body = " ".join(p.text for p in article.paragraphs)
    assert "Leave a Reply" not in body
    assert "email address" not in body
    assert "Original Source" not in body


def test_sentence_ids_are_stable_across_reloads() -> None:
    first = [s.id for s in load_file(SEED_FILE).sentences]
    second = [s.id for s in load_file(SEED_FILE).sentences]
    assert first == second
    assert len(set(first)) == len(first)


def test_unchanged_sentences_keep_their_ids_when_others_change(tmp_path: Path) -> None:
    original = SEED_FILE.read_text(encoding="utf-8")
    edited = original.replace(
        "The initial reports regarding", "A new sentence is here. The initial reports regarding"
    )
    path = tmp_path / SEED_FILE.name
    path.write_text(edited, encoding="utf-8")
    before = {s.text: s.id for s in load_file(SEED_FILE).sentences}
    after = {s.text: s.id for s in load_file(path).sentences}
    shared = set(before) & set(after)
    assert len(shared) >= len(before) - 1
    assert all(before[text] == after[text] for text in shared)


def test_plain_markdown_file_takes_title_from_heading(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Drone Report\n\nThe **army** tested a drone. It flew well.\n", encoding="utf-8"
    )
    article = load_file(path)
    assert article.title == "Drone Report"
    assert [s.text for s in article.sentences] == ["The army tested a drone.", "It flew well."]


def test_plain_text_without_title_line_uses_file_name(tmp_path: Path) -> None:
    path = tmp_path / "city_council.txt"
    path.write_text("The council met on Monday. It voted to build a bridge.\n", encoding="utf-8")
    article = load_file(path)
    assert article.title == "City council"
    assert len(article.sentences) == 2


def test_malformed_files_are_reported_by_name_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good news\n\nThe bridge opened today.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news\n\nIt opened.".encode("latin-1"))
    (tmp_path / "image.png").write_bytes(b"png")
    result = load_folder(tmp_path)
    assert [a.title for a in result.articles] == ["Good news"]
    reasons = {p.path: p.reason for p in result.problems}
    assert reasons["empty.txt"] == "is empty"
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "unsupported file type" in reasons["image.png"]


ADDED_ARTICLE = """Drone Report

0
drone-report-1234

The army showed a drone on Monday.

The drone flew for an hour over the coast. Officials said it carried no weapons.

Original Source: https://news.example/drone
Added: 2026-12-03T09:00:00+00:00
Author: Ana Ruiz
Published: 2026-12-01

Leave a Reply
"""


def test_metadata_lines_after_original_source_fill_the_record(tmp_path: Path) -> None:
    path = tmp_path / "drone.txt"
    path.write_text(ADDED_ARTICLE, encoding="utf-8")
    article = load_file(path)
    assert article.source == "https://news.example/drone"
    assert article.added_at == "2026-12-03T09:00:00+00:00"
    assert article.author == "Ana Ruiz"
    assert article.published == "2026-12-01"


def test_added_articles_come_after_the_folders_own_in_the_order_they_were_added(
    tmp_path: Path,
) -> None:
    """Users name articles by number; adding one must not renumber the others."""
    (tmp_path / "zebra.txt").write_text("Zebra news\n\nThe zoo opened.\n", encoding="utf-8")
    later = ADDED_ARTICLE.replace("drone-report-1234", "aardvark-1").replace("T09:", "T10:")
    (tmp_path / "aardvark.txt").write_text(later.replace("Drone Report", "Aardvark"), "utf-8")
    (tmp_path / "drone.txt").write_text(ADDED_ARTICLE, encoding="utf-8")
    titles = [a.title for a in load_folder(tmp_path).articles]
    assert titles == ["Zebra news", "Drone Report", "Aardvark"]


def test_metadata_lines_are_not_article_text(tmp_path: Path) -> None:
    path = tmp_path / "drone.txt"
    path.write_text(ADDED_ARTICLE, encoding="utf-8")
    body = " ".join(p.text for p in load_file(path).paragraphs)
    assert (
        body == "The drone flew for an hour over the coast. Officials said it carried no weapons."
    )


def test_metadata_does_not_change_the_content_hash(tmp_path: Path) -> None:
    with_metadata, without = tmp_path / "a.txt", tmp_path / "b.txt"
    with_metadata.write_text(ADDED_ARTICLE, encoding="utf-8")
    without.write_text(ADDED_ARTICLE.replace("Author: Ana Ruiz\n", ""), encoding="utf-8")
    assert load_file(with_metadata).content_hash == load_file(without).content_hash


def test_metadata_lines_only_count_right_after_original_source(tmp_path: Path) -> None:
    path = tmp_path / "drone.txt"
    path.write_text(
        ADDED_ARTICLE.replace("Author: Ana Ruiz\n", "").replace(
            "Leave a Reply\n", "Leave a Reply\n\nAuthor: A commenter\n"
        ),
        encoding="utf-8",
    )
    assert load_file(path).author == ""


def test_metadata_survives_a_load_from_the_saved_index(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "drone.txt").write_text(ADDED_ARTICLE, encoding="utf-8")
    build_corpus(seeds, index_dir=tmp_path / "index")
    reopened = build_corpus(seeds, index_dir=tmp_path / "index")
    assert reopened.loaded
    assert reopened.corpus.articles[0].added_at == "2026-12-03T09:00:00+00:00"


def test_a_seed_without_metadata_has_empty_fields() -> None:
    article = load_file(SEED_FILE)
    assert (article.added_at, article.author, article.published) == ("", "", "")


def test_an_article_written_in_the_seed_format_loads_as_written() -> None:
    suffix, text = write_article(
        "Ferry  terminal opens",
        ["The terminal opened on Tuesday.", "It cost 40 million euros."],
        article_id="ferry-terminal-opens",
        source="https://example.org/ferry",
        summary="A new terminal.",
        added_at="2026-01-02T03:04:05+00:00",
        author="A. Writer",
    )
    article = parse_article(text.encode("utf-8"), name="ferry-terminal-opens" + suffix)

    assert suffix == ".txt"
    assert (article.id, article.title, article.summary) == (
        "ferry-terminal-opens",
        "Ferry terminal opens",
        "A new terminal.",
    )
    assert [p.text for p in article.paragraphs] == [
        "The terminal opened on Tuesday.",
        "It cost 40 million euros.",
    ]
    assert (article.source, article.added_at, article.author) == (
        "https://example.org/ferry",
        "2026-01-02T03:04:05+00:00",
        "A. Writer",
    )


def test_an_article_without_a_summary_is_written_as_markdown_keeping_its_first_paragraph() -> None:
    suffix, text = write_article(
        "Ferry terminal opens", ["The terminal opened on Tuesday."], article_id="x", source="pasted"
    )
    article = parse_article(text.encode("utf-8"), name="ferry" + suffix)

    assert suffix == ".md"
    assert [p.text for p in article.paragraphs] == ["The terminal opened on Tuesday."]


@pytest.mark.parametrize("suffix", ARTICLE_SUFFIXES)
def test_every_accepted_suffix_loads(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"notes{suffix}"
    path.write_text("# Drone report\n\nThe army tested a drone.\n", encoding="utf-8")

    assert load_file(path).title == "Drone report"


def test_an_article_whose_title_is_its_id_has_no_headline() -> None:
    titled = article_from_text("port", "Port reopens", ["Lorries queued for a day."])
    untitled = article_from_text("port", "port", ["Lorries queued for a day."])
    assert (titled.headline, untitled.headline) == ("Port reopens", "")
