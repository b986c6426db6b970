"""How a body sentence reads out of its place, for the summariser.

Whether it is a photo caption left in the text (:func:`caption_factors`), reads
right alone (:func:`self_contained`), names someone the summary never introduced
(:func:`unintroduced_names`), and which sentences must come with it: the ones it
leans on and the rest of a quotation it opens (:func:`sentence_links`, :func:`unit_of`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from index.cohesion import SINGLE_QUOTE_SPAN, leans_on, quote_open_after, single_quote_state
from index.question_language import is_english
from index.records import Article, Sentence
from index.summary_settings import DEFAULT_SETTINGS, FloatArray, SummarizerSettings
from index.tokenize import STOP_WORDS

# A photo caption left in the text: no full stop at its end (a caption, or a line that
# introduces what follows, "…wrote on his blog:"), or two clauses glued where a full
# stop was lost ("…left on the road One of the victims…", "…in Mexico The 12,400 feet…").
_ENDS = re.compile(r"[.!?…][\"'’”)\]]*$")
# A lower-case word, then a capitalised word that opens sentences (a pronoun, determiner,
# conjunction or preposition; no name or noun) and a lower-case one: a caption run into the
# next sentence ("… ahead of a second TV debate tonight When questioned on the issue …").
# The openers past "Pictured" were added after round nine's judges found such captions
# ("When", "For", "As", "Some"); on the 118 development articles they flag 11 more sentences,
# each a caption run into text.
_GLUED = re.compile(
    r"[a-z)'’]\s+(?:The|A|An|One|Two|It|He|She|They|His|Her|In|This|Another|But|Pictured"
    r"|When|While|After|Before|As|If|Although|Because|Since|However|Meanwhile|Now|Yesterday"
    r"|Today|Last|Some|Many|Most|Several|We|You|Our|Their|Its|These|Those|There|What|Why"
    r"|How|Where|Who|For|At|On|With|From|And|So|Despite|During)\s+[a-z0-9]"
)
# A caption's label: up to three words and a colon before a capitalised word ("Guilty: Glenn
# Mason, 56, …", "Sleepy kid: Brock …"); not "The report concluded: 'the …'".
_CAPTION_LABEL = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2}:\s+[A-Z]")
_STRAY = re.compile(r"^[^\w\"'“‘(]")  # a line opening on punctuation (": In a CNN exclusive, …")
# Where a photo stands, in brackets ("Mr Cervantes (shown above) spent …"), in a run of this
# many words or more: a caption run into the text around it, its stops lost (a judge of round
# sixteen read one in a topic summary as garbled). Shorter, it is a sentence naming a picture.
_PHOTO_PLACE = re.compile(
    r"\((?:shown|pictured|seen|left|right|above|below|top|bottom|centre|center|inset)\b[^)]*\)",
    re.IGNORECASE,
)
PHOTO_RUN_WORDS = 35


def caption_factors(
    body: Sequence[Sentence], settings: SummarizerSettings = DEFAULT_SETTINGS
) -> FloatArray:
    """``caption_factor`` for sentences that read as photo captions, else 1.

    CNN/DailyMail text keeps its picture captions, often glued to the next
    sentence; blind judges marked such picks as garbled (docs/evaluation.md).
    The signs are the page's, not a story's: no full stop at the end, or a
    lower-case word followed by a capitalised sentence opener. A sentence in another language
    than English (a quotation a blog left untranslated) counts as ``label_factor``: a tester's
    summary quoted one in Spanish.
    """
    unfinished = [not _ENDS.search(s.text.strip()) for s in body]
    labels = [bool(_CAPTION_LABEL.match(s.text.strip())) for s in body]
    captions = [
        end or label or bool(_GLUED.search(s.text) or _STRAY.match(s.text)) or _photo_run(s.text)
        for end, label, s in zip(unfinished, labels, body, strict=True)
    ]
    # "Guilty: Glenn Mason, 56, has said …" with no full stop: a caption under its label for sure;
    # a quotation left in its own language ("La nueva inyección …") is read by no one here.
    labelled = [
        (end and label) or not _in_english(s.text)
        for end, label, s in zip(unfinished, labels, body, strict=True)
    ]
    factors: FloatArray = np.where(captions, settings.caption_factor, 1.0)
    return np.where(labelled, settings.label_factor, factors)


def _photo_run(text: str) -> bool:
    return len(text.split()) >= PHOTO_RUN_WORDS and _PHOTO_PLACE.search(text) is not None


# A lost full stop inside a caption run: a lower-case word that is no stop word, then a
# capitalised one followed by a lower-case one ("… images of the Colima volcano Getting close
# enough …"); the capitalised word is a sentence's opener where the article capitalises it
# nowhere else (not a name, "… of the Colima volcano").
_LOST_STOP = re.compile(r"(?<![\w'’-])([a-z][a-z'’-]*)\s+([A-Z][a-z]+)\s+(?=[a-z])")
_MID_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
# The fewest words of a run's last sentence worth giving back.
TAIL_WORDS = 8


def caption_tail(sentence: Sentence, article: Sequence[str]) -> Sentence | None:
    """The sentence a caption run ends on, where its full stop was lost: "… Mr Cervantes
    (shown above) spent eight hours … of the Colima volcano Getting close enough to an erupting
    volcano is dangerous, so scientists at the Ludwig Maximilian University of Munich recreated
    volcanic lightning in a lab." gives "Getting close … in a lab.", which the next sentence
    ("In 2013 they suspended …") leans on: judges read its "they" as other scientists.
    ``article``: the texts of its sentences, where names are told from openers."""
    text = sentence.text
    if not _ENDS.search(text.strip()):
        return None
    capitals: dict[str, int] = {}
    for other in article:
        for word in _MID_CAPITAL.findall(other):
            capitals[word] = capitals.get(word, 0) + 1
    stops = [
        m.start(2)
        for m in _LOST_STOP.finditer(text)
        if m.group(1) not in STOP_WORDS and capitals.get(m.group(2), 0) <= 1
    ]
    if not stops or len(text[stops[-1] :].split()) < TAIL_WORDS:
        return None
    start = stops[-1]
    return replace(sentence, text=text[start:], start=sentence.start + start)


@lru_cache(maxsize=8192)
def _in_english(text: str) -> bool:
    """:func:`is_english` of a sentence, once per sentence text (summaries are asked again)."""
    return is_english(text)


# A person's name in a sentence: capitalised words, the last of them the surname.
# Capital and small letters of names, accented ones too ("Matías Riquelme", "Luca Bärtschi",
# "Łukasz"): Latin-1 and Latin Extended-A, where news names fall.
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽ"
_LOW = "a-zß-öø-ÿ\u0100-\u017f"
_NAME_WORD = rf"[{_UP}][{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*"
_NAME_RUN = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_TITLES = frozenset("mr mrs ms miss dr sir lord lady".split())
_NATIONALITY = re.compile(r"(?:ian|ese|ish)$")  # "South Australian", "Chinese": not surnames


def unintroduced_names(text: str, said: str, article: Sequence[str]) -> list[str]:
    """Surnames ``text`` uses alone that the summary so far (``said``) never names.

    A surname is a capitalised word the ``article`` elsewhere puts after a first
    name ("Charlotte Heald", not "The Heald"); used alone ("Heald said", "Mr Heald",
    "Heald's") it needs the full name or the surname earlier in the summary.
    """
    full = set()
    for sentence in article:
        for run in _NAME_RUN.findall(sentence):
            words = run.split()
            if len(words) >= 2 and words[-2].lower() not in STOP_WORDS | _TITLES:
                full.add(words[-1])
    named = set(re.findall(rf"[{_UP}][\w'’-]*", said))
    strangers = []
    for run in _NAME_RUN.findall(text):
        words = run.split()
        titled = len(words) >= 2 and words[-2].lower() in _TITLES
        alone = titled or len(words) == 1 or words[-2].lower() in STOP_WORDS
        surname = re.sub(r"['’]s$", "", words[-1])
        known = (surname in full and not _NATIONALITY.search(surname)) or titled
        if alone and known and surname not in named and surname not in strangers:
            strangers.append(surname)
    return strangers


def introduction(surname: str, body: Sequence[Sentence]) -> int | None:
    """The first sentence giving ``surname`` after a first name, if any."""
    pattern = re.compile(rf"\b[{_UP}][\w'’-]*\s+{re.escape(surname)}\b")
    for i, sentence in enumerate(body):
        for match in pattern.finditer(sentence.text):
            if match.group().split()[0].lower() not in STOP_WORDS | _TITLES:
                return i
    return None


def said_words(body: Sequence[Sentence], chosen: Sequence[int]) -> set[str]:
    return {w for i in chosen for w in content_words(body[i].text)}


# Signs that a sentence is page furniture or points at what is around it.
_FURNITURE = re.compile(
    r"""click\s+here|scroll\s+down|read\s+more|pictured|\((?:above|below|left|right|top|bottom)\)
    |\bphoto(?:graph)?s?\b|getty|@\w|video\s+(?:above|below)|contributed\s+to\s+this""",
    re.IGNORECASE | re.VERBOSE,
)
# A caption's label ("On the ground: …", "Wikinews: How …"), or words in capitals ("WHERE'S SCOOBY?").
_LABEL = re.compile(r"^[A-Z][\w' ]{0,30}:\s|\b[A-Z]{2,}[\w'’]*\s+[A-Z]{2,}")
_POINTERS = re.compile(
    r"""\b(?:they|them|their|it|its|such|again)\b | \bthe\s+\d+-year-old\b | ^when\s+asked\b
    |\bthe\s+(?:second|third|latter|former|same|other|next)\b
    |^(?:another|other|both|even|in\s+the\s+(?:video|footage|clip|picture|image))\b
    |^next\b(?!\s+(?:week|month|year|season|day|time)) | ^later\b | ^finally\b
    |^(?:most|more)\s+recently\b
    |^(?:[\w-]+\s+){1,2}(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+later\b
    |^(?:just\s+)?(?:a\s+few\s+|[\w-]+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?)\s+(?:into|after)\b
    |^after\s+(?:a|an|one|two|three|four|five|\d+)\s+(?:seconds?|minutes?|hours?|days?|weeks?)\b
    |^(?:then|moments\s+later|shortly\s+after(?:wards)?|soon\s+after(?:wards)?)\b
    |^in\s+the\s+(?:[\w-]+\s+)?(?:minute|half|period|quarter|inning|injury\s+time|stoppage\s+time)\b
    |\b(?:on|at)\s+the\s+\d+(?:st|nd|rd|th)\b(?!\s+(?:of|century|anniversary|floor|street|avenue))
    |\bin\s+the\s+\d+(?:st|nd|rd|th)\s+minute\b
    |\b(?:these|those)\s+[a-z]
    |\b(?:this|that)\s+(?!(?:day|week|month|year|season|time|morning|night)s?\b)[a-z]""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+|\d")
_PERSON = re.compile(r"\b(?:he|she|his|her|him|hers)\b")
# A quotation closed and a sentence begun with no full stop ("… briefs' Following a …").
_GLUED_QUOTE = re.compile(r"[a-z]['’”\"]\s+[A-Z][a-z]")
_ABBREVIATION = re.compile(r"\b(?:Sgt|Gen|Lt|Col|Capt|Mr|Mrs|Ms|Dr|St|No|Gov|Sen|Rep)\.$")
_WORD = re.compile(r"[a-z]{4,}")


def content_words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def self_contained(text: str, said: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    """Whether ``text`` reads right on its own after a summary using the words ``said``.

    Stricter than :func:`index.cohesion.leans_on`, for a sentence taken from
    far from the summary's others: 10 to 40 words ending on a full stop; no
    quotation mark to open it; no page furniture ("Click here", "(above)");
    no pronoun or demonstrative that points back ("it", "their", "these
    results"); an opening "The X" only when the summary already names the X
    ("The finals saw …": which finals?); and a name or a number in it.
    """
    text = text.strip()
    words = text.split()
    if not 10 <= len(words) <= 40 or not _ENDS.search(text) or text[0] in "\"'“‘":
        return False
    if (
        text.endswith(("?", "!"))
        or _FURNITURE.search(text)
        or _POINTERS.search(text)
        or _LABEL.search(text)
    ):
        return False
    if _GLUED_QUOTE.search(text) or _ABBREVIATION.search(text):
        return False
    pronoun = _PERSON.search(text)
    if pronoun and not _CAPITALISED.search(text, 1, pronoun.start()):
        return False  # "Doctors warned she …": a person pronoun needs a name before it
    if words[0] in ("The", "This", "These", "Those", "That"):
        noun = content_words(" ".join(words[1:3]))
        if not noun or not noun <= said:
            return False
    return bool(_CAPITALISED.search(text, 1))


AMOUNT = re.compile(
    r"""[$£€¥₹]\s?\d | \b\d[\d,.]*\s?(?:million|billion|bn|m)?\s?
        (?:dollars?|pounds?|euros?|pence|cents?|naira|yuan|rupees?|pesos?|lira|yen|francs?|rand)\b
      | \b(?:US|NZ|AU|CA|HK)\$ | \b\d[\d,.]*\s?(?:USD|EUR|GBP)\b""",
    re.IGNORECASE | re.VERBOSE,
)


def sentence_links(article: Article, named: Collection[str] = ()) -> tuple[list[bool], list[bool]]:
    """Per sentence: whether it leans on the one before, and whether the next continues it.

    A sentence leans back when :func:`index.cohesion.leans_on` says so or when
    it starts inside a quotation (its tail); it runs on when a quotation is still
    open at its end. Quotations are followed within a paragraph, single-quoted
    ones (:func:`index.cohesion.single_quote_state`) for at most
    ``SINGLE_QUOTE_SPAN`` sentences, so a missed closing mark does not run on.
    An opening "The X" whose X is among the words ``named`` (a topic's) does not lean.
    """
    back: list[bool] = []
    forward: list[bool] = []
    previous = ""
    for paragraph in article.paragraphs:
        inside = False
        single = False
        run = 0
        for sentence in paragraph.sentences:
            tail, single = single_quote_state(sentence.text, single)
            run = run + 1 if single else 0
            if run >= SINGLE_QUOTE_SPAN:
                single, run = False, 0
            back.append(inside or tail or leans_on(sentence.text, previous, named))
            inside = quote_open_after(sentence.text, inside)
            forward.append(inside or single)
            previous = sentence.text
        if forward:
            forward[-1] = False  # a quotation left open at a paragraph's end is not followed
    return back, forward


def unit_of(pick: int, chosen: Sequence[int], links: tuple[list[bool], list[bool]]) -> list[int]:
    """``pick`` with what it needs: the sentences back to one that stands alone, and the
    rest of a quotation it opens, leaving out those already chosen."""
    back, forward = links
    start = pick
    while start > 0 and back[start] and start - 1 not in chosen:
        start -= 1
    end = pick
    while end + 1 < len(back) and forward[end] and end + 1 not in chosen:
        end += 1
    return [i for i in range(start, end + 1) if i not in chosen]


# Caption text run into a sentence, as CNN/DailyMail pages glue them (studied on the 50
# articles of tests/data/cnndm-dev.jsonl): a caption's label inside the sentence ("… the
# head In happier times: Martin …", "… notes Philly.com. Wishes she was a millionaire:
# Drexel …"), a quotation opened straight after a word with no colon or comma ("… in action
# against Dundee United last week 'This gambling problem …"), a quotation straight after
# another ("… as 'shameful' ‘It is only …"), a sentence begun after a comma ("…, pictured
# here, He added: …") and an attribution glued to what came before ("…, according to
# research Prudential pensions specialist Clare Moffat said: ‘…"). The quote then reads
# as the caption's, or whose words they are is garbled. A caption's label is followed by no
# quotation ("… welcomed the vote: \"This …\"" introduces one); a glued opening quote is single
# (the Daily Mail's), opens a sentence ('This guy is …', not a title 'Queen of Everything')
# and follows no stop word (…that "The soldiers …").
_INNER_LABEL = re.compile(r"(?:^|\s)(\S+)\s([A-Z][\w'’-]*(?:\s[\w'’-]+){0,4}):\s[A-Z]")
_GLUED_OPENING = re.compile(
    r"\b([a-z0-9][\w'’]*)\s['‘](?:I|[A-Z][a-z]*(?:['’][a-z]+)?,?)(?:\s(?:I\b|[^A-Z\s]\S*)){2}"
)
_QUOTE_AFTER_QUOTE = re.compile(r"[a-z.,!?]['’\"”]\s+['‘\"“][A-Z]")
_COMMA_OPENER = re.compile(r"[a-z],\s(?:The|He|She|They|It|His|Her)\s[a-z]")
_GLUED_SPEAKER = re.compile(
    r"\b([a-z]{3,})\s[A-Z][\w'’.-]*(?:\s[a-z][\w'’-]*){1,3}(?:\s[A-Z][\w'’.-]*){1,3}"
    r"\s(?:said|says|told|added|wrote)\b[^.;]{0,40}:\s*['‘\"“]"
)
# The verbs that introduce a quotation ("said: '…'"): a colon or quote after them is no glue.
# Only what the signals above needed on the development articles.
SPEECH = frozenset(
    "said says say told tell added adds asked wrote writes writing replied read reads tweeted".split()
)
# Words after which a label or an opening quote is no glue: a stop word or a speech verb.
_NOT_GLUE = STOP_WORDS | SPEECH


def glued_caption(text: str) -> bool:
    """Whether ``text`` holds caption text run into a sentence or a quotation (see above)."""
    for match in _INNER_LABEL.finditer(text):
        before, label = match.group(1), match.group(2)
        stripped = before.lower().strip("'’\"”")
        if stripped in _NOT_GLUE or before.endswith((",", ":", ";")):
            continue  # "… a border with Nepal: China.", "…, England:", "told The Times:"
        if not SPEECH & set(label.lower().split()):
            return True
    for match in _GLUED_OPENING.finditer(text):
        if match.group(1).lower() not in _NOT_GLUE:
            return True
    for match in _GLUED_SPEAKER.finditer(text):
        if match.group(1) not in STOP_WORDS:
            return True
    return bool(_QUOTE_AFTER_QUOTE.search(text) or _COMMA_OPENER.search(text))
