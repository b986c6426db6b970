"""The rules of the house, checked from the code's own imports (``ast``, nothing is run).

The tree reads as layers, each using only those below it::

    bot.launcher      the articlebot command: picks the terminal or the Discord bot
    bot.discord_app   the Discord bot     } front ends, side by side: neither
    bot.terminal      the terminal        } imports the other, anywhere
    bot.config        the environment (and .env) read once, as typed settings
    bot.serving       the answering service both front ends call; the shared index
    bot.storage       question log, votes, per-server settings
    bot.intake        adding and removing articles: fetching, extraction, the folder
    index             the engine, a library

- ``index`` never imports ``bot`` (nor discord.py) and reads no environment;
  ``bot.intake`` and ``bot.serving`` never import discord.py: they serve either
  front end;
- the environment is read in ``bot.config`` and nowhere else but the launcher;
- storage never imports the engine (``index.engine``), even through another module;
- no module imports back up a level (a layer above its own);
- no import circle, counting imports inside functions too: a circle is broken
  by moving what both sides need, not by hiding an import. Imports under
  ``if TYPE_CHECKING:`` are for the type checker only and are not counted.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("index", "bot")
# Lowest first: a module may import its own layer and the layers below it. The front ends
# share a layer and may not import each other.
LAYERS = (
    "index",
    "bot.intake",
    "bot.storage",
    "bot.serving",
    "bot.config",
    "bot.front",
    "bot.launcher",
)
FRONT_ENDS = ("bot.discord_app", "bot.terminal")
ENVIRONMENT_READERS = {"bot.config", "bot.launcher"}
MAX_LINES = 450
LONG_ALLOWED = {"index/bm25.py"}  # one algorithm; split, its calls would go back and forth


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    top_level: bool  # runs at import time (not inside a function)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, top_level: bool = True) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement with whether it runs at import time; TYPE_CHECKING blocks skipped."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), top_level)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, top_level
        inner = top_level and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        yield from _imports(node, inner)


def edges(modules: dict[str, Path]) -> list[Edge]:
    """Imports between the project's own modules; ``from pkg import sub`` names ``pkg.sub``."""
    found: list[Edge] = []
    for source, path in modules.items():
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, top_level in _imports(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                assert isinstance(node, ast.ImportFrom)
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != source:
                    found.append(Edge(source, target, node.lineno, top_level))
    return found


def front_end(module: str) -> str | None:
    return next((f for f in FRONT_ENDS if module == f or module.startswith(f + ".")), None)


def layer(module: str) -> int:
    """The position in LAYERS of the deepest layer ``module`` belongs to (-1 if none)."""
    if front_end(module):
        return LAYERS.index("bot.front")
    position = -1
    for i, name in enumerate(LAYERS):
        if module == name or module.startswith(name + "."):
            position = i
    return position


def where(edge: Edge) -> str:
    return f"{edge.source} -> {edge.target} (line {edge.line})"


MODULES = all_modules()
EDGES = edges(MODULES)


def test_the_import_graph_is_read_at_all() -> None:
    """Guards the rules below against passing because nothing was found."""
    pairs = {(e.source, e.target) for e in EDGES}
    assert ("index.engine", "index.ranking") in pairs
    assert ("bot.discord_app.cogs.ask", "bot.discord_app.client") in pairs
    assert ("bot.launcher", "bot.terminal.render") in pairs  # from bot.terminal import render
    assert ("bot.launcher", "bot.discord_app.runner") in pairs  # lazy, but an import
    assert every_module_belongs_to_a_layer() == []


def every_module_belongs_to_a_layer() -> list[str]:
    return [m for m in MODULES if layer(m) < 0 and m not in {"bot"}]


def imported_roots(package: str, forbidden: set[str]) -> list[str]:
    """``module: import`` for every import of a ``forbidden`` top-level name in ``package``."""
    offenders = []
    for name, path in MODULES.items():
        if not (name == package or name.startswith(package + ".")):
            continue
        for node, _ in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            roots = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [getattr(node, "module", None) or ""]
            )
            offenders += [f"{name}: {r}" for r in roots if r.split(".")[0] in forbidden]
    return offenders


def test_index_package_never_imports_discord_or_bot() -> None:
    assert imported_roots("index", {"discord", "bot"}) == []


def test_intake_never_imports_discord() -> None:
    assert imported_roots("bot.intake", {"discord"}) == []


def test_storage_never_imports_the_engine() -> None:
    """Not directly, and not through anything it imports (the engine pulls in the reader)."""
    graph: dict[str, set[str]] = {}
    for edge in EDGES:
        graph.setdefault(edge.source, set()).add(edge.target)
    offenders = []
    for start in (m for m in MODULES if m.startswith("bot.storage")):
        seen, todo, parent = {start}, [start], {start: ""}
        while todo:
            current = todo.pop()
            for target in graph.get(current, ()):
                if target not in seen:
                    seen.add(target)
                    parent[target] = current
                    todo.append(target)
        if "index.engine" in seen:
            chain, node = ["index.engine"], "index.engine"
            while parent[node]:
                node = parent[node]
                chain.append(node)
            offenders.append(" -> ".join(reversed(chain)))
    assert offenders == []


def test_no_front_end_imports_another_anywhere() -> None:
    """Not even inside a function: the launcher above them picks one."""
    offenders = [
        where(e)
        for e in EDGES
        if front_end(e.source) and front_end(e.target) not in (None, front_end(e.source))
    ]
    assert offenders == []


def test_serving_never_imports_discord() -> None:
    assert imported_roots("bot.serving", {"discord"}) == []


def test_the_terminal_never_loads_discord() -> None:
    code = "import sys, bot.launcher as m; m.build_parser(); print('discord' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def reads_environment(path: Path) -> bool:
    """Whether a module touches ``os.environ``, ``os.getenv`` or loads ``.env``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
            return True
        names = {a.name for a in node.names} if isinstance(node, ast.ImportFrom) else set()
        if names & {"environ", "getenv", "load_dotenv"}:
            return True
    return False


def test_only_the_configuration_reads_the_environment() -> None:
    readers = {name for name, path in MODULES.items() if reads_environment(path)}
    assert readers <= ENVIRONMENT_READERS, sorted(readers - ENVIRONMENT_READERS)
    assert readers, "the check found no reader at all"


def test_no_module_imports_back_up_a_level() -> None:
    offenders = [where(e) for e in EDGES if layer(e.target) > layer(e.source)]
    assert offenders == []


def test_there_is_no_import_circle() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for edge in EDGES:
        graph[edge.source].add(edge.target)
    # Tarjan's strongly connected components: any component of two or more is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_no_source_file_is_over_450_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in MODULES.values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert {k: v for k, v in long.items() if k not in LONG_ALLOWED} == {}


def test_importing_the_engine_does_not_load_discord_or_rank_bm25() -> None:
    code = (
        "import sys, index.engine, index.summarize, index.saved.building; "
        "print('discord' in sys.modules, 'rank_bm25' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False False"
