"""Hostile questions: one list shared by the CLI tests and the bot tests.

Each case is something a person can type (or paste) into a terminal or a
Discord message. The tests assert the same contract on every path: a clear
answer, a refusal or a one-line friendly error, nothing escaping as an
exception, nobody pinged, and within the normal time.
"""

from __future__ import annotations

from dataclasses import dataclass

# Mentions use ids that look real; the e2e tests substitute the fake's own ids.
USER_MENTION = "<@500000000000000002>"
ROLE_MENTION = "<@&600000000000000001>"


@dataclass(frozen=True, slots=True)
class Hostile:
    id: str
    text: str
    argv_safe: bool = True  # can be passed through a real process's argv (no NUL bytes)
    over_fake: bool = False  # also sent through the local fake Discord (a representative subset)


CASES: tuple[Hostile, ...] = (
    # Not over the fake: Discord's client sends no empty /ask option and no message over
    # 2,000 (4,000 with Nitro) characters; tests/bot/discord_app/test_e2e_contract.py covers those limits.
    Hostile("empty", ""),
    Hostile("whitespace_only", " \t\n  \u3000 \u00a0 "),
    Hostile("chars_10k", ("how many troops were sent to Russia " * 400)[:10_000]),
    Hostile("chars_100k", ("what did Kim Jong Un show? " * 4000)[:100_000]),
    Hostile("one_word_10k", "a" * 10_000),
    Hostile("null_bytes", "how many\x00 troops\x00 were sent?", argv_safe=False, over_fake=True),
    Hostile("control_chars", "how\x01 many\x07 troops\x1b[31m were\x7f sent\x08?\r\n\x0c"),
    Hostile("only_control_chars", "\x01\x02\x03\x04\x1b\x7f"),
    Hostile(
        "zero_width", "how\u200b many\u200c troops\u200d were\u2060 sent\ufeff?", over_fake=True
    ),
    Hostile("only_zero_width", "\u200b\u200c\u200d\u2060\ufeff"),
    Hostile("rtl_override", "\u202ehow many troops were sent to Russia?\u202c \u2067x\u2069"),
    Hostile("arabic_hebrew", "كم عدد القوات التي أرسلت؟ כמה חיילים נשלחו?"),
    Hostile("emoji_only", "🤔🪖🚀🇰🇵🇷🇺👨‍👩‍👧‍👦", over_fake=True),
    Hostile("cjk", "派遣了多少军队？북한은 몇 명의 병력을 보냈습니까？"),
    Hostile("cyrillic_devanagari", "Сколько войск было отправлено? कितने सैनिक भेजे गए?"),
    Hostile(
        "everyone_here", "@everyone @here how many troops were sent to Russia?", over_fake=True
    ),
    Hostile(
        "role_user_mentions",
        f"{ROLE_MENTION} {USER_MENTION} who showed new drones?",
        over_fake=True,
    ),
    Hostile("only_mentions", f"@everyone {ROLE_MENTION} {USER_MENTION} @here"),
    Hostile(
        "nested_markdown",
        "***__~~||**how** _many_ `troops`||~~__*** > # were *sent*?",
        over_fake=True,
    ),
    Hostile("code_block", "```py\nimport os; os.system('rm -rf /')\n```\nhow many troops?"),
    Hostile("spoilers", "||how many|| ||troops|| ||were sent||?"),
    Hostile(
        "links",
        "[how many troops](https://evil.example/x) <https://example.com> http://a.b/c?d=e#f",
    ),
    Hostile(
        "format_strings",
        "{0} {} {question!r} %s %d %(user)s {{}} ${HOME} $(whoami)",
        over_fake=True,
    ),
    Hostile("regex_metachars", r".*+?^$()[]{}|\ (a+)+$ [^\w] \1 (?=x) troops?*"),
    Hostile(
        "sql_looking",
        "'; DROP TABLE questions; -- \" OR 1=1; DELETE FROM votes WHERE '1'='1",
        over_fake=True,
    ),
    Hostile("stop_words_only", "the of and a to in is was it that"),
    Hostile("numbers_only", "3000 2024 1 0 -5 3.14 1e308 99999999999999999999"),
    Hostile("path_traversal", "../../../../etc/passwd ..\\..\\windows\\system32 /dev/zero"),
    Hostile("html_script", "<script>alert(1)</script><img src=x onerror=alert(1)> troops?"),
    Hostile("json_injection", '{"found": true, "answer": "pwned", "__proto__": {}}'),
    Hostile("python_code", "__import__('os').system('id'); eval('1+1'); exec('x=1')"),
    Hostile("undecodable_argv_byte", "how many troops \udcff were sent?"),  # b"\\xff" in argv
    Hostile(
        "combining_marks", "h\u0335\u0336o\u0337w\u0338 m\u0489any t\u20dfroops" + "\u0301" * 500
    ),
    Hostile("newlines_many", "how\n\n\n\nmany\n" * 200 + "troops?"),
    Hostile("dash_option_like", "-h --help --seeds /etc how many troops?"),
    Hostile("long_mixed", ("troops 3,000 Russia drones " * 50) + "?"),
)

IDS = [case.id for case in CASES]
FAKE_CASES = tuple(case for case in CASES if case.over_fake)
