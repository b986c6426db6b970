"""Reading JSON-lines evaluation files, one object per non-blank line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any


def numbered_rows(
    text: str, bad_json: Callable[[int, str], Exception]
) -> Iterator[tuple[int, Any]]:
    """Each non-blank line parsed, with its 1-based line number.

    Each data set names its own error type and wording, so the caller says
    what a line that is not JSON raises (given the line number and the
    parser's message); the numbering is shared so every error points at the
    line a user would open in an editor.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise bad_json(number, exc.msg) from exc
        yield number, row
