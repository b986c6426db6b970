"""Salted hashes of Discord user ids, so storage never holds a raw id.

The salt comes from ``ARTICLEBOT_USER_SALT`` or from a salt file created once
next to the database with owner-only permissions (0600). It is never written
to the database: a copy of the database alone cannot be matched against user
ids. Changing the salt makes earlier votes count as other users' votes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.storage.base import StoreError

SALT_BYTES = 32


class UserHasher:
    """HMAC-SHA256 of the user id, keyed by the salt; 32 hex characters."""

    def __init__(self, salt: bytes) -> None:
        if len(salt) < 16:
            raise StoreError("the user salt must be at least 16 bytes")
        self._salt = salt

    def __call__(self, user_id: int) -> str:
        digest = hmac.new(self._salt, str(int(user_id)).encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def __repr__(self) -> str:  # never show the salt
        return "UserHasher(<salt hidden>)"


def load_salt(env_salt: str | None, salt_file: Path) -> bytes:
    """The salt from the environment value, else from ``salt_file`` (created 0600 when missing)."""
    if env_salt is not None and env_salt.strip():
        salt = env_salt.strip().encode()
        if len(salt) < 16:
            raise StoreError("ARTICLEBOT_USER_SALT must be at least 16 characters")
        return salt
    try:
        return _read_salt(salt_file)
    except FileNotFoundError:
        pass
    salt_file.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(SALT_BYTES).encode()
    try:
        fd = os.open(salt_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _read_salt(salt_file)
    with os.fdopen(fd, "wb") as handle:
        handle.write(salt)
    return salt


def _read_salt(salt_file: Path) -> bytes:
    salt = salt_file.read_bytes().strip()
    if len(salt) < 16:
        raise StoreError(
            f"the salt file {salt_file} is shorter than 16 bytes; restore it or delete it "
            "(a new salt makes earlier votes count as other users' votes)"
        )
    return salt
