"""Reading a follow-up with the previous turn (index/followup.py): follow-up, stands alone, or
another subject; what the reader reads, what is searched with it, and what the person is shown."""

from __future__ import annotations

import pytest

from index import Previous, build_corpus, read_in_context
from index.corpus import Corpus
from index.followup import MAX_CARRIED, named_next, next_subject, previous_subject
from index.loader import article_from_text
from index.tokenize import default_tokenizer

TROOPS = "how many troops were sent to Russia?"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    troops = article_from_text(
        "troops",
        "Troops sent to Russia",
        [
            "North Korea sent 3,000 troops to Russia in January. Kim Jong Un displayed new drones.",
            "Many soldiers died in the Kursk region, officials said on Monday.",
        ],
    )
    lighthouse = article_from_text(
        "lighthouse",
        "Harbor lighthouse reopens",
        [
            "The lighthouse restoration cost 4.2 million dollars. Mayor Helen Ortiz opened it.",
            "The keepers train every spring on the harbor wall.",
        ],
    )
    return build_corpus([troops, lighthouse]).corpus


def read(corpus: Corpus, text: str, previous: Previous | None):  # type: ignore[no-untyped-def]
    return read_in_context(corpus, default_tokenizer(), text, previous)


def test_a_follow_up_stays_with_the_article_and_carries_the_subject(corpus: Corpus) -> None:
    reading = read(corpus, "and how many died?", Previous(TROOPS, "troops"))
    assert reading.article_id == "troops"
    # The reader reads the carried words too: without them it misreads bare follow-ups.
    assert reading.read_as == reading.text == "how many died (troops were sent to Russia)?"
    assert reading.context == "troops were sent to Russia"


def test_words_carried_before_are_carried_again_without_nesting(corpus: Corpus) -> None:
    shown = "how many died (troops were sent to Russia)?"
    reading = read(corpus, "and who said so?", Previous(shown, "troops"))
    assert reading.read_as is not None and reading.read_as.count("(") == 1
    assert "Russia" in reading.context and "died" in reading.context


def test_of_the_words_carried_before_only_the_names_are_carried_again(corpus: Corpus) -> None:
    shown = "how many died (Kim Jong Un displayed new drones)?"
    reading = read(corpus, "and where?", Previous(shown, "troops"))
    assert reading.context == "died Kim Jong Un"  # the running subject, not every earlier word
    assert reading.plain == "where?"  # the line without them, should the reader need it


def test_the_carried_words_are_bounded(corpus: Corpus) -> None:
    long = "why did " + " ".join(["North Korean troops sent to Russia"] * 5) + "?"
    reading = read(corpus, "and how many died?", Previous(long, "troops"))
    assert len(reading.context.split()) <= MAX_CARRIED


def test_a_bare_question_word_asks_the_previous_question_again(corpus: Corpus) -> None:
    previous = Previous("how did the soldiers die?", "troops")
    assert read(corpus, "when?", previous).text == "when did the soldiers die?"


def test_a_bare_question_word_keeps_the_subject_the_previous_question_carried(
    corpus: Corpus,
) -> None:
    """A tester's "why?" after "who did it (happened to the scientology website)?" was read as
    "why did it?", with no word to search."""
    previous = Previous("who did it (troops sent to Russia)?", "troops")
    assert read(corpus, "why?", previous).text == "why did it (troops sent to Russia)?"


def test_a_question_word_typed_without_its_apostrophe_reads_the_topic_too(corpus: Corpus) -> None:
    """A tester's "whats his name" after "tell me about the kyrgyz blogger" was searched alone."""
    previous = Previous("", "troops", topic="the drone inspection")
    assert read(corpus, "whats his name", previous).text == "whats his name (the drone inspection)?"


def test_a_pronoun_after_a_topic_summary_stands_for_its_topic(corpus: Corpus) -> None:
    """A tester's "when was it" after "tell me about the south american summit" got a summary."""
    previous = Previous("", "troops", topic="the drone inspection")
    reading = read(corpus, "when was it?", previous)
    assert reading.text == reading.read_as == "when was it (the drone inspection)?"
    assert reading.article_id == "troops"


def test_a_pronoun_after_who_stands_for_the_person_answered(corpus: Corpus) -> None:
    previous = Previous("who displayed new drones?", "troops", "Kim Jong Un")
    reading = read(corpus, "what did he say?", previous)
    # A natural question for the reader; the previous question is searched, never read.
    assert reading.text == reading.read_as == "what did Kim Jong Un say?"
    assert reading.context == "displayed new drones"


def test_a_pronoun_the_previous_question_held_is_not_the_person_answered(
    corpus: Corpus,
) -> None:
    previous = Previous("who met him at the harbor?", "lighthouse", "Helen Ortiz")
    assert "Ortiz" not in read(corpus, "where is he going?", previous).text


def test_a_bare_question_word_after_who_asks_when_that_happened(corpus: Corpus) -> None:
    previous = Previous("who displayed new drones?", "troops", "Kim Jong Un")
    reading = read(corpus, "when?", previous)
    assert reading.text == "when was it that Kim Jong Un displayed new drones?"


# -- relative in time to the previous answer ------------------------------------------------


def test_after_that_asks_the_previous_question_at_the_next_moment(corpus: Corpus) -> None:
    previous = Previous("which region did the troops reach first?", "troops", "Kursk")
    reading = read(corpus, "and after that?", previous)
    assert (reading.text, reading.article_id) == (
        "which region did the troops reach after Kursk?",
        "troops",
    )
    assert reading.read_as == reading.text


def test_what_happened_next_names_the_event_just_answered(corpus: Corpus) -> None:
    previous = Previous("who displayed new drones?", "troops", "Kim Jong Un")
    reading = read(corpus, "what happened next?", previous)
    assert reading.text == "what happened after Kim Jong Un displayed new drones?"


@pytest.mark.parametrize("relation", ["after that", "before that", "later", "earlier"])
def test_a_relation_in_time_with_its_own_words_stays_in_the_article(
    corpus: Corpus, relation: str
) -> None:
    previous = Previous("when were troops sent to Russia?", "troops", "January")
    reading = read(corpus, f"and how many soldiers died {relation}?", previous)
    assert reading.article_id == "troops"
    assert "Russia" in reading.context  # searched with it, never read
    assert "(" not in reading.text


def test_that_moment_is_named_when_it_is_a_moment(corpus: Corpus) -> None:
    previous = Previous("when were troops sent to Russia?", "troops", "January")
    reading = read(corpus, "and how many died after that?", previous)
    assert reading.text == "how many died after January?"


def test_a_count_is_no_moment_to_name(corpus: Corpus) -> None:
    previous = Previous(TROOPS, "troops", "3,000")
    reading = read(corpus, "and how many soldiers before that?", previous)
    assert reading.text == "how many soldiers before that?"
    assert reading.read_as == "how many soldiers before that (troops were sent to Russia)?"


def test_a_question_with_its_own_subject_stands_alone_in_the_article_holding_its_words(
    corpus: Corpus,
) -> None:
    # After the Chilean fire, "how many homes were destroyed?" had got the Peruvian quake's.
    reading = read(
        corpus, "which region did North Korean soldiers die in?", Previous(TROOPS, "troops")
    )
    assert (reading.text, reading.article_id, reading.read_as) == (
        "which region did North Korean soldiers die in?",
        "troops",
        None,
    )


def test_two_words_of_its_own_that_the_previous_question_lacked_stand_alone(
    corpus: Corpus,
) -> None:
    previous = Previous(TROOPS, "troops")

    alone = read(corpus, "which drones were displayed?", previous)
    assert (alone.text, alone.read_as) == ("which drones were displayed?", None)
    follow = read(corpus, "how many died?", previous)  # one word of its own: a follow-up
    assert follow.read_as is not None and "troops" in follow.read_as


def test_a_whole_question_with_few_words_of_its_own_is_read_as_typed_in_the_same_article(
    corpus: Corpus,
) -> None:
    previous = Previous("how much did the lighthouse restoration cost?", "lighthouse")
    reading = read(corpus, "who opened the lighthouse?", previous)
    # Read with the words before ("who opened the lighthouse (restoration cost)?"), it was
    # another question; they are searched only, in the article the conversation is about.
    assert (reading.text, reading.read_as, reading.article_id) == (
        "who opened the lighthouse?",
        None,
        "lighthouse",
    )
    assert "restoration" in reading.context


def test_a_fragment_of_a_question_is_read_with_the_question_before(corpus: Corpus) -> None:
    reading = read(corpus, "in which region?", Previous("how many soldiers died?", "troops"))
    assert reading.read_as is not None and "soldiers" in reading.read_as


def test_the_names_a_whole_question_was_searched_with_are_remembered(corpus: Corpus) -> None:
    previous = Previous("when did Kim Jong Un display drones?", "troops")
    reading = read(corpus, "where were the drones displayed?", previous)
    assert reading.read_as is None  # shown as typed ...
    # ... and kept with its running subject, for "he" a turn later.
    assert reading.remembered == "where were the drones displayed (Kim Jong Un)?"


def test_a_thing_asked_which_of_that_the_conversation_lacked_stands_alone(
    corpus: Corpus,
) -> None:
    previous = Previous(TROOPS, "troops")
    tokenizer = default_tokenizer()

    reading = read_in_context(corpus, tokenizer, "what drones were shown?", previous, {"shown"})
    assert (reading.text, reading.read_as) == ("what drones were shown?", None)
    follow = read_in_context(corpus, tokenizer, "how many died?", previous, {"died"})
    assert follow.read_as is not None  # a verb after "how many": the conversation's subject


# -- another subject: afresh, never trapped in one article -----------------------------------


def test_another_articles_subject_starts_afresh_even_after_and(corpus: Corpus) -> None:
    reading = read(corpus, "and what did the lighthouse cost?", Previous(TROOPS, "troops"))
    assert reading.article_id is None and reading.read_as is None


@pytest.mark.parametrize("line", ["when did ortiz open it?", "and what did Ortiz say about them?"])
def test_a_name_of_another_article_starts_afresh_even_in_lower_case_with_a_pronoun(
    corpus: Corpus, line: str
) -> None:
    reading = read(corpus, line, Previous(TROOPS, "troops"))
    assert (reading.text, reading.article_id, reading.read_as) == (line, None, None)


def test_a_pronoun_keeps_a_line_the_article_has_no_word_for_in_the_conversation(
    corpus: Corpus,
) -> None:
    reading = read(corpus, "where do they train?", Previous(TROOPS, "troops"))
    assert reading.article_id == "troops"  # "they" are the troops; "train" is not a subject


def test_without_a_previous_turn_the_question_is_read_as_asked(corpus: Corpus) -> None:
    reading = read(corpus, "when?", None)
    assert (reading.text, reading.article_id, reading.read_as) == ("when?", None, None)


def test_an_article_no_longer_indexed_is_not_searched(corpus: Corpus) -> None:
    reading = read(corpus, "and how many died?", Previous(TROOPS, "removed-article"))
    assert reading.article_id is None and reading.read_as is not None


def test_a_word_in_no_article_and_no_dictionary_is_a_subject_of_the_lines_own(
    corpus: Corpus,
) -> None:
    english = frozenset({"officials", "said", "say", "spokesman"})
    line = "what did the ntsb officials say"  # "ntsb", typed in lower case, names someone
    previous = Previous(TROOPS, "troops")
    assert read_in_context(corpus, default_tokenizer(), line, previous, english).read_as is None
    # A word of the dictionary the articles lack is no name: the line still follows up.
    line = "what did the spokesman say"
    assert read_in_context(corpus, default_tokenizer(), line, previous, english).read_as is not None


def test_a_word_of_the_line_that_no_article_holds_is_not_carried_back_into_it(
    corpus: Corpus,
) -> None:
    line = "how many troops were dispatched to russia?"  # "dispatched": English, in no article
    previous = Previous("how many troops were dispatched to russia?", "troops")
    english = frozenset({"dispatch", "dispatched"})

    reading = read_in_context(corpus, default_tokenizer(), line, previous, english)

    assert "dispatched" not in reading.context
    assert reading.text.count("dispatched") == 1


def test_the_previous_questions_subject_is_what_it_asked_about(corpus: Corpus) -> None:
    tokenizer = default_tokenizer()
    assert previous_subject(corpus, tokenizer, Previous(TROOPS, "troops")) == (
        "troops were sent to Russia"
    )
    assert previous_subject(corpus, tokenizer, Previous("", "troops")) is None  # a summary
    assert previous_subject(corpus, tokenizer, Previous(TROOPS, "gone")) is None


@pytest.mark.parametrize(
    ("line", "subject"),
    [("and the drones?", "the drones"), ("what about the keepers", "the keepers")],
)
def test_and_a_subject_after_a_summary_names_the_next_subject(
    corpus: Corpus, line: str, subject: str
) -> None:
    assert next_subject(corpus, line, Previous("", "troops")) == subject


@pytest.mark.parametrize("line", ["and how many died?", "and did he go?", "the drones", "and?"])
def test_a_question_or_a_line_without_a_lead_names_no_next_subject(
    corpus: Corpus, line: str
) -> None:
    assert next_subject(corpus, line, Previous("", "troops")) is None


def test_after_a_question_and_a_subject_is_its_follow_up_not_a_next_subject(
    corpus: Corpus,
) -> None:
    assert next_subject(corpus, "and the drones?", Previous(TROOPS, "troops")) is None


def test_a_word_only_a_headline_uses_names_that_articles_subject() -> None:
    headline_only = build_corpus(
        [
            article_from_text("blog", "A blogger polices officials", ["He filmed a minister."]),
            article_from_text("port", "Port reopens", ["Lorries queued for a day."]),
        ]
    ).corpus
    line = "what about the blogger?"
    reading = read(headline_only, line, Previous("how long did lorries queue?", "port", "a day"))
    assert reading.read_as is None and reading.article_id is None


@pytest.mark.parametrize(
    ("line", "subject"),
    [("what about the blogger?", "the blogger"), ("and the strike", "the strike")],
)
def test_what_about_a_subject_names_it(line: str, subject: str) -> None:
    assert named_next(line) == subject


@pytest.mark.parametrize(
    "line", ["what about the Delaware family, what made them sick?", "the strike", "and when?"]
)
def test_what_about_with_a_question_inside_or_no_lead_names_nothing(line: str) -> None:
    assert named_next(line) is None


@pytest.mark.parametrize("line", ["and the drones?", "what about the drones?"])
def test_a_thing_named_after_a_question_is_asked_about_not_swapped_in(
    corpus: Corpus, line: str
) -> None:
    reading = read(corpus, line, Previous("how many troops were sent to Russia?", "troops"))

    assert reading.read_as is None and named_next(line) == "the drones"  # an account of them


@pytest.mark.parametrize(
    ("previous", "line", "read_as"),
    [
        (
            "how many troops were sent in January?",
            "and in March?",
            "how many troops were sent in March?",
        ),
        (
            "how much did the restoration cost?",
            "and in dollars?",
            "how much did the restoration cost in dollars?",
        ),
        ("when did she open it?", "and the keepers?", "when did the keepers open it?"),
        ("when did Ortiz open it?", "what about the keepers?", "when did the keepers open it?"),
    ],
)
def test_and_another_subject_asks_the_previous_question_of_it(
    corpus: Corpus, previous: str, line: str, read_as: str
) -> None:
    article = "troops" if "troops" in previous else "lighthouse"
    assert read(corpus, line, Previous(previous, article)).read_as == read_as


@pytest.mark.parametrize(
    ("line", "read_as"),
    [
        ("and until then?", "until then (troops were sent in January)?"),  # a moment
        ("and how many died?", "how many died (troops were sent in January)?"),  # its own question
    ],
)
def test_a_moment_or_a_question_of_its_own_is_no_other_subject(
    corpus: Corpus, line: str, read_as: str
) -> None:
    reading = read(corpus, line, Previous("how many troops were sent in January?", "troops"))
    assert reading.read_as == read_as


def test_the_next_of_a_thing_is_no_moment_after_the_answer(corpus: Corpus) -> None:
    reading = read(corpus, "when is the next drone test", Previous(TROOPS, "troops", "3,000"))
    assert reading.read_as is None


def test_what_happened_next_stays_with_the_conversations_article() -> None:
    final = article_from_text("final", "Broncos win", ["The Broncos won the final 24-10."])
    storm = article_from_text("storm", "Storm", ["Nobody knows what happened to the boat."])
    corpus = build_corpus([final, storm]).corpus
    previous = Previous("who won the final?", "final", "The Broncos")
    assert read(corpus, "what happened next?", previous).article_id == "final"


@pytest.mark.parametrize("before", ["how much did the restoration cost?", TROOPS])
def test_what_about_someone_then_a_question_asks_that_question_of_them(
    corpus: Corpus, before: str
) -> None:
    line = "what about mayor ortiz, what did she say?"  # in this article or another
    reading = read(corpus, line, Previous(before, "lighthouse" if "cost" in before else "troops"))
    assert reading.read_as == reading.text == "what did mayor ortiz say?"


def test_a_quotation_asked_about_is_its_own_subject_not_the_conversations(corpus: Corpus) -> None:
    line = '"new drones" who displayed that?'
    reading = read(corpus, line, Previous("how much did it cost?", "lighthouse"))
    assert reading.article_id is None and reading.text == 'who displayed "new drones"?'


def test_a_bare_question_word_keeps_the_carried_words_its_pointer_stands_for(
    corpus: Corpus,
) -> None:
    previous = Previous("where did that happen (soldiers died)?", "troops", "Kursk region")
    assert read(corpus, "when?", previous).text == "when did that happen (soldiers died)?"


def test_another_form_of_a_name_the_article_holds_is_no_other_subject() -> None:
    site = article_from_text("site", "Russia: a site", ["In Russia, a website maps potholes."])
    war = article_from_text("war", "War", ["The Russian army moved west. Kim praised it."])
    corpus = build_corpus([site, war]).corpus
    reading = read(corpus, "is it russian?", Previous("what does the website map?", "site"))
    assert reading.article_id == "site"
