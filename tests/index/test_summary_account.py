"""The summary answering "tell me about X" (index/summary_account.py): as long as the article's
summary; on its story, the topic summary filled from it; on a side of it, the passage that tells it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.evaluation import summaries as ev
from index.loader import article_from_text, load_file
from index.records import Article
from index.summarize import default_length, summarize
from index.summary_account import account, passage, set_out, summary_for
from index.summary_sentences import sentence_links
from index.summary_topics import unspoken
from tests.conftest import DATA
from tests.index.test_summary_topics import CHESS, GADGETS

ROOT = Path(__file__).resolve().parents[2]


def team_article(name: str) -> Article:
    return load_file(ROOT / "training" / "data" / "articles" / f"{name}.txt")


def cnndm_article(article_id: str) -> Article:
    pairs = ev.dataset_pairs(ev.read_examples(DATA / "cnndm-dev.jsonl"))
    return next(a for a, _ in pairs if a.id == article_id)


def test_an_account_of_the_articles_story_is_as_long_as_its_summary() -> None:
    article = cnndm_article("dm-test-5db0808085f7b1621f490b2bc4bf856aae310e6c")
    subject = "the teacher removed from class over her Obama remarks"

    topical = summarize(article, topic=subject)
    told = account(article, subject)

    assert len(topical.sentences) < default_length(len(article.sentences))  # one sentence
    assert len(told.sentences) == default_length(len(article.sentences))
    assert set(topical.sentences) <= set(told.sentences)
    assert told.topic == subject and told.found and not told.unsure


def test_an_account_reads_in_the_articles_order() -> None:
    article = cnndm_article("dm-test-5db0808085f7b1621f490b2bc4bf856aae310e6c")
    told = account(article, "the teacher removed from class over her Obama remarks")

    places = [article.sentences.index(s) for s in told.sentences]
    assert places == sorted(places)


def test_an_account_of_a_side_subject_is_the_passage_that_tells_it() -> None:
    article = team_article("gv-015")  # a blogger policing officials; one policewoman's beer
    subject = "the policewoman drinking beer in uniform"

    places = [s.position for s in account(article, subject).sentences]

    assert {7, 8, 9} <= set(places)  # "Why are you drinking beer in uniform?" and around it
    assert min(places) >= 3  # nothing of the opening on the officials' disregard for rules


def test_an_account_of_a_side_subject_keeps_the_topic_summarys_sentences() -> None:
    article = team_article("gv-015")
    subject = "the policewoman drinking beer in uniform"

    topical = summarize(article, topic=subject)

    assert set(topical.sentences) <= set(account(article, subject).sentences)


def test_a_passage_is_the_run_of_sentences_closest_to_the_subject() -> None:
    article = article_from_text(
        "ferry", "Ferry returns", [f"Sentence {n} of the story." for n in range(8)]
    )
    closeness = np.array([0.9, 0.1, 0.1, 0.5, 0.6, 0.5, 0.1, 0.1])

    assert passage(article, closeness) == [3, 4, 5]  # three together outweigh one alone


def test_a_passage_brings_the_sentence_its_opening_leans_on() -> None:
    article = article_from_text(
        "mayor",
        "Bridge reopens",
        [
            "The bridge over the Lune reopened on Monday after two years.",
            "Mayor Ann Cole cut the ribbon at noon.",
            "She said the town had waited long enough.",
            "Traffic was light in the afternoon.",
            "Buses return to the route next week.",
        ],
    )
    closeness = np.array([0.1, 0.2, 0.7, 0.6, 0.6])

    assert passage(article, closeness) == [1, 2, 3, 4]  # "She" is the mayor


def test_an_account_of_a_subject_the_article_may_not_cover_keeps_its_doubt() -> None:
    article = article_from_text(
        "storm",
        "Storm hits Braga",
        [
            "A storm crossed northern Portugal on Sunday night, the weather service said.",
            "The storm tore the roofs off 200 houses in the town of Braga.",
            "Braga's football club postponed its league match against Porto until April.",
        ],
    )
    told = account(article, "what Porto's coach said")

    assert told.unsure and len(told.sentences) <= 2


def test_without_the_embedding_model_an_account_is_the_topic_summary(tmp_path: Path) -> None:
    article = cnndm_article("dm-test-5db0808085f7b1621f490b2bc4bf856aae310e6c")
    subject = "the teacher removed from class over her Obama remarks"

    told = account(article, subject, model_dir=tmp_path)

    assert told == summarize(article, topic=subject, model_dir=tmp_path)


def test_a_typed_topic_is_shown_as_its_account() -> None:
    article = team_article("gv-015")
    topic = "the policewoman drinking beer in uniform"

    assert summary_for(article, topic) == account(article, topic)
    assert summary_for(article, f"  {topic} ") == account(article, topic)


def test_a_blank_topic_is_no_topic() -> None:
    article = team_article("gv-015")

    assert summary_for(article, "   ") == summarize(article)


def test_a_length_asked_for_keeps_the_topic_summary() -> None:
    article = cnndm_article("dm-test-5db0808085f7b1621f490b2bc4bf856aae310e6c")
    topic = "the teacher removed from class over her Obama remarks"

    assert summary_for(article, topic, sentences=1) == summarize(article, 1, topic)


def test_without_a_topic_the_summary_is_the_articles() -> None:
    article = team_article("gv-015")

    assert summary_for(article) == summarize(article)


def test_summary_on_the_prices_holds_the_amounts_however_worded() -> None:
    article = article_from_text("ces", "Gadgets at the fair", GADGETS)

    texts = " ".join(s.text for s in summary_for(article, "the prices").sentences)

    assert sum(amount in texts for amount in ("$799", "$1,999", "$2,499")) >= 2


def test_summary_on_previous_cheating_cases_finds_the_earlier_cases() -> None:
    article = article_from_text("chess", "Chess row", CHESS)

    summary = summary_for(article, "previous cheating cases")

    assert summary.found and any("when he was 12" in s.text for s in summary.sentences)


FIRE = [
    "A wildfire burned 400 hectares of the Kogelberg reserve on Sunday, officials said.",
    "Charlotte Heald grew up in the nearby town of Betty's Bay and joined the university in 2004.",
    "Firefighters from three towns fought the blaze through the night.",
    "Two firefighters were treated for smoke inhalation at a local clinic.",
    "Water bombers from Cape Town joined the effort on Monday morning.",
    "The fire was contained by Monday evening, the fire chief said.",
    "Heald said the fynbos would recover within a decade if the rains come.",
    "Heald warned that four rare species grow nowhere else in the world.",
    "Heald asked visitors to keep out of the burned areas until spring.",
    "The reserve will reopen to hikers next month.",
    "Officials are still investigating the cause of the fire.",
    "A discarded cigarette is suspected, according to police.",
]


def test_an_account_introduces_a_person_it_names_by_surname_alone() -> None:
    article = article_from_text("fire", "Wildfire in the Kogelberg reserve", FIRE)

    places = [s.position for s in account(article, "whether the fynbos will recover").sentences]

    assert 6 in places  # "Heald said the fynbos would recover …"
    assert 1 in places  # "Charlotte Heald grew up …": who Heald is


def test_a_passage_opening_on_a_quotation_brings_the_sentence_naming_its_speaker() -> None:
    article = article_from_text(
        "mayor",
        "Bridge reopens",
        [
            "The bridge over the Lune reopened on Monday after two years.",
            "Mayor Ann Cole spoke at the ceremony.",
            '"It has been a long wait for everyone in this town.',
            'We are proud of the builders."',
            "Traffic was light in the afternoon.",
            "Buses return to the route next week.",
        ],
    )
    closeness = np.array([0.1, 0.2, 0.7, 0.6, 0.5, 0.1])

    assert passage(article, closeness) == [1, 2, 3, 4]  # whose words they are


def test_a_passage_leaves_out_a_photo_caption() -> None:
    article = article_from_text(
        "fair",
        "Fair",
        [
            "The fair opened on Friday with 200 stalls.",
            "Visitors queue at the gate on Friday morning (above)",
            "Organisers expect 40,000 visitors over the weekend.",
            "Tickets cost 12 pounds at the gate.",
            "Parking is free at the showground.",
        ],
    )
    closeness = np.array([0.1, 0.9, 0.6, 0.6, 0.0])

    assert 1 not in passage(article, closeness)


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("inv5-09", "the teachers"),
        ("inv2-19", "what the workers said"),
        ("gv-011", "the sms charges"),
    ],
)
def test_no_sentence_of_an_account_leans_on_one_it_leaves_out(name: str, topic: str) -> None:
    article = team_article(name)
    back, _ = sentence_links(article)

    held = {s.position for s in account(article, topic).sentences}

    leaning = [i for i in held if back[i] or unspoken(article.sentences[i].text)]
    assert all(i - 1 in held for i in leaning)  # "She said …", a quotation, with who said it


def test_an_account_of_what_the_headline_names_opens_with_the_summary_paragraph_on_it() -> None:
    """A tester's "tell me about kowhai valley" never said the club won: only the summary
    paragraph does ("… won the Heartland Shield …")."""
    article = team_article("inv4-05")

    told = account(article, "kowhai valley")

    assert told.sentences[0].position < 0 and "won the Heartland Shield" in told.sentences[0].text
    assert all(s.position >= 0 for s in told.sentences[1:])


def test_an_account_of_a_side_subject_keeps_to_the_body() -> None:
    article = team_article("inv4-05")

    told = account(article, "the convoy of cars from the valley hall")

    assert told.sentences and all(s.position >= 0 for s in told.sentences)


def test_a_passage_takes_the_line_introducing_a_quotation_set_out_below_it() -> None:
    """Packet 03's judges: the topic summary on "criticism of the United States" said that there
    was criticism, never what it was (a blogger's words, set out below "… wrote on her blog:")."""
    article = article_from_text(
        "missiles",
        "Missile tests",
        [
            "India tested a missile in April, and Pakistan tested one a week later.",
            "Bloggers in Pakistan criticised the response of the United States.",
            'Calling it "double standards", Ali Khan, a professor in Lahore, wrote on her blog:',
            "The United States backs India as a counterweight to China.",
            "Other bloggers saw no arms race in the tests.",
        ],
    )
    closeness = np.array([0.1, 0.5, 0.2, 0.3, 0.2])

    assert passage(article, closeness) == [1, 2, 3]  # the criticism, who made it, and what it is


def test_an_account_gives_the_sentence_a_caption_run_ends_on_before_one_leaning_on_it() -> None:
    """Round seventeen's judges read "In 2013 they suspended volcanic ash …" as the work of the
    scientists named before it: "they" were named in a caption run left out."""
    article = cnndm_article("dm-test-d75a950d495bad51ac7c8657871328b8732f44c7")

    told = account(article, "why lightning forms in the ash cloud").sentences

    leaning = next(i for i, s in enumerate(told) if s.text.startswith("In 2013 they"))
    assert told[leaning - 1].text.startswith("Getting close enough to an erupting volcano")
    assert told[leaning - 1].position == told[leaning].position - 1  # cited to the run itself


BLOG = [
    "India tested a missile in April, and Pakistan tested one a week later.",
    "Bloggers in Pakistan criticised the response of the United States.",
    'Calling it "double standards", Ali Khan, a professor in Lahore, wrote on her blog:',
    "The United States backs India as a counterweight to China. Some excerpts:",
    "The tests were widely covered.",
]


def test_a_line_naming_whose_words_follow_introduces_the_quotation_set_out_below_it() -> None:
    article = article_from_text("missiles", "Missile tests", BLOG)

    assert set_out(article) == {2: [3, 4]}  # "Some excerpts:" names no one, ends its paragraph


def test_an_account_shows_a_quotation_set_out_below_its_line_in_quotation_marks() -> None:
    """Round eighteen's judges read a blogger's words, set out with no marks, as the article's."""
    article = team_article("gv-007")

    told = account(article, "criticism of the United States")

    shown = [told.shown(s) for s in told.sentences]
    line = next(n for n, s in enumerate(told.sentences) if "Yasmeen Ali" in s.text)
    assert shown[line].endswith("blog:") and shown[line + 1].startswith("“The need here")
    assert any("genie out of the bottle" in text for text in shown)  # the criticism itself


def test_a_quotation_set_out_below_he_wrote_comes_with_the_sentence_naming_him() -> None:
    article = team_article("gv-007")

    held = [s.position for s in account(article, "the missile tests").sentences]

    assert {18, 19, 20} <= set(held)  # "… Scott Baldauf referred to …", "He wrote:", his words
