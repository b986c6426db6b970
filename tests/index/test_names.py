"""Names in a question (index/names.py): an answer must come from an article naming what was
asked about, when some article does."""

from __future__ import annotations

import pytest

from index import build_corpus
from index.corpus import Corpus
from index.engine import Engine
from index.loader import article_from_text
from index.names import name_stems, names_elsewhere
from index.tokenize import default_tokenizer

TOKENIZER = default_tokenizer()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    app = article_from_text(
        "kobowave",
        "Kobowave fined over data leak",
        [
            "The regulator fined the app maker Kobowave 800,000 dollars on Monday over a data "
            "leak; a Chilean fund holds a stake in it.",
            "Tunde Adeyemi-Cole, the chief executive of Kobowave, said the company would appeal.",
        ],
    )
    smelter = article_from_text(
        "smelter",
        "Chile shuts copper smelter after gas leak",
        [
            "Regulators in Chile shut the Punta Colorada smelter, owned by Cobres del Pacífico, "
            "after a gas leak sent 63 people to clinics.",
            "The company said the leak was small and that it would appeal.",
        ],
    )
    return build_corpus([app, smelter]).corpus


def tokens(question: str) -> set[str]:
    return set(TOKENIZER.tokens(question))


def test_names_are_the_words_the_articles_only_write_capitalised(corpus: Corpus) -> None:
    names = name_stems(corpus, TOKENIZER)
    assert tokens("Kobowave Cobres Pacífico Monday Chile Chilean") <= names
    assert not names & tokens("the regulator said the company leak")  # written in lower case
    assert not names & tokens("Tunde")  # only ever opening a sentence


def test_an_article_without_the_questions_names_answers_about_something_else(
    corpus: Corpus,
) -> None:
    asked = tokens("who is the ceo of cobres del pacifico")
    assert names_elsewhere(corpus, TOKENIZER, asked, "kobowave")
    assert not names_elsewhere(corpus, TOKENIZER, asked, "smelter")


def test_a_question_without_names_never_points_elsewhere(corpus: Corpus) -> None:
    assert not names_elsewhere(corpus, TOKENIZER, tokens("who is the chief executive"), "smelter")


def test_a_name_an_article_holds_in_a_longer_or_shorter_form_is_held(corpus: Corpus) -> None:
    # "the Chilean regulators" asks about what an article on Chile says, though only another
    # article writes "Chilean".
    asked = tokens("what did the chilean regulators shut")
    assert not names_elsewhere(corpus, TOKENIZER, asked, "smelter")


def test_the_engine_refuses_an_answer_from_an_article_not_naming_what_was_asked(
    corpus: Corpus,
) -> None:
    # Without the check: "Tunde Adeyemi-Cole", Kobowave's chief executive.
    answer = Engine(corpus).ask("who is the chief executive of cobres del pacifico?")
    assert not answer.found


def test_a_question_naming_the_articles_foreign_names_is_read_as_english(corpus: Corpus) -> None:
    # Judged whole, "who runs cobres del pacifico?" scored Spanish and was refused.
    assert Engine(corpus).check("who runs cobres del pacifico?") == "who runs cobres del pacifico?"
