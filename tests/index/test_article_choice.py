"""Which article a name means (index.article_choice): one rule for every command."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.article_choice import (
    AmbiguousArticle,
    article_at,
    find_article,
    listed_place,
    matching_articles,
)
from index.loader import article_from_text
from index.records import Article


def article(article_id: str, title: str, file: str) -> Article:
    return replace(article_from_text(article_id, title, ["Some text."]), source_path=file)


BRIDGE = article("council-bridge", "Council plans a bridge for 2026", "bridge.md")
BUDGET = article("council", "Council passes budget", "council.txt")
DRONES = article("7b3f00aa", "Drones over Kyiv", "drones.txt")
LISTING = (BRIDGE, BUDGET, DRONES)  # as `articles` numbers them


def test_a_number_is_the_article_of_that_number_in_the_listing() -> None:
    assert find_article(LISTING, "2") is BUDGET


def test_a_number_past_the_last_finds_a_title_holding_that_number() -> None:
    assert find_article(LISTING, "2026") is BRIDGE


def test_a_number_past_the_last_is_never_the_start_of_an_id() -> None:
    assert find_article(LISTING, "7") is None


def test_a_whole_id_comes_before_the_start_of_another_id() -> None:
    assert matching_articles(LISTING, "council") == [BUDGET, BRIDGE]


def test_matches_by_the_same_rule_keep_the_listing_order() -> None:
    assert matching_articles(LISTING, "counc") == [BRIDGE, BUDGET]


def test_the_start_of_an_id_finds_the_article() -> None:
    assert find_article(LISTING, "7b3f") is DRONES


def test_a_file_name_finds_the_article() -> None:
    assert find_article(LISTING, "bridge.md") is BRIDGE


def test_part_of_a_title_finds_the_article_whatever_its_case_and_spacing() -> None:
    assert find_article(LISTING, "  over  KYIV ") is DRONES


def test_nothing_typed_means_no_article() -> None:
    assert find_article(LISTING, "  ") is None


def test_a_name_the_best_rule_fits_to_one_article_finds_it_though_weaker_rules_fit_others() -> None:
    assert find_article(LISTING, "council") is BUDGET  # its whole id; the bridge's only starts so


def test_a_name_fitting_several_articles_equally_is_not_guessed() -> None:
    # "remove counc" had removed the first of them.
    with pytest.raises(AmbiguousArticle, match="fits 2 articles") as raised:
        find_article(LISTING, "counc")
    assert raised.value.articles == (BRIDGE, BUDGET)
    assert "1. Council plans a bridge for 2026" in str(raised.value)


@pytest.mark.parametrize(
    ("reference", "place"),
    [
        ("article 5", 5),
        ("Article #5", 5),
        ("story 2?", 2),
        ("number 3", 3),
        ("#4", 4),
        ("the 5th one", 5),
        ("the fifth article", 5),
        ("the first one", 1),
        ("second one", 2),
        ("the last one", -1),
        ("the michigan water one", None),  # a name, found by its words
        ("5", None),  # a bare number is the listing's, as find_article reads it
        ("the article", None),
    ],
)
def test_a_place_in_a_listing_is_read_from_how_people_name_it(
    reference: str, place: int | None
) -> None:
    assert listed_place(reference) == place


def test_the_article_at_a_place_counts_from_the_first_and_the_last() -> None:
    assert article_at(LISTING, "the second one") is BUDGET
    assert article_at(LISTING, "the last one") is DRONES
    assert article_at(LISTING, "article 4") is None
