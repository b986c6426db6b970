"""Whether an article reports someone's words: the topic "what X said" needs X speaking.

A topic asking for someone's words ("what cam newton said after the game", "the mayor's
comments") sits close in meaning to any article that names that someone, and the reader,
asked "What does it say about …?", finds a span in the sentences around them. Judged blind,
such topics answered with play-by-play or with another person's quote misled. An article
reports X's words only where X is the speaker of a reporting verb: "X said", "X, 57, a
nurse, said", "said coach X", "according to X", "X's spokesman". That is read from the
words alone (no parser): X's last word (its head: "coach", "newton", "ministry") as the
subject of one of the common reporting verbs, with every other word of X ("riccarton's",
"south korea") in the same sentence; after the verb only where X ends the clause ("said
the Duchess would be …" gives Kensit's words, not the Duchess's); or a pronoun of X's kind
("she" for a person, "it" for a body) speaking just after a sentence opening on X. A
reaction ("how X responded", "X's reaction") may be words, a deed on the news ("rejected",
"appealed") or a feeling ("were furious"). Measured on four sets the team wrote for it
(docs/evaluation.md, "Topics and questions asking for someone's words").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# "what X said / thinks / told …", "X's comments / statement / side of the story", "comments from
# X", and as a question, "what did X say (about …)?".
_ASKS = re.compile(
    r"""^(?:what|how)\s+(?P<a>(?:(?!\b(?:did|does|do|is|are|was|were|has|have|had|to|many|much)\b).)+?)
        \s+(?:said|says|say|told|tells|tweeted|wrote|writes|thinks?
        |thought|stated|commented|claimed|argued)\b
      |^(?!(?:which|who|whom|when|where|why|how|what)\b)(?P<b>.+?)(?:'s|’s|'|’)\s+(?:comments?
        |statements?|side(?:\s+of\s+the\s+story)?|views?
        |words|remarks?|explanation)\b
      |^(?:comments?|statements?|remarks?)\s+(?:from|of|by)\s+(?P<c>.+)$
      |^what\s+(?:did|does|do|has|have|had)\s+(?P<d>.+?)\s+(?:say|tell|think|write|tweet|claim
        |argue|state)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# "how X reacted / responded", "X's reaction / response", "reaction from X", "how did X react?".
_REACTS = re.compile(
    r"""^how\s+(?P<a>(?:(?!\b(?:did|does|do|has|have|had)\b).)+?)\s+(?:reacted|responded|reacts
        |responds|took\s+it|took\s+the\s+news)\b
      |^(?:what(?:'s|\s+(?:was|is|were)))?\s*(?!(?:which|who|whom|when|where|why|how|what)\b)
        (?P<b>.+?)(?:'s|’s|'|’)\s+(?:reactions?|responses?|replies)\b
      |^(?:reactions?|responses?)\s+(?:from|of|by)\s+(?P<c>.+)$
      |^how\s+(?:did|does|do|has|have)\s+(?P<d>.+?)\s+(?:react|respond|take\s+it)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# What a speaker's name runs on to that is not the speaker ("what critics said about her").
_AFTER_SPEAKER = re.compile(
    r"\s+(?:about|of|on|after|before|during|to|at|in|over|with|from|who|that|when)\s+"
)
_PRONOUNS = frozenset("i you he she it we they them people someone anyone".split())  # no one named
_DETERMINERS = frozenset("the a an his her their its this that these those other some".split())
# Common reporting verbs (journalism's list, not the development articles'), inflected below.
_REGULAR = """accept acknowledge add admit advise agree allege announce answer argue ask assert
    believe blame boast claim comment complain concede conclude confirm contend criticise
    criticize declare deny describe disclose dismiss emphasise emphasize estimate explain express
    highlight hint hope insist maintain mention note object observe pledge praise predict promise
    propose protest question recall recommend remark reply report respond reveal state stress
    suggest threaten urge vow warn welcome tweet post condemn denounce affirm reiterate quip joke
    slam blast testify interject continue plead recount lament dub characterise characterize
    cite label brand""".split()
_IRREGULAR = """said says say told tell tells wrote write writes written thought think thinks spoke
    speak speaks spoken""".split()
# Verbs that put their speaker after them: "said coach Annie McAuley", "according to the mayor",
# "said Thandeka Mokoena of the provincial fire service". Not those taking an object ("told the
# minister", "asked the ministry"): the speaker comes first.
_INVERTED = re.compile(
    r"\b(?:said|says|say|added|adds|wrote|writes|explained|explains|continued|tweeted|insisted"
    r"|recalled|noted|observed|remarked|declared|replied|stated|according\s+to)"
    r"(?:(?:\s+(?!(?:to|at|with|by|for|that|of)\b)[\w'’.-]+){0,4}"
    r"|(?:\s+[A-Z][\w'’.-]*){1,4},?\s+(?:of|from|at)(?:\s+[\w'’.-]+){0,4})\s+$",
    re.IGNORECASE,
)
# ... and the speaker ends the clause: "said coach Annie McAuley." but not "said the Duchess
# would be her inspiration" (the words said, not the one saying them).
_CLAUSE_ENDS = re.compile(
    r"(?:\s+(?:of\s+|for\s+)?(?:the\s+)?[A-Z][\w'’.-]*)*\s*(?:[,.;:!?\"'”’()]|$)"
)
# Between a speaker and the verb: a name after a role ("coach Tite", capitalised), asides
# between commas ("Lizzi's mum, Mary Crawford, 57, said"), adverbs ("mistakenly thought") and
# auxiliaries.
_NAME = r"\)?(?:\s+(?:of\s+|for\s+|the\s+)?[A-Z][\w'’.-]*\)?){0,4}"
_ASIDE = r"(?:\s*,[^,;:]{1,80}(?=,)){0,2},?(?:\s+[-–—][^-–—]{1,80}[-–—])?"
_FILL = r"(?i:(?:\s+(?:also|then|has|had|have|once|[a-z]+ly))*)"
# "a BBC report released on Wednesday that claimed …": the subject of a relative clause.
_RELATIVE = r"(?:\s+[\w'’-]+){0,5}?\s+(?:that|which|who)"
# Whose words speak for the speaker: "the ministry's spokesman said", "X's statement".
_VOICES = r"(?i:(?:'s|’s)?\s+(?:spokes\w+|statement|lawyer|tweet|post|comments?|remarks?|letter|interview))"
# A speaker told by a pronoun ("She said: …", "… , he said"), the person named just before.
_PRONOUNS_OF = {"person": r"\b(?:he|she)\b", "group": r"\b(?:it|they)\b", "many": r"\bthey\b"}
# Heads that speak as "it" or "they": organisations and bodies, not people.
_GROUPS = frozenset(
    """police government ministry committee council company club union group team service
    association community agency department office court board party church army authority
    commission foundation organisation organization campaign firm bank university school
    hospital network site website paper newspaper channel embassy administration""".split()
)
# A name told beside a role: "Dr. Ahmed Darwish, the Egyptian Minister", "coach Tite".
_NAME_RUN = r"(?:[A-Z][\w'’.-]+\s+){0,3}(?P<surname>[A-Z][\w'’-]+)"
# "Egyptian", "Chinese": the first word of a role ("Egyptian Minister"), not a first name.
_NATIONALITY = re.compile(r"(?:ian|ean|ican|ese|ish)$")
_NOT_NAMES = frozenset("the he she it they a an in on at mr mrs ms dr sir his her".split())
_BACK = 2  # sentences before a pronoun's that may name its speaker
_OPENING_WORDS = 8  # ... within their first words: the subject, not someone acted on


def _inflections(base: str) -> set[str]:
    if base.endswith("y") and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied"}
    plural = base + ("es" if re.search(r"(?:s|sh|ch|x)$", base) else "s")
    return {base, plural, (base[:-1] if base.endswith("e") else base) + "ed"}


_VERBS = sorted(_IRREGULAR + [f for b in _REGULAR for f in _inflections(b)], key=len, reverse=True)
_VERB = (
    r"(?:\b(?:" + "|".join(_VERBS) + r")\b|\baccording\s+to\b|\bin\s+a\s+statement\b"
    r"|\b(?:is|was|are|were)\s+quoted\b)"
)
# A reaction is words or deeds: the reporting verbs, those of acting on news, and a feeling.
_REACTING = """react respond reject refuse appeal apologise apologize celebrate thank decline
    sue resign cheer mourn rally boycott""".split()
_FEELINGS = """angry delighted divided furious shocked relieved happy upset outraged pleased
    disappointed surprised thrilled devastated saddened stunned critical""".split()
_REACTION = (
    r"(?:"
    + _VERB
    + r"|\b(?:"
    + "|".join(f for b in _REACTING for f in _inflections(b))
    + r"|hit\s+back|wept|(?:was|were|is|are)\s+(?:\w+\s+)?(?:"
    + "|".join(_FEELINGS)
    + r")))\b"
)


def asks_reaction(topic: str) -> bool:
    """Whether a topic or question asks how someone reacted ("how the union responded",
    "the mayor's reaction"), words or deeds, rather than what they said."""
    text = _asked_text(topic)
    return _ASKS.match(text) is None and _REACTS.match(text) is not None


def _asked_text(topic: str) -> str:
    return topic.strip().rstrip("?").strip()


def asked_phrase(topic: str) -> str | None:
    """The speaker a topic or question asks the words (or the reaction) of, as typed ("Porto's
    coach" of "what Porto's coach said after the match"), or None."""
    text = _asked_text(topic)
    match = _ASKS.match(text) or _REACTS.match(text)
    if match is None:
        return None
    return _AFTER_SPEAKER.split(next(g for g in match.groups() if g))[0]


def asked_speaker(topic: str) -> tuple[str, ...] | None:
    """The words of the speaker a topic or question asks the words of, head last ("the south
    korea coach" → south, korea, coach), or None for one that asks no one's words, or only a
    pronoun's ("what do they think caused it")."""
    who = asked_phrase(topic)
    if who is None:
        return None
    words = [re.sub(r"(?:'s|’s|'|’)$", "", w) for w in re.findall(r"[\w'’-]+", who.lower())]
    kept = tuple(w for w in words if w not in _DETERMINERS and len(w) > 1)
    if len(kept) > 1:  # "hr expert", "dundee fc": an abbreviation is often written out, or left out
        kept = tuple(w for w in kept if len(w) > 2) or kept
    while len(kept) > 1 and kept[-1].endswith("ed"):  # "the BBC report released …": the report
        kept = kept[:-1]
    return None if not kept or set(kept) <= _PRONOUNS else kept


def _word(word: str) -> str:
    """A pattern for ``word`` in its singular or plural, possessive or not, any case; a long
    word may run on ("africa" → "African")."""
    base = word
    if len(word) > 4 and word.endswith("ies"):
        base = word[:-3] + "y"
    elif len(word) > 4 and re.search(r"(?:ch|sh|x|ss)es$", word):
        base = word[:-2]
    elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        base = word[:-1]
    tail = r"[a-z]*" if len(base) >= 5 else r"(?:s|es)?"
    return rf"(?i:\b{re.escape(base)}{tail}(?:'s|’s|')?)"


def _mentions(speaker: tuple[str, ...], sentences: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each word that names the speaker, with the words that must stand beside it.

    A person's name (its words capitalised in a row in the article: "Tiger Woods") is told
    by its last word ("Woods said"), a first name and surname by either ("Charlotte
    continued"). A role is told by its last
    word with its qualifiers in the same sentence ("riccarton's coach": "said coach Annie
    McAuley" of the other club is not theirs), or by the surname of a name the article gives
    it ("Dr. Ahmed Darwish, the Egyptian Minister …" → "According to Dr. Darwish")."""
    name = r"\s+".join(re.escape(w[:1].upper() + w[1:]) for w in speaker)
    *qualifiers, head = speaker
    alone = []
    if len(speaker) > 1 and any(re.search(rf"\b{name}\b", text) for text in sentences):
        qualifiers = []
        if len(speaker) == 2 and not _NATIONALITY.search(speaker[0]):  # not "Egyptian Minister"
            alone.append(speaker[0])
    role = _word(head)
    given = (
        re.compile(rf"{_NAME_RUN},\s+(?i:the|an?|its|their)(?:\s+[\w'’.-]+){{0,3}}?\s+{role}"),
        re.compile(rf"{role}\s+{_NAME_RUN}"),
        re.compile(rf"{role},\s+{_NAME_RUN},"),
    )
    surnames = {
        found.group("surname").lower()
        for text in sentences
        if all(re.search(_word(q), text) for q in qualifiers)
        for pattern in given
        for found in pattern.finditer(text)
    }
    return [(head, qualifiers)] + [(w, []) for w in sorted(alone + list(surnames - _NOT_NAMES))]


def _speaks(sentence: str, head: str, verbs: str = _VERB) -> bool:
    """Whether ``sentence`` gives the words of the one ``head`` names: as the subject of a
    reporting verb, after one ("said coach X"), through a voice ("X's spokesman"), or as the
    name opening a transcript's line ("Policewoman: It is non-alcoholic …")."""
    pattern = _word(head)
    if re.match(pattern + r"\s*:", sentence.lstrip()):
        return True
    verb = _FILL + r"\s+(?i:" + verbs + ")"
    if re.search(pattern + _NAME + _ASIDE + verb, sentence):
        return True
    if re.search(pattern + _RELATIVE + verb, sentence):
        return True
    if re.search(pattern + _NAME + _VOICES, sentence):
        return True
    return any(
        _INVERTED.search(sentence[max(0, found.start() - 80) : found.start()])
        and not found.group().endswith(("'s", "’s"))
        and _CLAUSE_ENDS.match(sentence, found.end()) is not None
        for found in re.finditer(pattern, sentence)
    )


def _kind(head: str) -> str:
    """Which pronouns stand for the one ``head`` names: a body's "it"/"they", many people's
    "they", a person's "he"/"she"."""
    if head in _GROUPS:
        return "group"
    return "many" if head.endswith("s") and not head.endswith("ss") else "person"


def _pronoun_speaks(sentence: str, kind: str, verbs: str = _VERB) -> bool:
    """Whether ``sentence`` gives someone's words through a pronoun of ``kind``: "She said:
    …", "…, said he", "On May 17 it tweeted:"."""
    pronoun = _PRONOUNS_OF[kind]
    speaks = rf"{pronoun}{_FILL}\s+{verbs}|\b(?:said|says|added)\s+{pronoun}"
    return re.search(rf"(?i:{speaks})", sentence) is not None


def quoted_sentence(
    sentences: Sequence[str], speaker: tuple[str, ...], verbs: str = _VERB
) -> str | None:
    """The first sentence reporting the words of ``speaker`` (:func:`asked_speaker`), or None.

    Their words are theirs where they speak (:func:`_speaks`) or where a pronoun speaks
    within ``_BACK`` sentences of one naming them in its opening words ("Charlotte Roach,
    25, … . She said: …")."""
    mentions = _mentions(speaker, sentences)

    def named(text: str) -> list[str]:
        return [
            word
            for word, beside in mentions
            if re.search(_word(word), text) and all(re.search(_word(q), text) for q in beside)
        ]

    for i, text in enumerate(sentences):
        if any(_speaks(text, word, verbs) for word in named(text)):
            return text
        if _pronoun_speaks(text, _kind(speaker[-1]), verbs) and any(
            named(" ".join(sentences[j].split()[:_OPENING_WORDS]))
            for j in range(max(0, i - _BACK), i + 1)
        ):
            return text
    return None


def never_quoted(sentences: Sequence[str], asked: str) -> bool:
    """Whether ``asked`` (a topic or a question) wants someone's words, or their reaction, that
    ``sentences`` never report."""
    speaker = asked_speaker(asked)
    verbs = _REACTION if asks_reaction(asked) else _VERB
    return speaker is not None and quoted_sentence(sentences, speaker, verbs) is None
