"""Which question-set format a file is in.

Two formats are recognised by :func:`detect_format`:

* the JSON-lines development format (one question per line with ``answers``
  and ``evidence``), asked against a seeds folder — see :mod:`index.evaluation.qa`;
* SQuAD v1.1 / v2.0 JSON, whose articles are indexed together — see
  :mod:`index.evaluation.squad`.

Anything else raises :class:`~index.evaluation.base.EvalFormatError` with a message a person can act on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from index.evaluation.base import EvalFormatError

DEV: Literal["dev"] = "dev"
SQUAD: Literal["squad"] = "squad"
MAX_EVAL_BYTES = 200 * 1024 * 1024

Format = Literal["dev", "squad"]


def read_json_file(path: str | Path) -> tuple[Format, object]:
    """Read ``path`` and return its format with the parsed content.

    For SQuAD the content is the whole JSON object; for the development
    format it is the list of question objects.
    """
    path = Path(path)
    if not path.is_file():
        raise EvalFormatError(f"{path}: no such file")
    if path.stat().st_size > MAX_EVAL_BYTES:
        raise EvalFormatError(f"{path}: larger than {MAX_EVAL_BYTES // 2**20} MB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvalFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise EvalFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return detect_format(text, str(path))


def detect_format(text: str, name: str = "the file") -> tuple[Format, object]:
    if not text.strip():
        raise EvalFormatError(f"{name} is empty")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict) and "data" in whole:
        from index.evaluation.squad import validate_squad

        validate_squad(whole, name)
        return SQUAD, whole
    if isinstance(whole, dict) and "question" in whole:
        whole = None  # a development file of one line
    if whole is not None:
        raise EvalFormatError(
            f"{name} is JSON but neither SQuAD (an object with a 'data' list of articles) "
            "nor the development format (one question object per line)"
        )
    from index.evaluation.qa import parse_dev_lines

    return DEV, parse_dev_lines(text, name)
