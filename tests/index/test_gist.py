"""Lines that ask for the gist or greet (index.gist, Engine.gist), told from questions by their words."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.engine import Engine
from index.gist import (
    account_subject,
    asks_for_account,
    asks_for_gist,
    asks_this_article,
    names_a_subject,
    names_article,
    newest_first,
)
from index.saved.building import open_corpus


def knows(word: str) -> bool:
    return word in {"drones", "troops", "russia"}


@pytest.mark.parametrize(
    "line", ["what happened?", "what's this about", "whats this about", "tl;dr", "summarise it"]
)
def test_a_line_asking_for_the_gist_with_nothing_to_search_gets_the_summary(line: str) -> None:
    assert asks_for_gist(line, knows) == "summary"


@pytest.mark.parametrize("line", ["hello", "hi there", "no thanks"])
def test_a_greeting_gets_the_line_on_what_to_ask(line: str) -> None:
    assert asks_for_gist(line, knows) == "greeting"


@pytest.mark.parametrize(
    "line",
    ["thanks!", "thank you so much", "ok thx", "cheers mate", "great, thanks for the summary :)"],
)
def test_a_thank_you_is_answered_in_kind(line: str) -> None:
    assert asks_for_gist(line, knows) == "thanks"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("ok", "ack"),
        ("oh ok, i see", "ack"),
        ("nvm", "ack"),
        ("lol", "ack"),
        ("good bot", "praise"),
        ("you're awesome!", "praise"),
        ("see ya later", "bye"),
        ("ok bye", "bye"),
        ("are you a bot?", "greeting"),
    ],
)
def test_small_talk_is_answered_in_kind(line: str, kind: str) -> None:
    assert asks_for_gist(line, knows) == kind


@pytest.mark.parametrize("line", ["ok, how many troops?", "bye week drones?", "no"])
def test_small_talk_words_in_a_question_or_a_bare_no_are_not_small_talk(line: str) -> None:
    assert asks_for_gist(line, knows) not in {"ack", "praise", "bye"}


def test_thanks_with_a_question_is_still_searched() -> None:
    assert asks_for_gist("thanks, and how many troops?", knows) is None


@pytest.mark.parametrize(
    "line", ["what happened to the drones?", "how many troops?", "who won?", "xyzzy?"]
)
def test_a_question_with_a_word_to_search_or_put_as_a_question_is_searched(line: str) -> None:
    assert asks_for_gist(line, knows) is None


def test_what_happened_with_one_article_is_its_summary(seed_engine: Engine) -> None:
    gist = seed_engine.gist("what happened?")
    assert gist is not None and gist.kind == "summary"
    assert gist.articles == seed_engine.corpus.articles


def test_a_misspelt_question_is_not_taken_for_a_greeting(seed_engine: Engine) -> None:
    assert seed_engine.gist("rusia") is None


def test_what_happened_among_several_articles_offers_them_newest_first(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, added in (("old.txt", "2024-01-02"), ("new.txt", "2026-05-01"), ("mid.txt", "")):
        (folder / name).write_text(
            f"{name} story\n\nThe {name} story happened.\n\nOriginal Source: x\nAdded: {added}\n"
        )
    engine = Engine(open_corpus(folder, tmp_path / "index"))
    gist = engine.gist("what's this about?")
    assert gist is not None and gist.kind == "choose"
    assert [a.source_path for a in gist.articles] == ["new.txt", "old.txt", "mid.txt"]


def test_an_article_named_by_its_place_in_the_listing_is_summarised(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ("alpha.txt", "beta.txt"):
        (folder / name).write_text(f"{name} story\n\nThe {name} story happened.\n")
    engine = Engine(open_corpus(folder, tmp_path / "index"))
    for line in ("what's article 2 about?", "tell me about the second one", "summarize #2"):
        gist = engine.gist(line)
        assert gist is not None and gist.kind == "summary" and gist.topic is None
        assert [a.source_path for a in gist.articles] == ["beta.txt"]


def test_the_gist_of_the_article_asked_about_is_its_summary(seed_engine: Engine) -> None:
    article = seed_engine.corpus.articles[0]
    gist = seed_engine.gist("tl;dr", article.id)
    assert gist is not None and (gist.kind, gist.articles) == ("summary", (article,))


def test_undated_articles_keep_their_order_after_dated_ones(seed_engine: Engine) -> None:
    article = seed_engine.corpus.articles[0]
    dated = replace(article, id="b", published="2025-03-01T10:00:00+00:00")
    assert newest_first([article, dated]) == [dated, article]


@pytest.mark.parametrize(
    ("line", "subject"),
    [
        ("what happened in the train crash?", "the train crash"),
        ("tell me about the strike", "the strike"),
        ("whats going on with Kim's drones", "Kim's drones"),
        ("can you give me a summary of the match please", "the match"),
        ("what's been happening in Gaza?", "Gaza"),
        ("summarise the chess story", "the chess story"),
        ("Give me a quick rundown of BB King's career?", "BB King's career"),
        ("what's the deal with the old mansion", "the old mansion"),
        ("what happened with the mum who lost 7 stone", "the mum who lost 7 stone"),
        ("tell me about the last shift at the mine", "the last shift at the mine"),
        ("Can you recap the win over Leeds?", "the win over Leeds"),
        ("what's up with the tanker emails", "the tanker emails"),
        ("Can you fill me in on the pub plans?", "the pub plans"),
        ("What's the story behind the town taking in refugees?", "the town taking in refugees"),
        ("explain why the fare went up", "why the fare went up"),  # the cause, summarised
        ("What's the story with how the moon formed?", "how the moon formed"),
        ("can you run me through the budget", "the budget"),
        ("break down the settlement", "the settlement"),
        ("catch me up on the strike", "the strike"),
        ("what went down at the party", "the party"),
        ("quick rundown of the projects they signed pls", "the projects they signed"),
        ("need the lowdown on the transfer embargo", "the transfer embargo"),
        ("any details on the cable car financing", "the cable car financing"),
        ("Can you go over the injunctions?", "the injunctions"),
        ("cuba stepping up security - whats that about", "cuba stepping up security"),
        ("that keeper who nearly scored, whats the story there", "that keeper who nearly scored"),
        ("so what's this about nurses stuck waiting to work", "nurses stuck waiting to work"),
        ("What do we know about why he made the robots?", "why he made the robots"),
        ("is she contesting it? fill me in on the recount", "the recount"),  # after a question
        ("give me the tea on the royal wedding lol", "the royal wedding"),
        ("the tram accident, what happened?", "the tram accident"),
        (
            "ozone levels + the clean air act bit, can u explain that part",
            "ozone levels + the clean air act bit",
        ),
        ("whats this report about people stockpiling guns?", "people stockpiling guns"),
        ("tl;dr the kilat ipo", "the kilat ipo"),  # the semicolon had ended a sentence
        ("anything about prices?", "prices"),  # a tester's: "No word of the question …"
        ("is there anything on the costs", "the costs"),
        ("what's article 5 about", "article 5"),
        ("whats the michigan water one about", "the michigan water one"),
        ("whats the ahmed mohamed story", "the ahmed mohamed story"),  # a tester's: "Cool clock"
    ],
)
def test_a_line_asking_for_an_account_of_a_subject_names_the_subject(
    line: str, subject: str
) -> None:
    assert account_subject(line) == subject


@pytest.mark.parametrize(
    "line",
    [
        "what happened to the drones?",  # an outcome: a short answer
        "what happened after the mother called?",  # a moment
        "how did the crash happen?",
        "what news network did ABC launch?",  # "which network"
        "what does not explain the failure?",
        "what happened?",  # no subject: the gist
        "tell me about it",
        "who won the match?",
        "what is the deal worth?",  # a noun asking for an account needs "with", "of"...
        "what happened when she went on Millionaire?",  # a moment
        "what happened at first?",
        "what went wrong at the plant?",  # "went" asks for an account with "on" or "down"
        "tell me who won the match",
        "can you run the numbers again",
        "what break did he take?",
        "What is the break down of years at each level?",
        "the deal with iran collapsed?",  # "deal" asks for an account only after an opener
        "how many died - whats that about",
        "what did he go through?",
        "whats this about?",  # no subject: the gist
        "did they catch the driver, what happened?",  # a yes-or-no question
        "who won? and how many died?",  # questions, sentence after sentence
    ],
)
def test_a_question_or_a_line_without_a_subject_names_none(line: str) -> None:
    assert account_subject(line) is None


def test_a_subject_asked_about_among_several_articles_is_summarised_from_its_article(
    strike_and_match: Engine,
) -> None:
    gist = strike_and_match.gist("what happened with the strike?")
    assert gist is not None and (gist.kind, gist.topic) == ("summary", "the strike")
    assert [a.source_path for a in gist.articles] == ["strike.txt"]


def test_a_subject_naming_an_article_gets_that_articles_whole_summary(
    strike_and_match: Engine,
) -> None:
    gist = strike_and_match.gist("summarise the cup final story")
    assert gist is not None and (gist.kind, gist.topic) == ("summary", None)
    assert [a.source_path for a in gist.articles] == ["match.txt"]


@pytest.mark.parametrize(
    "line", ["what happened?", "tell me more", "what's going on?", "explain pls", "more"]
)
def test_a_line_asking_for_an_account_without_a_subject_is_told_apart(line: str) -> None:
    assert asks_for_account(line)


@pytest.mark.parametrize(
    "line", ["what happened next?", "what happened to them?", "tl;dr", "summary", "what is it?"]
)
def test_a_moment_an_outcome_or_a_summary_is_no_account_without_a_subject(line: str) -> None:
    assert not asks_for_account(line)


ENGLISH = frozenset({"store", "match", "prices", "best", "vote", "crash", "strike", "drones"})


@pytest.mark.parametrize(
    ("line", "subject"),
    [
        ("tell me abuot the drones", "the drones"),
        ("sumarise the strike", "the strike"),
        ("waht happened in the crash?", "the crash"),
        ("can you explian the vote", "the vote"),
    ],
)
def test_a_request_word_typed_with_a_slip_is_read_as_meant(line: str, subject: str) -> None:
    assert account_subject(line, english=ENGLISH) == subject
    assert account_subject(line) != subject  # without English to tell real words, none is read


def test_a_word_english_knows_is_not_read_as_a_request_word() -> None:
    line = "what's the store with the best prices?"  # "store" is one slip from "story"
    assert account_subject(line, english=ENGLISH) is None
    assert account_subject("can you give me a summary of the match", ENGLISH) == "the match"


def test_without_english_words_no_slip_is_read() -> None:
    line = "can you give me a summary of the match"  # "match" is one key from "catch"
    assert account_subject(line, english=frozenset()) == "the match"


def test_chat_spellings_of_request_words_are_read_written_out() -> None:
    assert account_subject("whats goin on with the troops") == "the troops"
    assert account_subject("wat happened in the crash") == "the crash"


def test_a_bare_request_typed_with_slips_asks_for_an_account() -> None:
    assert asks_for_account("waht happend?", ENGLISH)
    assert not asks_for_account("waht happend next?", ENGLISH)


@pytest.mark.parametrize("line", ["what can you do?", "how does this work?", "who are you?"])
def test_a_line_about_the_bot_gets_the_line_on_what_to_ask(line: str) -> None:
    assert asks_for_gist(line, lambda word: True) == "greeting"


@pytest.mark.parametrize(
    ("subject", "whole"),
    [
        ("the chess story", True),
        ("the council bankruptcy one", True),  # was read as a topic, in the wrong article
        ("that water protest one", True),
        ("the strike", False),
        ("number one", False),
        ("the one", False),
        ("article 5", True),  # was read as a topic, "says nothing about 'article 5'"
        ("the second one", True),
    ],
)
def test_a_subject_naming_an_article_asks_for_all_of_it(subject: str, whole: bool) -> None:
    assert names_article(subject) is whole


@pytest.mark.parametrize(
    ("line", "bare"),
    [
        ("undersea cable pact", True),
        ("kwantaba water protest", True),
        ("how many troops", False),  # a question word
        ("is the bridge open", False),  # an auxiliary
        ("troops sent to russia?", False),  # a question mark
        ("2", False),  # a number: the choice of an article, or nothing to look for
        ("../../etc/passwd", False),
        ("the council said the bridge will stay closed until the repairs end", False),
    ],
)
def test_a_bare_subject_is_a_few_words_asking_nothing(line: str, bare: bool) -> None:
    assert names_a_subject(line) is bare


@pytest.mark.parametrize(
    ("line", "subject"),
    [
        ("what does it say about council tax", "council tax"),
        ("what does the article say about the refund?", "the refund"),
        ("so what does it say about climate change", "climate change"),
        ("what did the minister say about the tax", None),  # someone's words: a question
        ("what does it say", None),
    ],
)
def test_what_the_article_says_about_a_subject_is_an_account_of_it(
    line: str, subject: str | None
) -> None:
    assert account_subject(line) == subject


@pytest.mark.parametrize(
    "line",
    [
        "anything else?",
        "Something that is considered an error is the belief that a force is needed for what?",
        "what is the dispute about",  # a fact asked, no article named
        "What's the party's take on Muslim history?",  # "history" names no story
        "What is the resultant force called when two forces act on a particle?",
    ],
)
def test_lines_that_only_look_like_asking_for_an_account_are_not(line: str) -> None:
    assert account_subject(line) is None


def test_anything_about_a_subject_asks_the_article_of_the_conversation() -> None:
    assert asks_this_article("anything about prices?")
    assert not asks_this_article("how much did prices rise?")


def test_an_article_named_then_a_subject_within_it_is_that_subject_there(
    strike_and_match: Engine,
) -> None:
    """A tester's "summarise the wildfire article about the plants" was read as one topic."""
    gist = strike_and_match.gist("summarise the cup final story about the winning goal")
    assert gist is not None and gist.kind == "summary"
    assert [a.id for a in gist.articles] == ["match"] and gist.topic == "the winning goal"


def test_an_article_named_by_its_headline_words_is_that_article(
    strike_and_match: Engine,
) -> None:
    """ "whats the ahmed mohamed story" had got the article about a Mohamed Bacar."""
    gist = strike_and_match.gist("whats the cup final story")
    assert gist is not None and gist.kind == "summary" and gist.topic is None
    assert [a.id for a in gist.articles] == ["match"]


def test_an_account_is_of_the_article_most_of_its_best_sentences_are_from() -> None:
    """ "tell me about the anjouan invasion" had summarised another article: its one sentence
    on an "invasion" of Ukraine outranked each of the ten on Anjouan."""
    from index.loader import article_from_text
    from index.saved.building import build_corpus

    island = article_from_text(
        "island",
        "Troops land on the island",
        [
            "African Union troops landed on Anjouan at dawn. The rebel leader fled Anjouan.",
            "Fighting on Anjouan ended by noon, officials said. Anjouan's airport reopened.",
            "The rebel leader had seized power in 2001. Voters will go to the polls in June.",
        ],
    )
    war = article_from_text("war", "War news", ["Russia's invasion of Ukraine began in 2022."])
    fair = article_from_text(
        "fair",
        "A village fair",
        ["The fair opened on Sunday. Bakers sold bread and cakes.", "Children rode ponies."],
    )
    engine = Engine(build_corpus([war, island, fair]).corpus)

    gist = engine.gist_of("tell me about the anjouan invasion")

    assert gist is not None and gist.articles[0].id == "island"
