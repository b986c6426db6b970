"""Security: the token never leaks, admin commands are enforced, user ids are salted hashes,
and no user input reaches eval/exec/pickle, a file path or an SQL string.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import logging
import sqlite3
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import bot.discord_app.runner
from bot.config import Settings
from bot.discord_app.client import APOLOGY, ArticleBot
from bot.discord_app.runner import EXIT_FAILURE, run_bot
from bot.storage import StorageConfig
from tests.bot.conftest import (
    ADMIN_ROLE_ID,
    BOT_ID,
    GUILD_ID,
    MANAGE_GUILD,
    MEMBER_ID,
    OWNER_ID,
    PLAIN,
    BotFactory,
    Call,
    Harness,
    user_payload,
)
from tests.bot.fake_discord import FakeDiscord, patch_discord
from tests.hardening.conftest import SALT, Capture

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY.tok3n-must-never-leak.d0b7e1f2a3c4"
OTHER_GUILD_ID = 800_000_000_000_000_999
ADMINISTRATOR = 1 << 3


# -- the canary token ------------------------------------------------------------------


@pytest.fixture
async def canary_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(token=CANARY)
    await fake.start()
    try:
        with patch_discord(fake, monkeypatch) as guard:
            yield fake
        assert not guard.blocked, guard.blocked
    finally:
        await fake.close()


@pytest.fixture
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


async def test_security_canary_token_never_in_logs_output_or_messages(
    canary_discord: FakeDiscord,
    seeds_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    clean_logging: None,
) -> None:
    """``run_bot`` as shipped, at DEBUG, through a whole conversation and a forced failure."""
    fake = canary_discord
    capture = Capture()
    logging.getLogger().addHandler(capture)  # before run_bot's own handler: sees raw records
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DISCORD_TOKEN": CANARY,
        "ARTICLEBOT_DEV_GUILD_ID": str(fake.guild_id),
        "ARTICLEBOT_LOG_LEVEL": "DEBUG",
        "ARTICLEBOT_ADMIN_ROLE": "Article Editor",
        "ARTICLEBOT_DATABASE": str(tmp_path / "data" / "db.sqlite3"),
    }.items():
        monkeypatch.setenv(name, value)
    created: list[ArticleBot] = []
    real_create = bot.discord_app.runner.create_bot

    def create(settings: Settings, engine: Any, **options: Any) -> ArticleBot:
        made = real_create(settings, engine, **options)
        created.append(made)
        return made

    monkeypatch.setattr(bot.discord_app.runner, "create_bot", create)
    exceptions: list[BaseException] = []
    threading_hook = threading.excepthook
    monkeypatch.setattr(threading, "excepthook", lambda args: exceptions.append(args.exc_value))

    index_dir = seeds_copy.parent / "index"
    running = asyncio.create_task(asyncio.to_thread(run_bot, seeds_copy, index_dir))
    await fake.wait_for_identify(timeout=10)
    (article_bot,) = created

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"engine failure while holding {article_bot.settings.token[:4]}…")

    await fake.send_message("how many troops were sent to Russia?", mention_bot=True)
    await fake.wait_for_message(fake.channel_id)
    record = await fake.slash("ask", question=f"is {CANARY[:8]} a word?")
    await fake.wait_for_interaction_response(record)
    fake.allow_command("reindex", fake.member)  # shown by a server override; the bot refuses
    record = await fake.slash("reindex", user=fake.member)
    await fake.wait_for_interaction_response(record)
    record = await fake.slash("reindex", user=fake.admin)
    await fake.wait_for_interaction_response(record, timeout=10)
    await fake.close_gateway(4000)
    await fake.wait_until(lambda: fake.resumed_sent == 1 and fake.connected)
    monkeypatch.setattr(article_bot.engine, "answer", broken)  # an unexpected error is logged
    after = len(fake.posted)
    await fake.send_message("what did Kim show?", mention_bot=True)
    await fake.wait_for_message(fake.channel_id, after=after)
    # Token reset in the portal while running: Discord closes with 4004.
    await fake.close_gateway(4004)
    async with asyncio.timeout(15):
        code = await running
    threading.excepthook = threading_hook

    out, err = capfd.readouterr()
    assert code == EXIT_FAILURE
    # The one traceback is the forced engine failure's log line; the exit is one clear line.
    assert err.count("Traceback") == 1, err[-3000:]
    assert err.strip().splitlines()[-1].startswith("articlebot: Discord rejected DISCORD_TOKEN")
    assert any(r.exc_info for r in capture.records), "the forced failure was not logged"
    texts = {
        "stdout": out,
        "stderr": err,
        "log records": "\n".join(capture.lines),
        "exceptions": "\n".join(repr(e) + str(e) for e in exceptions),
    }
    for request in fake.requests:
        texts[f"{request.method} {request.path}"] = f"{request.path} {request.query} {request.json}"
    for posted in fake.posted:
        texts[f"posted {posted.via}"] = str(posted.request) + str(posted.message)
    leaks = [where for where, text in texts.items() if CANARY in text]
    assert leaks == []
    # The token went only where it belongs: the Authorization header and IDENTIFY/RESUME.
    assert all(r.authorization in (None, f"Bot {CANARY}") for r in fake.requests)
    assert fake.identifies[0]["token"] == CANARY


# -- the permission matrix -------------------------------------------------------------

REFUSALS = ("Only members with the Manage Server permission", "only works in a server")

# subject -> (interaction payload options, allowed?)
SUBJECTS: dict[str, tuple[dict[str, Any], bool]] = {
    "plain_member": ({"user_id": MEMBER_ID, "permissions": PLAIN}, False),
    "admin_role": ({"user_id": MEMBER_ID, "permissions": PLAIN, "roles": (ADMIN_ROLE_ID,)}, True),
    "manage_server": ({"user_id": MEMBER_ID, "permissions": MANAGE_GUILD}, True),
    "administrator": ({"user_id": MEMBER_ID, "permissions": ADMINISTRATOR | PLAIN}, True),
    "dm": ({"user_id": OWNER_ID, "permissions": MANAGE_GUILD, "dm": True}, False),
    # Manage Server in another server, a plain member here: permissions are per server.
    "other_servers_admin_here": ({"user_id": OWNER_ID + 7, "permissions": PLAIN}, False),
    # The same person in their own server: allowed there, and scoped to it (see below).
    "other_servers_admin_there": (
        {"user_id": OWNER_ID + 7, "permissions": MANAGE_GUILD, "guild": OTHER_GUILD_ID},
        True,
    ),
}
COMMANDS = ("reindex", "stats", "config show", "config cooldown")


def payload(h: Harness, command: str, subject: dict[str, Any]) -> dict[str, Any]:
    options = dict(subject)
    guild = options.pop("guild", None)
    top, *sub = command.split()
    data = h.command(top, **options)
    if sub == ["show"]:
        data["data"]["options"] = [{"name": "show", "type": 1, "options": []}]
    elif sub == ["cooldown"]:
        value = {"name": "seconds", "type": 4, "value": 42}
        data["data"]["options"] = [{"name": "cooldown", "type": 1, "options": [value]}]
    if guild is not None:
        data["guild_id"] = str(guild)
    return data


def accept_multipart(h: Harness) -> None:
    """Let the recorder read messages sent with a file (``/stats`` attaches its chart)."""
    record = h.http.request

    def request(method: str, url: str, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if isinstance(data, aiohttp.FormData):
            fields = {f[0].get("name"): f[2] for f in data._fields}
            kwargs["data"] = fields.get("payload_json", "{}")
        return record(method, url, **kwargs)

    h.http.request = request  # type: ignore[method-assign]


def reply_of(calls: list[Call]) -> Call:
    shown = [
        c for c in calls if c.message and (c.message.get("content") or c.message.get("embeds"))
    ]
    assert len(shown) == 1, [(c.method, c.path, c.body) for c in calls]
    return shown[0]


@pytest.fixture
def secure_settings(bot_settings: Settings, tmp_path: Path) -> Settings:
    database = tmp_path / "data" / "matrix.sqlite3"
    return Settings(
        **{
            **{f: getattr(bot_settings, f) for f in bot_settings.__dataclass_fields__},
            "storage": StorageConfig(database=database, user_salt=SALT),
        }
    )


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("subject", list(SUBJECTS))
async def test_security_admin_command_permission_matrix(
    command: str, subject: str, make_bot: BotFactory, secure_settings: Settings
) -> None:
    h = await make_bot(secure_settings)
    accept_multipart(h)
    assert h.bot.store is not None, "the matrix needs the store for /stats and /config"
    options, allowed = SUBJECTS[subject]
    corpus = h.bot.engine.corpus
    before = await h.bot.store.guild_settings(GUILD_ID)

    reply = reply_of(await h.interact(payload(h, command, options)))
    text = reply.text()
    refused = any(r in text for r in REFUSALS)
    assert refused is not allowed, (subject, command, text)
    assert APOLOGY not in text
    if refused:
        assert reply.ephemeral
        assert h.bot.engine.corpus is corpus
    if command == "reindex" and allowed:
        assert "Reindex finished" in text
    after = await h.bot.store.guild_settings(GUILD_ID)
    if command == "config cooldown" and allowed and "guild" not in options:
        assert after.cooldown_seconds == 42
    else:
        assert after == before, "this server's settings changed"


async def test_security_other_servers_admin_sees_only_their_servers_stats(
    make_bot: BotFactory, secure_settings: Settings
) -> None:
    h = await make_bot(secure_settings)
    accept_multipart(h)
    await h.send(h.message("which zebra was only asked about here?", mention_bot=True))
    options, _ = SUBJECTS["other_servers_admin_there"]
    there = reply_of(await h.interact(payload(h, "stats", options))).text()
    home = reply_of(await h.call("stats", permissions=MANAGE_GUILD)).text()
    assert APOLOGY not in there + home
    assert "zebra" in home
    assert "zebra" not in there


# -- salted user hashes ----------------------------------------------------------------


async def test_security_user_ids_stored_only_as_salted_hashes(
    make_bot: BotFactory, bot_settings: Settings, tmp_path: Path
) -> None:
    database = tmp_path / "data" / "salted.sqlite3"
    storage = StorageConfig(database=database)  # no env salt: a salt file beside the database
    settings = Settings(
        **{
            **{f: getattr(bot_settings, f) for f in bot_settings.__dataclass_fields__},
            "storage": storage,
        }
    )
    h = await make_bot(settings)
    calls = await h.send(
        h.message("how many troops were sent to Russia?", user_id=MEMBER_ID, mention_bot=True)
    )
    (reply,) = [c for c in calls if c.message]
    button = reply.message["components"][0]["components"][1]["custom_id"]  # not helpful
    click = h.command("ask", user_id=MEMBER_ID)
    click.update({"type": 3, "data": {"custom_id": button, "component_type": 2}})
    click["message"] = {
        **h.message("", user_id=BOT_ID),
        "author": user_payload(BOT_ID, "articlebot", bot=True),
        "embeds": reply.message.get("embeds") or [],
        "components": reply.message["components"],
    }
    clicked = await h.interact(click)
    assert any("marked" in c.text() for c in clicked), [c.body for c in clicked]
    await h.bot.close()

    salt = storage.salt_file.read_bytes().strip()
    assert len(salt) >= 16
    conn = sqlite3.connect(database)
    try:
        hashes = {r[0] for r in conn.execute("SELECT user_hash FROM questions")}
        votes = {r[0] for r in conn.execute("SELECT user_hash FROM votes")}
        assert len(votes) == 1, "the click did not record a vote"
        hashes |= votes
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert len(hashes) == 1
    (stored,) = hashes
    raw = str(MEMBER_ID)
    assert stored != raw and raw not in stored
    assert stored not in (
        hashlib.sha256(raw.encode()).hexdigest()[:32],
        hashlib.sha256(raw.encode()).hexdigest(),
    )
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    for path in files:  # the database and any WAL/SHM beside it
        data = path.read_bytes()
        assert raw.encode() not in data, path
        assert salt not in data, path
    assert raw not in dump and salt.decode() not in dump


# -- no user input reaches eval, exec, pickle, a file path or an SQL string --------------

SOURCES = sorted([*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("index").rglob("*.py")])
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "jsonpickle", "joblib"}
SQL_METHODS = {"execute", "executemany", "executescript"}


def _literal_names(tree: ast.AST) -> set[str]:
    """Names that are only ever assigned string literals (``where += " AND x = ?"``, constants)."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            values.setdefault(node.target.id, []).append(node.value or ast.Constant(""))
    literal = {
        name
        for name, assigned in values.items()
        if all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in assigned)
    }
    for node in ast.walk(tree):  # for statement in MIGRATIONS[n]: a module constant of SQL
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            base = node.iter.value if isinstance(node.iter, ast.Subscript) else node.iter
            if isinstance(base, ast.Name) and base.id.isupper():
                literal.add(node.target.id)
    return literal


def _scopes(tree: ast.Module) -> Iterator[tuple[ast.AST, set[str]]]:
    """Each function with the names bound only to literal SQL in it (or module constants)."""
    module = {
        n
        for n in _literal_names(
            ast.Module(
                body=[s for s in tree.body if isinstance(s, ast.Assign | ast.AnnAssign)],
                type_ignores=[],
            )
        )
        if n.isupper()
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node, _literal_names(node) | module


def _is_dynamic_string(node: ast.AST, literal: set[str]) -> bool:
    """SQL text built from anything but string literals: f-strings, ``%``, ``.format()``, ``+``.

    An f-string is accepted when every value it interpolates is a name only
    ever bound to literal SQL (the placeholders' values still go as parameters).
    """
    if isinstance(node, ast.JoinedStr):
        return not all(
            isinstance(part, ast.Constant)
            or (
                isinstance(part, ast.FormattedValue)
                and isinstance(part.value, ast.Name)
                and part.value.id in literal
            )
            for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _is_dynamic_string(node.left, literal) or _is_dynamic_string(node.right, literal)
    if isinstance(node, ast.Call):
        return True  # "...".format(...), "".join(...), str(...)
    if isinstance(node, ast.Name):
        return node.id not in literal
    return not isinstance(node, ast.Constant)


def test_security_static_no_eval_exec_pickle_or_formatted_sql() -> None:
    assert len(SOURCES) > 20
    problems: list[str] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.append(node.module)
                bad = {n.split(".")[0] for n in names} & FORBIDDEN_MODULES
                if bad:
                    problems.append(f"{where}:{node.lineno} imports {sorted(bad)}")
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if isinstance(func, ast.Name) and name in FORBIDDEN_CALLS:
                problems.append(f"{where}:{node.lineno} calls {name}()")
            if name == "load" and any(
                k.arg == "allow_pickle"
                and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in node.keywords
            ):
                problems.append(f"{where}:{node.lineno} loads with allow_pickle")
            if name in {"system", "popen"} or any(
                k.arg == "shell"
                and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in node.keywords
            ):
                problems.append(f"{where}:{node.lineno} runs a shell")
        # A call inside nested functions is fine when its text is literal in any enclosing one.
        verdicts: dict[ast.Call, bool] = {}
        for scope, literal in _scopes(tree):
            for node in ast.walk(scope):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", "") in SQL_METHODS
                    and node.args
                ):
                    safe = not _is_dynamic_string(node.args[0], literal)
                    verdicts[node] = verdicts.get(node, False) or safe
        problems += [f"{where}:{n.lineno} builds SQL text" for n, ok in verdicts.items() if not ok]
    assert problems == []


def test_security_static_sql_check_catches_built_sql() -> None:
    """The checker itself: it flags SQL built from input and accepts literal SQL with parameters."""
    code = """
def bad(conn, q):
    conn.execute(f"SELECT * FROM t WHERE x = '{q}'")
    conn.execute("SELECT * FROM t WHERE x = '%s'" % q)
    conn.execute("SELECT {}".format(q))
    sql = "SELECT " + q
    conn.execute(sql)
def good(conn, q):
    where = "a = ?"
    where += " AND b = ?"
    conn.execute(f"SELECT * FROM t WHERE {where}", (q, q))
"""
    verdicts = [
        (scope.name, _is_dynamic_string(node.args[0], literal))  # type: ignore[attr-defined]
        for scope, literal in _scopes(ast.parse(code))
        for node in ast.walk(scope)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "execute"
    ]
    assert verdicts == [("bad", True)] * 4 + [("good", False)]


def test_security_static_numpy_loads_always_refuse_pickles() -> None:
    loads = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "load":
                owner = getattr(node.func, "value", None)
                if isinstance(owner, ast.Name) and owner.id in {"np", "numpy"}:
                    loads.append((path.name, node))
    assert loads, "expected the index store to load .npz files"
    for name, node in loads:
        assert any(
            k.arg == "allow_pickle" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        ), f"{name}:{node.lineno} np.load without allow_pickle=False"


class OpenAudit:
    """Every path the process opens while ``active`` (a ``sys.addaudithook`` cannot be removed)."""

    def __init__(self) -> None:
        self.active = False
        self.paths: list[str] = []
        sys.addaudithook(self)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        watched = event in {"open", "os.listdir", "os.scandir", "shutil.copyfile"}
        if self.active and watched and args and isinstance(args[0], str | bytes | Path):
            self.paths.append(str(args[0]))


_AUDIT: OpenAudit | None = None


@pytest.fixture
def opened_paths() -> Iterator[list[str]]:
    global _AUDIT
    if _AUDIT is None:
        _AUDIT = OpenAudit()
    _AUDIT.paths.clear()
    _AUDIT.active = True
    try:
        yield _AUDIT.paths
    finally:
        _AUDIT.active = False


PATHS = (
    "../../../../etc/passwd",
    "/etc/shadow",
    "..\\..\\boot.ini",
    "seeds/../../.env",
    "~/.ssh/id_rsa",
)


@pytest.mark.parametrize("path", PATHS)
async def test_security_user_text_never_becomes_a_file_path(
    path: str, harness: Harness, opened_paths: list[str]
) -> None:
    await harness.send(harness.message(f"what is in {path}?", mention_bot=True))
    for command, options in (
        ("ask", {"question": "how many troops?", "article": path}),
        ("summary", {"article": path, "topic": path}),
        ("articles", {}),
    ):
        reply_of(await harness.call(command, **options))
    record = harness.autocomplete("summary", "article", article=path)
    await harness.interact(record)
    names = {Path(path).name, "passwd", "shadow", "boot.ini", ".env", "id_rsa"}
    touched = [p for p in opened_paths if any(n in p for n in names)]
    assert touched == []
