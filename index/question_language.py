"""Whether a question is in English, so one in another language is told why it gets no answer.

The articles, the retrieval tokens and the reader are all English: a question
in Spanish or Korean shares no words with the articles and used to get "The
articles don't say.", which reads as if the bot had looked and found nothing.

py3langid (langid.py's naive Bayes over byte n-grams, 97 languages, the
model inside its wheel) decides, with two rules in front of it:

- more letters outside the Latin script than in it: not English (Korean,
  Chinese, Japanese, Russian, Arabic ... with a Latin name or two inside);
- a single word: not judged (``Kursk?``, ``Zelensky?``, ``drones`` are
  English questions that look like anything), so it goes on to the engine;
- two words of English's own frame (``ENGLISH_FRAME``: "what did … say", "how many …"):
  English, whatever the names around them ("what did rupiah banda say?" scored Malay).

Otherwise a question is not English when English's probability is below
``1 - NOT_ENGLISH_THRESHOLD`` of the likeliest language's. Names are the hard
part ("who is kristiina mägi" scores 0.93); the threshold is over every English
question measured. Figures: ``benchmarks/question_language.py`` and
docs/evaluation.md ("Question language"). An English question refused here
would be a bug worse than a foreign one let through, so the rule leans that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

NOT_ENGLISH_THRESHOLD = 0.97
# Words that frame a question in English and in no language the articles' readers are likely
# to write ("what did rupiah banda say?": the names scored Indonesian). Not "was", "is", "in",
# "will", "had", "die": German and Dutch write them too.
ENGLISH_FRAME = frozenset(
    """what who whom whose when where why how which did does didn't doesn't the about after
    before many much say said tell told were been they their there this that with from would
    could should""".split()
)
FRAME_WORDS = 2  # distinct frame words that make a question English
_LETTERS = re.compile(r"[^\W\d_]+")
_LATIN_END = 0x250  # Basic Latin through Latin Extended-B: "Médecins", "mägi", "Łódź"


@cache
def load_identifier() -> LanguageIdentifier:
    """Loaded once per process, on the first question (0.6 s; about 30 MB)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def not_english_score(text: str) -> float:
    """0 (English or cannot tell) to 1 (another language): what the threshold is set on."""
    by_rule = script_rule(text)
    return by_rule if by_rule is not None else langid_score(text)


def script_rule(text: str) -> float | None:
    """1 for mostly non-Latin letters, 0 for fewer than two words or an English frame, else
    None (ask the model)."""
    words = _LETTERS.findall(text)
    latin = sum(ord(ch) < _LATIN_END for word in words for ch in word)
    if latin * 2 < sum(map(len, words)):
        return 1.0
    frame = {w.lower() for w in words} & ENGLISH_FRAME
    return 0.0 if len(words) < 2 or len(frame) >= FRAME_WORDS else None


def langid_score(text: str) -> float:
    """1 - P(English) / P(the likeliest language), by py3langid."""
    ranked = load_identifier().rank(text)
    english = next(p for lang, p in ranked if lang == "en")
    return 1.0 - float(english / ranked[0][1])


def is_english(text: str, known: Callable[[str], bool] | None = None) -> bool:
    """Whether to read ``text`` as an English question (True unless clearly another language).

    ``known`` says whether the articles hold a (lower-case) word: such words are the articles'
    names and terms, no sign of the question's language ("who runs cobres del pacifico?"
    scored Spanish), so the rest of the question is judged without them."""
    if not_english_score(text) < NOT_ENGLISH_THRESHOLD:
        return True
    if known is None:
        return False
    rest = [w for w in _LETTERS.findall(text) if not known(w.lower())]
    return len(rest) >= 2 and not_english_score(" ".join(rest)) < NOT_ENGLISH_THRESHOLD
