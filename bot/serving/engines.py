"""The engine a bot process serves: over its own articles folder, or the shared index."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.storage.backends import require_postgres
from index import Engine, open_corpus

if TYPE_CHECKING:
    from bot.serving.shared_index import SharedIndex

log = logging.getLogger(__name__)


def load_engine(
    seeds: Path,
    *,
    index_dir: Path,
    database_url: str | None = None,
    state_dir: Path | None = None,
    model_dir: Path | None = None,
) -> tuple[Engine, SharedIndex | None]:
    """The engine to serve: over ``seeds`` with its index saved in ``index_dir``, or, with a
    ``database_url``, the version in force in PostgreSQL (its files kept in ``state_dir``).

    Raises the loader's errors, and :class:`~bot.storage.base.StoreError` when the
    database cannot be used.
    """
    if database_url is None:
        return Engine(open_corpus(seeds, index_dir), model_dir=model_dir), None
    require_postgres()
    from bot.serving.shared_index import SharedIndex

    assert state_dir is not None
    shared = SharedIndex(database_url, state_dir)
    switch = shared.load_in_force(seeds)
    log.info("serving index version %d", switch.version)
    return Engine(switch.report.corpus, model_dir=model_dir), shared
