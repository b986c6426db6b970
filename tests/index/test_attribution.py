"""Whether an article reports someone's words (index/attribution.py): "what X said" needs X speaking."""

from __future__ import annotations

import pytest

from index.attribution import asked_speaker, asks_reaction, never_quoted, quoted_sentence


@pytest.mark.parametrize(
    ("topic", "speaker"),
    [
        ("what the south korea coach said", ("south", "korea", "coach")),
        ("what cam newton said after the game", ("cam", "newton")),
        ("what critics said about her", ("critics",)),
        ("the mayor's comments on the budget", ("mayor",)),
        ("mark ray's side of the story", ("mark", "ray")),
        ("what the boy's mother told police", ("boy", "mother")),
        ("comments from residents", ("residents",)),
    ],
)
def test_a_topic_asking_for_someones_words_names_the_speaker(
    topic: str, speaker: tuple[str, ...]
) -> None:
    assert asked_speaker(topic) == speaker


@pytest.mark.parametrize(
    "topic",
    ["how many people attended", "the halftime show", "the price", "how it reacts with water"],
)
def test_a_topic_asking_for_no_ones_words_names_no_speaker(topic: str) -> None:
    assert asked_speaker(topic) is None


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        (
            "Mayor Jörg Pietsch, who had argued for the closure, said he was happy.",
            "what the mayor said",
        ),
        (
            "Lizzi's mum, Mary Crawford, 57, said her efforts had been 'amazing'.",
            "what her mum said",
        ),
        ("'We played well,' said coach Annie McAuley.", "what the coach said"),
        ("According to the mayor, the road reopens in May.", "what the mayor said"),
        ("The mayor's spokesman declined to give a date.", "the mayor's comments"),
        ("The mayor has repeatedly warned against the plan.", "what the mayor thinks"),
        ("Policewoman: It is non-alcoholic, you can ask again.", "what the policewoman said"),
    ],
)
def test_the_speaker_of_a_reporting_verb_is_quoted(sentence: str, topic: str) -> None:
    speaker = asked_speaker(topic)

    assert speaker is not None and quoted_sentence([sentence], speaker) == sentence


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        (
            "Local MP Silje Brekke said she would ask the transport minister to explain it.",
            "what the transport minister said",
        ),
        (
            "A group of dive operators has asked the environment ministry to publish the data.",
            "what the environment ministry said",
        ),
        ("The student says Mr Ray's new leaf lasted a week.", "mark ray's side of the story"),
        ("'It's deep cleansing,' a nurse explains to blogger Carla Mickelborg.", "what carla said"),
        ("Shristi Shrestha is a new hope for Nepal in beauty pageants.", "what shrestha said"),
        ("A warning to the mayor: the road stays shut.", "what the mayor said"),
    ],
)
def test_someone_spoken_to_or_about_is_not_quoted(sentence: str, topic: str) -> None:
    speaker = asked_speaker(topic)

    assert speaker is not None and quoted_sentence([sentence], speaker) is None


def test_another_teams_coach_is_not_the_coach_asked_about() -> None:
    sentences = [
        "Kowhai Valley beat Riccarton 24-20 in the first round of the cup.",
        "'We stopped playing the occasion,' said coach Annie McAuley.",
    ]

    assert quoted_sentence(sentences, ("riccarton", "coach")) is None
    assert quoted_sentence(sentences, ("coach",)) == sentences[1]


def test_a_person_is_quoted_by_surname_after_the_full_name() -> None:
    sentences = [
        "Tiger Woods finished two under par on Friday.",
        "'I had a hard time getting the ball close to the hole,' said Woods.",
    ]

    assert quoted_sentence(sentences, ("tiger", "woods")) == sentences[1]


def test_a_role_is_quoted_by_the_name_the_article_gives_it() -> None:
    sentences = [
        "Speakers included Dr. Ahmed Darwish, the Egyptian Minister of State.",
        "According to Dr. Darwish, the conference has the government's full support.",
    ]

    assert quoted_sentence(sentences, ("egyptian", "minister")) == sentences[1]


def test_a_pronoun_speaks_for_the_person_named_just_before() -> None:
    sentences = [
        "The youngest sarpanch elected was Pooja Meena, 22, a law student.",
        "She said her priorities were a secondary school for girls and piped water.",
    ]

    assert quoted_sentence(sentences, ("youngest", "sarpanch")) == sentences[1]


def test_a_person_only_acted_on_is_not_quoted() -> None:
    sentences = [
        "Denver's defence sacked Cam Newton six times.",
        "Newton fumbled twice in the second half.",
        "Coach Gary Kubiak said the defence won the game.",
    ]

    assert quoted_sentence(sentences, ("cam", "newton")) is None


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        (
            "More than 320 firefighters were at work, said Thandeka Mokoena of the provincial "
            "fire service.",
            "what the fire service said",
        ),
        ("David Lat - a lawyer and legal commenter - suggests she was hacked.", "what lat said"),
        ("The Nobel committee cited her contribution to peace.", "what the nobel committee said"),
        ("Said the sharp-tongued Amsterdam (this author has met him):", "what amsterdam said"),
    ],
)
def test_more_ways_of_reporting_words_are_read(sentence: str, topic: str) -> None:
    speaker = asked_speaker(topic)

    assert speaker is not None and quoted_sentence([sentence], speaker) == sentence


def test_the_words_said_are_not_their_speaker() -> None:
    sentence = "Kensit appeared in the magazine and said the Duchess would be her inspiration."

    assert quoted_sentence([sentence], ("duchess",)) is None


@pytest.mark.parametrize(
    ("speaker", "pronoun_line", "quoted"),
    [
        (("addameer",), "On May 17 it tweeted:", False),
        (("ministry",), "On May 17 it tweeted:", True),
        (("ministry",), "'We will look into it,' she said.", False),
        (("mayor",), "'We will look into it,' she said.", True),
    ],
)
def test_a_pronoun_speaks_only_for_its_kind_of_speaker(
    speaker: tuple[str, ...], pronoun_line: str, quoted: bool
) -> None:
    opening = f"The {speaker[0].title()} faced questions on Monday."

    assert (quoted_sentence([opening, pronoun_line], speaker) is not None) == quoted


@pytest.mark.parametrize(
    ("topic", "speaker"),
    [
        ("how the syrian government responded", ("syrian", "government")),
        ("residents' reaction", ("residents",)),
        ("how did the union react to the ruling?", ("union",)),
        ("what was the mayor's reaction", ("mayor",)),
    ],
)
def test_a_topic_asking_for_a_reaction_names_who_reacted(
    topic: str, speaker: tuple[str, ...]
) -> None:
    assert asked_speaker(topic) == speaker and asks_reaction(topic)


@pytest.mark.parametrize(
    ("sentences", "topic", "never"),
    [
        (["The union rejected the offer on Monday."], "how the union reacted", False),
        (["Residents were furious about the closure."], "residents' reaction", False),
        (["The union rejected the offer on Monday."], "what the union said", True),
        (["The mayor opened the bridge on Monday."], "how the mayor reacted", True),
    ],
)
def test_a_reaction_is_words_deeds_or_a_feeling(
    sentences: list[str], topic: str, never: bool
) -> None:
    assert never_quoted(sentences, topic) is never


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        (
            "Human resources expert Paul Dundon warned of a jump in sick days.",
            "what the hr expert said",
        ),
        (
            "Cardinal George is quoted by Fox 32 responding to the letter.",
            "the cardinal's response",
        ),
    ],
)
def test_an_abbreviation_need_not_stand_in_the_sentence_and_a_quote_is_reported(
    sentence: str, topic: str
) -> None:
    assert not never_quoted([sentence], topic)
