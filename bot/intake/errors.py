"""What can go wrong when an article is added or removed, as one line a user can act on."""

from __future__ import annotations

PRIVATE_SETTING = "ARTICLEBOT_ALLOW_PRIVATE_URLS=1"


class IntakeError(Exception):
    """An add or remove that did not happen; ``str(exc)`` is one friendly line.

    Nothing in the articles folder has changed when it is raised, so the
    caller keeps serving the index it has.
    """


class DuplicateArticle(IntakeError):
    """The link or the text is already in the folder, as ``existing_title``."""

    def __init__(self, existing_id: str, existing_title: str, existing_file: str) -> None:
        super().__init__(f"already indexed as “{existing_title}” ({existing_file})")
        self.existing_id = existing_id
        self.existing_title = existing_title


class PrivateAddressRefused(IntakeError):
    """A link (or a redirect) to a private, loopback or otherwise internal address."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"{host} is a private, loopback or reserved address, so it was not fetched "
            f"(set {PRIVATE_SETTING} to allow such links)"
        )
        self.host = host
