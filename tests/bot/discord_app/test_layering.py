"""Nothing imports an extension module: shared helpers live in plain modules.

``load_extension`` executes an extension's module afresh and replaces it in
``sys.modules``, so a module that imported an extension holds a second copy of
its classes and globals (two ``FeedbackButton`` classes, two settings caches).
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.discord_app.client import EXTENSIONS

ROOT = Path(__file__).resolve().parents[3]


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, ``from package import name`` counted as ``package.name``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_imports_an_extension() -> None:
    extensions = set(EXTENSIONS)
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_modules(path) & extensions)
        for folder in ("bot", "tests", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
