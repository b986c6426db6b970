"""What is kept of a news page (bot.intake.extraction) and of uploaded files (bot.intake.drafts)."""

from __future__ import annotations

import pytest

from bot.intake import Draft, IntakeError, draft_from_file
from tests.bot.intake.conftest import PAGES
from tests.conftest import SEED_FILE

HARBOUR_BODY = (
    "The harbour authority opened the Eastquay ferry terminal in Lowmouth on Tuesday",
    "The terminal cost 40 million euros",
    "Ferries to Brannock Island will leave every ninety minutes",
    "“For the first time, people on Brannock can commute",
    "The building has a glass roof over the waiting hall",
    "Work on a second pier",
    "Not everyone is pleased: fishermen",
)
HARBOUR_CLUTTER = (
    "cookie",  # the banner
    "Horoscopes",  # navigation
    "Subscribe",
    "Share on",  # the share bar
    "Email this story",
    "Advertisement",
    "Zephyr phone",
    "Related stories",
    "Tram strike",  # related links
    "seagulls",
    "pelicans",  # comments
    "cement works",
    "First!",
    "Leave a comment",
    "All rights reserved",  # footer
    "Faster crossings to the islands",  # a subheading, not a sentence
)
OBSERVATORY_BODY = (
    "Astronomers at the Mount Kessel observatory have found a comet",
    "The comet, catalogued as C/2026 K1",
    "It is about 600 million kilometres from the Sun",
    "Director Lena Marsh said",
    "“Comets like this one are leftovers",
    "The observatory will open its doors",
)
OBSERVATORY_CLUTTER = (
    "cookies",
    "newsletter",
    "Grandmother",
    "WhatsApp",
    "Copy link",
    "star map poster",
    "Meteor shower",
    "More on this story",
    "spaceship",
    "flea market",
    "What readers say",
    "Advertise with us",
    "4 min read",
)

COUNCIL_BODY = (
    "VALLEYFORD – The county council voted on Monday",
    "The buses will leave Millgate depot every hour",
    "The service will cost about 1.2 million pounds",
    "Councillor Dara Whelan, who chairs the transport committee, said",  # a link inside: kept
    "Opposition councillors abstained",
)
COUNCIL_CLUTTER = (
    "Search the Valley Post",
    "Sudoku",
    "used car of the week",
    "214 partners",  # the consent overlay
    "Home ›",  # breadcrumbs
    "Photo: Valley Post archive",  # a caption
    "Read also",  # an in-story teaser link
    "Tram extension delayed",
    "morning briefing",  # the newsletter box
    "Tags:",
    "Share this article",
    "Recommended for you",
    "Ten walks",
    "withdrawn in 2011",  # comments
    "Another tax on drivers",
    "Midshire Media",
)
PAGES_BODY = [
    ("harbour.html", HARBOUR_BODY),
    ("observatory.html", OBSERVATORY_BODY),
    ("council.html", COUNCIL_BODY),
]
PAGES_CLUTTER = [
    ("harbour.html", HARBOUR_CLUTTER),
    ("observatory.html", OBSERVATORY_CLUTTER),
    ("council.html", COUNCIL_CLUTTER),
]


def page(name: str) -> Draft:
    return draft_from_file(name, (PAGES / name).read_bytes())


def all_text(draft: Draft) -> str:
    return "\n".join([draft.title, draft.summary, *draft.paragraphs])


@pytest.mark.parametrize(("name", "body"), PAGES_BODY)
def test_every_body_paragraph_is_kept_in_order(name: str, body: tuple[str, ...]) -> None:
    paragraphs = page(name).paragraphs
    assert len(paragraphs) == len(body)
    assert all(p.startswith(start) for p, start in zip(paragraphs, body, strict=True))


@pytest.mark.parametrize(("name", "clutter"), PAGES_CLUTTER)
def test_navigation_ads_share_bars_related_links_and_comments_are_dropped(
    name: str, clutter: tuple[str, ...]
) -> None:
    text = all_text(page(name))
    assert [c for c in clutter if c.lower() in text.lower()] == []


def test_title_author_date_and_description_are_kept() -> None:
    draft = page("harbour.html")
    assert draft.title == "Lowmouth opens its new ferry terminal"
    assert (draft.author, draft.published) == ("Ines Calder", "2026-11-24")
    assert draft.summary.startswith("The harbour authority opened the Eastquay ferry terminal on")
    assert draft.source == "file: harbour.html"


def test_metadata_from_json_ld_is_kept() -> None:
    draft = page("observatory.html")
    assert draft.title == "Observatory on Mount Kessel finds a new comet"
    assert (draft.author, draft.published) == ("Rafael Oduya", "2026-10-02")


def test_metadata_from_open_graph_and_meta_tags_is_kept() -> None:
    draft = page("council.html")
    assert draft.title == "Valley council approves night buses after petition"
    assert (draft.author, draft.published) == ("Priya Nandakumar", "2026-09-15")
    assert draft.summary == "Three night routes will run from January, paid for by a parking levy."


def test_a_page_of_headlines_has_no_article() -> None:
    with pytest.raises(IntakeError, match=r"^no article text was found in section-front\.html$"):
        page("section-front.html")


def test_a_seed_format_file_keeps_its_source_and_summary() -> None:
    draft = draft_from_file(SEED_FILE.name, SEED_FILE.read_bytes())
    assert draft.source == "www.rferl.org"
    assert draft.summary.startswith("North Korean leader Kim Jong Un showcased new drones")
    assert draft.paragraphs[0].startswith("North Korean leader Kim Jong Un has displayed")


def test_a_markdown_file_is_read_as_the_loader_reads_it() -> None:
    draft = draft_from_file("notes.md", b"# Drone Report\n\nThe **army** tested a drone.\n")
    assert (draft.title, draft.paragraphs, draft.source) == (
        "Drone Report",
        ("The army tested a drone.",),
        "file: notes.md",
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "photo.png",
            b"\x89PNG",
            r"^photo.png is not an article file; use .html, .htm, .txt, .md or .markdown$",
        ),
        ("empty.txt", b"  \n", r"^empty.txt is empty$"),
        ("big.html", b"<p>" * (2 * 1024 * 1024), r"^big.html is larger than 5 MB$"),
        (
            "latin1.txt",
            "Caf\xe9 news. It opened.".encode("latin-1"),
            r"^latin1.txt is not valid UTF-8",
        ),
        ("../../etc/passwd.html", b"<html></html>", r"^no article text was found in passwd.html$"),
    ],
)
def test_a_bad_file_gets_one_line_naming_it(name: str, data: bytes, message: str) -> None:
    with pytest.raises(IntakeError, match=message):
        draft_from_file(name, data)
