"""The engine is a library: nothing under index/ may depend on Discord."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

INDEX = Path(__file__).resolve().parents[2] / "index"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_index_package_never_imports_discord_or_bot() -> None:
    offenders = {
        str(path.relative_to(INDEX.parent)): sorted(_imported_modules(path) & {"discord", "bot"})
        for path in INDEX.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_engine_does_not_load_discord() -> None:
    code = (
        "import sys, index.engine, index.summarize, index.reindex; print('discord' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
